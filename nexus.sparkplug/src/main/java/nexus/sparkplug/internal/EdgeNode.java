package nexus.sparkplug.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmService;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.Deadband;
import nexus.query.TagReading;
import nexus.query.TagService;
import nexus.query.TagWatch;
import nexus.sparkplug.SparkplugStatus;

/**
 * The edge node role (docs/federation.md): one MQTT session after another, each with its bdSeq;
 * in each, a birth certificate of what the identity sees ({@link Births}), then data by exception
 * from one {@link TagWatch} polled every publish interval ({@link Changes}), alarm states, answers
 * to commands ({@link Commands}), and a new birth when the registry version moves, a host asks for
 * one or alarm events were lost. With a primary host configured, the birth waits until that host's
 * STATE says online; when it says offline, the node publishes its NDEATH and stays silent, and the
 * MQTT link is expected to close the session and open a new one (a new bdSeq) that waits again.
 * A birth that cannot be built (no tag service, the registry missing or busy, too many tags) is
 * never published in part: {@link #birthProblem()} says why, and it is tried again ({@link BirthRetry}).
 *
 * <p>Threading: every method but {@link #status()} and {@link #alarmEvent} runs on the component's one
 * Sparkplug thread; those two run on any thread and never block.
 */
final class EdgeNode extends EdgeRole {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeNode.class);

    /** The registry version whose tags the birth in force lists (the birth's, or a later one that changed none). */
    private long acceptedVersion = -1;
    /** How far ahead of ours a primary host's STATE timestamp may be, ms. */
    static final long STATE_FUTURE_MS = 60_000;
    /** The most metrics one NCMD may carry; a larger one is ignored (counted, logged once). */
    static final int MAX_COMMAND_METRICS = 1000;
    /** The shortest time between two births a host asks for, ms. */
    static final long REBIRTH_MIN_MS = 1000;
    /** When the birth in force was published, ms; and whether a host asked for another one meanwhile. */
    private long lastBirthMillis = Long.MIN_VALUE / 2;
    private boolean rebirthAsked;
    /** Whether the current session published an NBIRTH: its NDEATH is then owed to the hosts. */
    private boolean bornThisSession;
    private final EdgeSettings settings;
    private final Transport transport;
    private final Supplier<TagService> tags;
    private final Supplier<AlarmService> alarms;
    private final Commands commands;
    private final Counters counters;
    private final LongSupplier clock;
    private final BdSeqFile bdSeqs;
    private final Births births;
    private final Deadband deadband;
    private final AlarmQueue alarmQueue = new AlarmQueue();
    private final Sequence seq = new Sequence();
    private final BirthRetry retry;
    private final OnceLog logged = new OnceLog();
    private final String birthTopic;
    private final String dataTopic;
    private final String deathTopic;

    /** The current session's bdSeq; -1 before the first session. */
    private int bdSeq = -1;
    private boolean connected;
    private boolean primaryOnline;
    private long primaryStateTime = Long.MIN_VALUE;
    /** The birth in force and its watch; both null while the session is not born. */
    private Changes live;
    private TagWatch watch;
    private boolean bornWithAlarms;
    private MetricTable lastTable = MetricTable.empty();
    private Instant lastBirth;
    /** Why the session is not born or its data does not flow; written on the Sparkplug thread, read on any. */
    private volatile String problem;
    private volatile SparkplugStatus.Edge status;

    /** An edge node whose bdSeq is not persisted. */
    EdgeNode(EdgeSettings settings, Topics topics, Transport transport, Supplier<TagService> tags,
            Supplier<AlarmService> alarms, Commands commands, Counters counters) {
        this(settings, topics, transport, tags, alarms, commands, counters, null);
    }

    /** @param home the node's home: the bdSeq is kept in {@code data/sparkplug.bdseq} under it; {@code null}: not kept */
    EdgeNode(EdgeSettings settings, Topics topics, Transport transport, Supplier<TagService> tags,
            Supplier<AlarmService> alarms, Commands commands, Counters counters, Path home) {
        this(settings, topics, transport, tags, alarms, commands, counters, home, System::currentTimeMillis);
    }

    /** @param clock the time of births, data and deaths, ms since the epoch */
    EdgeNode(EdgeSettings settings, Topics topics, Transport transport, Supplier<TagService> tags,
            Supplier<AlarmService> alarms, Commands commands, Counters counters, Path home, LongSupplier clock) {
        this.settings = settings;
        this.transport = transport;
        this.tags = tags;
        this.alarms = alarms;
        this.commands = commands;
        this.counters = counters;
        this.clock = clock;
        this.bdSeqs = new BdSeqFile(home);
        this.births = new Births(settings.identity(), settings.metricsMax(), settings.notPublished());
        this.deadband = settings.deadband();
        this.retry = new BirthRetry(settings.publishIntervalMs());
        this.birthTopic = topics.node(settings.groupId(), "NBIRTH", settings.edgeNodeId());
        this.dataTopic = topics.node(settings.groupId(), "NDATA", settings.edgeNodeId());
        this.deathTopic = topics.node(settings.groupId(), "NDEATH", settings.edgeNodeId());
        this.primaryOnline = settings.primaryHost() == null;
        updateStatus();
    }

    /**
     * A new MQTT session is about to connect: the next bdSeq (0–255, one more than the last session's).
     *
     * @return the NDEATH payload for the session's will, carrying that bdSeq
     */
    byte[] newSession() {
        endBirth();
        connected = false;
        bdSeq = bdSeqs.next();
        bornThisSession = false;
        seq.reset();
        retry.reset();
        primaryOnline = settings.primaryHost() == null;
        updateStatus();
        return Payloads.death(bdSeq, clock.getAsLong());
    }

    /** The session is connected and its subscriptions are made: the birth follows (now, or when the primary host is online). */
    void online() {
        if (bdSeq < 0) {
            throw new IllegalStateException("online() before newSession(): the session has no bdSeq");
        }
        connected = true;
        if (primaryOnline) {
            birth();
        } else {
            problem = "waiting for primary host '" + settings.primaryHost() + "' to say online in its STATE";
            LOG.info("edge node {}/{}: {}", settings.groupId(), settings.edgeNodeId(), problem);
        }
        updateStatus();
    }

    /** The session is lost: nothing is published until the next {@link #online()}. */
    void offline() {
        connected = false;
        endBirth();
        updateStatus();
    }

    /**
     * The primary host's STATE arrived (only when one is configured). A STATE older than the last one
     * seen is ignored (Sparkplug B 3.0: a host's late will must not undo its newer birth). Online: the
     * birth follows when the session is connected and not born yet. Offline while born: the NDEATH is
     * published, the session is ended and a new one waits for the host's STATE online.
     */
    void primaryHostState(boolean online, long timestamp) {
        if (settings.primaryHost() == null || timestamp < primaryStateTime) {
            return;
        }
        if (timestamp > clock.getAsLong() + STATE_FUTURE_MS) {
            // no host's clock runs a minute ahead of ours: believed, it would hide every later true STATE
            logOnce("a STATE of the primary host '" + settings.primaryHost() + "' dated more than a minute ahead was"
                    + " ignored (check the clocks, or who publishes on its STATE topic)");
            return;
        }
        primaryStateTime = timestamp;
        primaryOnline = online;
        if (online) {
            if (connected && live == null) {
                birth();
            }
        } else {
            if (live != null) {
                transport.publish(deathTopic, Payloads.death(bdSeq, clock.getAsLong()), 1, false);
                endBirth();
                transport.reconnect(); // Sparkplug 3.0: a new session, which waits for the host again
            }
            problem("primary host '" + settings.primaryHost() + "' is offline: the edge node published its NDEATH"
                    + " and births again when the host's STATE says online");
        }
        updateStatus();
    }

    /** Every publish interval: polls the watch and publishes one NDATA of what changed; a new registry version is a new birth. */
    void tick() {
        retry.tick();
        if (!connected || !primaryOnline) {
            return;
        }
        if (live == null) {
            if (retry.due()) {
                birth();
            }
        } else if (rebirthAsked && clock.getAsLong() - lastBirthMillis >= REBIRTH_MIN_MS) {
            birth();
        } else if (alarmQueue.overflowed()) {
            LOG.warn("more than {} alarm events waited for one publish interval ({} dropped so far): a new NBIRTH"
                    + " carries every alarm's state instead", AlarmQueue.CAPACITY, alarmQueue.dropped());
            birth();
        } else if (alarmsPublished() != bornWithAlarms) {
            LOG.info("the alarm service {}: a new NBIRTH", bornWithAlarms ? "went away" : "is there");
            birth();
        } else {
            publishChanges();
        }
        updateStatus();
    }

    private void publishChanges() {
        List<TagReading> changed;
        try {
            changed = watch.poll();
        } catch (RuntimeException e) {
            String why = "the tag watch could not be polled: " + e.getMessage() + "; polled again at the next interval";
            if (unavailable(e)) {
                waiting(why);
            } else {
                problem(why);
            }
            return;
        }
        if (watch.registryVersion() != acceptedVersion) {
            if (!births.sameTags(tags.get(), live.table())) {
                LOG.info("registry version {} replaced {}: a new NBIRTH", watch.registryVersion(),
                        live.table().registryVersion());
                birth();
                return;
            }
            // a version that changed nothing this node publishes (e.g. a host's mirrors): no new birth
            acceptedVersion = watch.registryVersion();
        }
        problem(null);
        long now = clock.getAsLong();
        Payload.Builder data = Payload.newBuilder().setTimestamp(now);
        live.tags(changed, data, now);
        for (AlarmEvent event : alarmQueue.drain()) {
            live.alarm(event, data);
        }
        if (data.getMetricsCount() > 0) {
            publishData(data);
        }
    }

    /** An NCMD arrived for this node: the raw payload. */
    void command(byte[] payload) {
        Payload decoded;
        try {
            decoded = Payload.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            counters.malformed.increment();
            logOnce("an NCMD that is no Sparkplug B payload was ignored: " + e.getMessage());
            return;
        }
        if (live == null) {
            logOnce("an NCMD arrived before this session's NBIRTH and was ignored: a host commands a born edge node");
            return;
        }
        if (decoded.getMetricsCount() > MAX_COMMAND_METRICS) {
            // each write is checked and audited (a disk sync): thousands in one NCMD would stall the data for minutes
            counters.malformed.increment();
            logOnce("an NCMD with more than " + MAX_COMMAND_METRICS + " metrics was ignored: send writes in NCMDs of at"
                    + " most " + MAX_COMMAND_METRICS + " metrics");
            return;
        }
        Commands.Outcome outcome;
        try {
            outcome = commands.handle(decoded, live.table());
        } catch (RuntimeException e) {
            LOG.error("an NCMD could not be handled; it was ignored", e);
            return;
        }
        if (!outcome.answers().isEmpty()) {
            long now = clock.getAsLong();
            publishData(Payload.newBuilder().setTimestamp(now).addAllMetrics(outcome.answers()));
        }
        if (outcome.rebirth()) { // Commands counted the request
            if (clock.getAsLong() - lastBirthMillis >= REBIRTH_MIN_MS) {
                birth();
            } else {
                rebirthAsked = true; // at most one birth a second: a flood of requests makes one more birth
            }
        }
        updateStatus();
    }

    /** @return what was done; publishes a new NBIRTH now */
    String rebirth() {
        if (!connected) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the edge node is not connected to the broker:"
                    + " it publishes its birth as soon as it is");
        }
        if (!primaryOnline) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the edge node waits for primary host '"
                    + settings.primaryHost() + "' to say online: it publishes its birth then");
        }
        boolean born = birth();
        updateStatus();
        if (!born) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no NBIRTH was published: " + problem);
        }
        return "NBIRTH published: bdSeq " + bdSeq + ", " + (lastTable.size() + 1) + " metrics from registry version "
                + lastTable.registryVersion();
    }

    /**
     * The node stops or the configuration changes: the NDEATH to publish before the clean disconnect.
     *
     * @return the NDEATH payload of the current session, or {@code null} when no session was born
     */
    byte[] stop() {
        // A host that saw this session's birth keeps its values until it hears the death: a clean
        // disconnect does not fire the will, so the NDEATH goes out even when a later rebirth failed.
        boolean born = bornThisSession;
        bornThisSession = false;
        endBirth();
        connected = false;
        updateStatus();
        return born ? Payloads.death(bdSeq, clock.getAsLong()) : null;
    }

    /** @return the role's state now; any thread */
    SparkplugStatus.Edge status() {
        return status;
    }

    /**
     * @return why the session has no birth (waiting for the primary host, no tag service, a namespace
     *         larger than edge.metrics.max, a listing the tag service refused …) or why its data does
     *         not flow (the watch cannot be polled), with what to do; {@code null} when all is well. Any thread
     */
    String birthProblem() {
        return problem;
    }

    /** An alarm event: queued for the next tick; any thread, never blocks. */
    void alarmEvent(AlarmEvent event) {
        if (settings.alarms()) {
            alarmQueue.offer(event);
        }
    }

    /**
     * Builds and publishes a birth from the namespace now, in place of the one in force (whose watch is
     * closed). All or nothing: a birth that cannot be read whole is not published.
     *
     * @return whether the NBIRTH was published
     */
    private boolean birth() {
        endBirth();
        TagService tagService = tags.get();
        if (tagService == null) {
            problem("no tag service runs: the birth waits for it");
            return failed();
        }
        AlarmService alarmService = settings.alarms() ? alarms.get() : null;
        alarmQueue.clear(); // the birth carries every alarm's state: events up to now are in it
        long now = clock.getAsLong();
        Births.Opened opened;
        try {
            opened = births.read(tagService, alarmService, bdSeq, now);
        } catch (NexusException e) {
            String why = "the birth could not be read: " + e.getMessage();
            if (unavailable(e)) {
                waiting(why);
            } else {
                problem(why);
            }
            return failed();
        } catch (RuntimeException e) {
            LOG.error("the birth of {}/{} failed", settings.groupId(), settings.edgeNodeId(), e);
            problem("the birth failed with an internal error (" + e + "); see the log");
            return failed();
        }
        Births.Birth birth = opened.birth();
        seq.birth();
        if (!transport.publish(birthTopic, birth.payload().toByteArray(), settings.qos(), false)) {
            opened.watch().close();
            problem("the NBIRTH could not be handed to the MQTT client (not connected): the next session births");
            return false;
        }
        watch = opened.watch();
        live = new Changes(birth, deadband);
        bornWithAlarms = alarmService != null;
        lastTable = birth.table();
        acceptedVersion = lastTable.registryVersion();
        lastBirth = Instant.ofEpochMilli(now);
        lastBirthMillis = now;
        rebirthAsked = false;
        counters.births.increment();
        bornThisSession = true;
        retry.reset();
        problem(null);
        LOG.info("NBIRTH of {}/{}: bdSeq {}, {} metrics from registry version {}", settings.groupId(),
                settings.edgeNodeId(), bdSeq, lastTable.size() + 1, lastTable.registryVersion());
        return true;
    }

    /** @return {@code false}, once the failed birth's next try is set ({@link BirthRetry}) */
    private boolean failed() {
        retry.failed();
        if (bornThisSession && connected) {
            // Hosts hold this session's birth as current: they must hear that it is not, and the next
            // birth belongs to a new session (a new bdSeq), as after a primary host's going offline.
            bornThisSession = false;
            transport.publish(deathTopic, Payloads.death(bdSeq, clock.getAsLong()), 1, false);
            LOG.warn("edge node {}/{}: a rebirth failed ({}): the NDEATH of bdSeq {} is published and a new session"
                    + " follows", settings.groupId(), settings.edgeNodeId(), problem, bdSeq);
            transport.reconnect();
        }
        return false;
    }

    private void publishData(Payload.Builder data) {
        data.setSeq(seq.next());
        transport.publish(dataTopic, data.build().toByteArray(), settings.qos(), false);
    }

    /** The birth in force ends: its watch is closed, and no data flows until the next birth. */
    private void endBirth() {
        close(watch);
        watch = null;
        live = null;
    }

    private boolean alarmsPublished() {
        return settings.alarms() && alarms.get() != null;
    }

    /** Sets the problem the status shows; logs it when it changes ({@code null}: all is well). */
    private void problem(String now) {
        if (now != null && !now.equals(problem)) {
            LOG.warn("edge node {}/{}: {}", settings.groupId(), settings.edgeNodeId(), now);
        }
        problem = now;
    }

    /**
     * A problem that starting or stopping services cause (no registry loaded yet, the registry service
     * stopping): said in the status like any, logged at INFO, as it passes by itself.
     */
    private void waiting(String now) {
        if (now != null && !now.equals(problem)) {
            LOG.info("edge node {}/{}: {}", settings.groupId(), settings.edgeNodeId(), now);
        }
        problem = now;
    }

    private static boolean unavailable(RuntimeException e) {
        return e instanceof NexusException n && n.code() == nexus.core.ErrorCode.BACKEND_UNAVAILABLE;
    }

    private void logOnce(String message) {
        if (logged.first(message)) {
            LOG.warn("edge node {}/{}: {} (logged once)", settings.groupId(), settings.edgeNodeId(), message);
        }
    }

    private static void close(TagWatch watch) {
        if (watch != null) {
            watch.close();
        }
    }

    private void updateStatus() {
        status = new SparkplugStatus.Edge(settings.groupId(), settings.edgeNodeId(), live != null,
                bdSeq < 0 ? bdSeqs.peek() : bdSeq, Math.max(seq.last(), 0), lastBirth == null ? 0 : lastTable.size() + 1,
                lastTable.registryVersion(), lastBirth, settings.primaryHost(), primaryOnline);
    }
}
