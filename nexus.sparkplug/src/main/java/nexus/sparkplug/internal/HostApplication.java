package nexus.sparkplug.internal;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;

import nexus.core.NexusException;
import nexus.registry.TagRegistry;
import nexus.rma.Allocation;
import nexus.sparkplug.SparkplugStatus;

/**
 * The Sparkplug 3.0 host application role: mirrors the edge nodes of the configured groups — any
 * Sparkplug 3.0 edge, not only RMA Nexus — as tags of the registry ({@link MirrorContribution}) whose
 * values live in one {@link MirrorMemory} per node.
 *
 * <ul>
 * <li>NBIRTH: the node's session (bdSeq) and metrics; the mirrored ones get a layout
 * ({@link MirrorLayout}) and the birth's values. A rebirth with the same mirrored metric set reuses the
 * memory and makes no new registry version; another set is a new memory (a new bank name) and a new
 * contribution.</li>
 * <li>NDATA: {@code seq} must be one more than the last message's (255 → 0); otherwise the node's
 * mirror goes STALE, a rebirth is requested and its data is ignored until the next NBIRTH. The values of
 * one NDATA are one snapshot of the memory. A metric by an alias never born, a name not in the birth,
 * or a value not of its datatype is counted ({@link Counters#malformed}), logged once per cause, not
 * written, and a rebirth requested. NDATA before any NBIRTH of the node: a rebirth is requested.</li>
 * <li>NDEATH: with the bdSeq of the birth in force, the node is offline and STALE; with another, it is
 * the death of an older session and ignored ({@link Counters#staleDeaths}).</li>
 * <li>Our own connection lost ({@link #offline()}): every node is STALE — we cannot know; when it is
 * back ({@link #online()}) every known node is asked for a rebirth.</li>
 * </ul>
 * A mirror is never current (GOOD) unless its node's birth and every message since were taken in.
 * Rebirth requests ({@code Node Control/Rebirth} = true in an NCMD) go out at most once every
 * {@value #REBIRTH_RETRY_MS} ms per node until its birth arrives.
 *
 * A mirrored tag the birth marks {@code writable} is written by its node: the write goes out as an NCMD
 * and the NDATA metric carrying its {@code requestId} is the answer ({@link RemoteWrites}).
 *
 * Device messages (DBIRTH, DDATA, DDEATH) are not mirrored; they only take their place in their node's
 * {@code seq}. A {@code null} metric value (is_null) leaves the mirrored value as it was: a bank has one
 * quality, not one per value.
 *
 * <p>Threading: every method runs on the component's one Sparkplug thread, except {@link #status()}
 * (any thread); the component hands {@link #registryChanged()} to that thread too. Registry builds run
 * on the build executor, never here.
 */
final class HostApplication {

    /** The shortest wait between two rebirth requests to one node, while its birth does not come. */
    static final long REBIRTH_RETRY_MS = RebirthRequests.RETRY_MS;

    private static final Logger LOG = LoggerFactory.getLogger(HostApplication.class);

    /** The message types taken in (device ones only for their place in the node's sequence). */
    private static final Set<String> TAKEN = Set.of("NBIRTH", "NDATA", "NDEATH", "DBIRTH", "DDATA", "DDEATH");

    private final HostSettings settings;
    private final Transport transport;
    private final Topics topics;
    private final Counters counters;
    private final Clock clock;
    private final Set<String> groups;
    private final MirrorContribution contribution;
    private final RemoteWrites writes;
    /** {@code <group>/<edge node>} of this node's own edge role, whose messages are not mirrored; or null. */
    private volatile String ownNode;
    /** The largest payload decoded: a birth of 300,000 metrics with properties is about 20 MB. */
    static final int MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;
    /** The most edge nodes one host mirrors; births of more are ignored (counted, logged once). */
    static final int MAX_NODES = 10_000;
    private final RebirthRequests rebirths;
    private final OnceLog logged = new OnceLog();
    private final Map<String, RemoteNode> nodes = new ConcurrentHashMap<>();
    private volatile boolean online;
    private long sessionTimestamp;

    /**
     * @param builds    runs registry builds (never the Sparkplug thread)
     * @param sparkplug runs tasks on the Sparkplug thread: writes to mirrored tags are published there
     */
    HostApplication(HostSettings settings, Transport transport, Topics topics, Counters counters,
            Supplier<TagRegistry> registry, Executor builds, Executor sparkplug, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.groups = new HashSet<>(settings.groups());
        this.contribution = new MirrorContribution(settings, registry, builds, counters);
        this.rebirths = new RebirthRequests(transport, topics, counters, clock, MAX_NODES);
        this.writes = new RemoteWrites(settings, transport, topics, sparkplug, clock, () -> online,
                RemoteWrites.MAX_PENDING);
    }

    /** The node is also this edge node: its own births are not mirrored (its tags are here already). */
    void notMirrored(String groupId, String edgeNodeId) {
        ownNode = groupId + "/" + edgeNodeId;
    }

    /**
     * @return the topic filters the host's session subscribes to (QoS 1), before it publishes its STATE
     *         online: per group, its node messages and its device messages (which count in their
     *         node's {@code seq})
     */
    List<String> subscriptions() {
        List<String> filters = new ArrayList<>();
        for (String group : settings.groups()) {
            filters.add(topics.groupFilter(group));
            filters.add(topics.groupFilter(group) + "/+");
        }
        return filters;
    }

    /**
     * A new MQTT session is about to connect: its will, the STATE {@code online:false}, with the
     * session's timestamp (the same one {@link #stateOnline()} gives, as Sparkplug 3.0 requires).
     */
    byte[] stateWill() {
        sessionTimestamp = clock.millis();
        return state(false);
    }

    /** @return the STATE {@code online:true} of the session the last {@link #stateWill()} began */
    byte[] stateOnline() {
        if (sessionTimestamp == 0) {
            sessionTimestamp = clock.millis();
        }
        return state(true);
    }

    /** @return the STATE {@code online:false} of the session in force, for a clean stop */
    byte[] stateOffline() {
        return state(false);
    }

    private byte[] state(boolean up) {
        return HostMessages.state(up, sessionTimestamp);
    }

    /** The session is up and subscribed: every known node may have sent what we missed, so each is asked for a rebirth. */
    void online() {
        online = true;
        for (RemoteNode node : nodes.values()) {
            rebirths.requestNow(node, "the host's session began");
        }
        offerMirrors();
    }

    /**
     * A tag registry service appeared or was replaced: a new one holds no contribution of ours (nor
     * does a registry that fell back to its last good copy), so the mirrors are offered to it.
     */
    void registryChanged() {
        offerMirrors();
    }

    /** Our connection is lost: every node's mirror is STALE until its next birth. */
    void offline() {
        online = false;
        for (RemoteNode node : nodes.values()) {
            node.stale();
            writes.abandon(node, "the host lost its MQTT session before " + node.id() + " answered");
            node.publishStatus();
        }
    }

    /** The host stops: its contribution is withdrawn (blocks while the registry serves a version without it). */
    void stop() {
        offline();
        contribution.stop();
    }

    /**
     * A message on a subscribed topic: NBIRTH, NDATA and NDEATH of the configured groups are taken in;
     * device messages (DBIRTH, DDATA, DDEATH) only count in their node's {@code seq}; others are ignored.
     */
    void message(String topic, byte[] payload) {
        Topics.NodeTopic at = topics.parseNode(topic);
        String device = null;
        if (at == null) {
            Topics.DeviceTopic d = topics.parseDevice(topic);
            if (d == null) {
                return;
            }
            at = new Topics.NodeTopic(d.groupId(), d.type(), d.edgeNodeId());
            device = d.deviceId();
        }
        String type = at.type();
        if (!groups.contains(at.groupId()) || !TAKEN.contains(type)) {
            return;
        }
        Topics.NodeTopic from = at;
        if (ownNode != null && ownNode.equals(from.groupId() + "/" + from.edgeNodeId())) {
            return; // this node's own edge role: its tags are here already, as themselves
        }
        String key = from.groupId() + "/" + from.edgeNodeId();
        RemoteNode node = nodes.get(key);
        if (payload.length > MAX_PAYLOAD_BYTES) {
            counters.malformed.increment();
            if (logged.first(key + " too large")) {
                LOG.warn("Sparkplug host: a {} of {} is {} bytes, more than the {} a host decodes: ignored (counted as"
                        + " malformed; logged once per node)", type, key, payload.length, MAX_PAYLOAD_BYTES);
            }
            return;
        }
        Payload decoded;
        try {
            decoded = Payload.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            if (node == null) {
                counters.malformed.increment();
                if (logged.first("undecodable from unborn " + type)) {
                    LOG.warn("Sparkplug host: a {} on {} is no Sparkplug B payload ({}), from an edge node not born here"
                            + " (counted as malformed; logged once)", type, topic, e.getMessage());
                }
            } else {
                malformed(node, "undecodable " + type, "its " + type + " is no Sparkplug B payload (" + e.getMessage() + ")");
            }
            return;
        }
        if (node == null) {
            // A node is kept only from its first birth on: made-up node ids cost no memory, no status line and
            // no rebirth request at every reconnect. Its data (a host that started after it) asks for a birth.
            if (!type.equals("NBIRTH")) {
                rebirths.requestUnborn(from.groupId(), from.edgeNodeId(), type);
                return;
            }
            if (nodes.size() >= MAX_NODES) {
                counters.malformed.increment();
                if (logged.first("too many nodes")) {
                    LOG.warn("Sparkplug host: {} edge nodes are mirrored, the most one host keeps; the birth of {} and of"
                            + " every further node is ignored (logged once)", MAX_NODES, key);
                }
                return;
            }
            node = nodes.computeIfAbsent(key, k -> new RemoteNode(from.groupId(), from.edgeNodeId()));
        }
        if (node.writer == null) {
            node.writer = writes.writer(node);
        }
        switch (type) {
            case "NBIRTH" -> birth(node, decoded);
            case "NDATA" -> data(node, decoded);
            case "NDEATH" -> death(node, decoded);
            default -> device(node, device, type, decoded);
        }
        node.publishStatus();
    }

    private void birth(RemoteNode node, Payload payload) {
        RemoteBirth birth;
        try {
            birth = RemoteBirth.read(payload);
        } catch (IllegalArgumentException e) {
            malformed(node, "birth without bdSeq", e.getMessage());
            return;
        }
        for (RemoteBirth.Skipped skipped : birth.skipped()) {
            if (logged.first(node.id() + " skipped " + skipped.cause())) {
                LOG.info("Sparkplug host: metric '{}' of {} is not mirrored: {} (logged once per node and cause)",
                        skipped.name(), node.id(), skipped.cause());
            }
        }
        int others = 0;
        for (RemoteNode other : nodes.values()) {
            others += other == node || other.layout == null ? 0 : other.layout.slots().size();
        }
        if (others + birth.mirrored().size() > settings.tagsMax()) {
            node.stale();
            malformed(node, "too many tags", "its birth would mirror " + birth.mirrored().size() + " tags beside the "
                    + others + " of the other nodes, more than host.tags.max (" + settings.tagsMax() + "): it is not"
                    + " mirrored (its last mirror, if any, is STALE); raise host.tags.max and the heap with it");
            return;
        }
        MirrorLayout layout = MirrorLayout.of(birth.mirrored().stream().map(RemoteBirth.Born::shape).toList(),
                settings.stringSize());
        boolean changed = !layout.sameShapes(node.layout);
        if (changed) {
            if (node.memory != null) {
                node.memory.markStale();
            }
            node.layout = layout;
            node.memory = layout.slots().isEmpty() ? null : new MirrorMemory(layout.end());
        }
        node.birth = birth;
        node.seq = payload.hasSeq() ? (int) (payload.getSeq() & 0xFF) : 0;
        node.online = true;
        node.awaitingBirth = false;
        // rebirthRequested is kept: a forger's gaps right after a birth must not make one rebirth per message
        node.lastBirth = clock.instant();
        if (node.memory != null) {
            ByteBuffer draft = node.memory.draft();
            for (RemoteBirth.Born born : birth.mirrored()) {
                write(node, draft, born.shape(), born.metric(), "NBIRTH");
            }
            node.memory.publish(draft, nanos(birth.timestamp()));
        }
        offerMirrors();
    }

    /**
     * Offers every node's current mirror for contribution. Cheap, and a no-op for the registry when
     * nothing changed since the last contribution it took (an unchanged rebirth); after one it could
     * not take (no registry yet, a refusal), the next birth offers it again.
     */
    private void offerMirrors() {
        contribution.offer(nodes.values().stream().map(RemoteNode::mirror).filter(Objects::nonNull).toList());
    }

    /**
     * A device message: its metrics are not mirrored (yet), but it takes a number in its node's
     * {@code seq} (Sparkplug 3.0: one sequence over the node's and its devices' messages), so it is
     * checked like NDATA: skipping it would make the node's next NDATA look like a gap.
     */
    private void device(RemoteNode node, String device, String type, Payload payload) {
        if (logged.first(node.id() + " devices")) {
            LOG.info("Sparkplug host: {} publishes device messages ({} of device '{}'): device metrics are not mirrored,"
                    + " only the node's own (logged once per node)", node.id(), type, device);
        }
        next(node, type, payload);
    }

    /**
     * @return whether the message is the next one of the node's current session, to be taken in; when it
     *         is not (no birth, STALE, a lost message), a rebirth is requested
     */
    private boolean next(RemoteNode node, String type, Payload payload) {
        if (node.birth == null) {
            rebirths.request(node, type + " came before any NBIRTH of the node");
            return false;
        }
        if (node.awaitingBirth) {
            rebirths.request(node, type + " came while the node's mirror is STALE");
            return false;
        }
        int expected = (node.seq + 1) & 0xFF;
        if (!payload.hasSeq() || payload.getSeq() != expected) {
            node.gaps++;
            counters.gaps.increment();
            node.stale();
            writes.abandon(node, node.id() + " lost a message, which may have been the answer");
            if (logged.first(node.id() + " gap")) {
                LOG.warn("Sparkplug host: {} sent {} with seq {} where {} was next: messages were lost; its mirror is"
                        + " STALE until the rebirth requested now (logged once per node)", node.id(), type,
                        payload.hasSeq() ? payload.getSeq() : "none", expected);
            }
            rebirths.request(node, "a message was lost");
            return false;
        }
        node.seq = expected;
        return true;
    }

    private void data(RemoteNode node, Payload payload) {
        if (!next(node, "NDATA", payload)) {
            return;
        }
        ByteBuffer draft = null;
        boolean unusable = false;
        List<Metric> answers = new ArrayList<>();
        for (Metric metric : payload.getMetricsList()) {
            RemoteBirth.Known known = metric.hasAlias() ? node.birth.byAlias(metric.getAlias())
                    : metric.hasName() ? node.birth.byName(metric.getName()) : null;
            if (RemoteWrites.isAnswer(metric)) {
                answers.add(metric);
                if (known == null) {
                    continue; // the answer to a write of a metric the node no longer has: no data
                }
            }
            if (known == null) {
                unusable = true;
                malformed(node, metric.hasAlias() ? "alias never born" : "name not in birth",
                        "its NDATA names " + (metric.hasAlias() ? "alias " + metric.getAlias() : metric.hasName()
                                ? "metric '" + metric.getName() + "'" : "a metric by neither name nor alias")
                                + ", which its birth does not have");
                continue;
            }
            if (known.shape() == null) {
                continue;
            }
            if (metric.getDatatype() != 0 && metric.getDatatype() != known.datatype().getNumber()) {
                unusable = true;
                malformed(node, "datatype mismatch", "its NDATA gives metric '" + known.name() + "' datatype "
                        + DataType.forNumber(metric.getDatatype()) + ", its birth " + known.datatype());
                continue;
            }
            if (draft == null) {
                draft = node.memory.draft();
            }
            unusable |= !write(node, draft, known.shape(), metric, "NDATA");
        }
        if (draft != null) {
            node.memory.publish(draft, nanos(payload.hasTimestamp() ? payload.getTimestamp() : 0));
        }
        if (payload.hasTimestamp()) {
            long lag = clock.millis() - payload.getTimestamp();
            counters.mirrorLagMillis.set(lag);
            counters.mirrorLag.record(lag);
        }
        if (unusable) {
            // what could not be taken in may have changed: nothing of the node is current until its rebirth
            node.stale();
            node.publishStatus();
            rebirths.request(node, "its data named metrics its birth does not have, or values not of their datatype");
        }
        for (Metric answer : answers) { // after the values are in: the writer reads its answer back
            RemoteBirth.Known known = answer.hasAlias() ? node.birth.byAlias(answer.getAlias())
                    : node.birth.byName(answer.getName());
            writes.answer(node, answer, known == null ? null : known.datatype());
        }
    }

    /** @return whether the value was written (or was null); false when it does not suit its metric */
    private boolean write(RemoteNode node, ByteBuffer draft, MirrorLayout.Shape shape, Metric metric, String type) {
        Allocation at = node.layout.slot(shape.name()).allocation();
        try {
            Object value = DataTypes.value(metric, shape.datatype());
            node.memory.valid(at, value != null); // is_null: the tag is BAD at the edge, never GOOD here
            if (value != null && MirrorValues.put(draft, at, value)
                    && logged.first(node.id() + " cut " + shape.name())) {
                LOG.info("Sparkplug host: metric '{}' of {} is longer than its mirror's {} bytes: it is mirrored cut"
                        + " (logged once per metric)", shape.name(), node.id(), settings.stringSize());
            }
            return true;
        } catch (IllegalArgumentException | NexusException e) {
            node.memory.valid(at, false); // what was not taken in has no current value here
            malformed(node, "datatype mismatch", "its " + type + " gives metric '" + shape.name()
                    + "' a value that does not suit it: " + e.getMessage());
            return false;
        }
    }

    private void death(RemoteNode node, Payload payload) {
        Long bdSeq = RemoteBirth.bdSeq(payload);
        if (bdSeq == null) {
            malformed(node, "death without bdSeq", "its NDEATH carries no bdSeq metric: it cannot be matched to a session");
            return;
        }
        if (node.birth == null || bdSeq != node.birth.bdSeq()) {
            counters.staleDeaths.increment();
            LOG.debug("Sparkplug host: {} NDEATH with bdSeq {} ignored: the birth in force has {}", node.id(), bdSeq,
                    node.birth == null ? "none" : node.birth.bdSeq());
            return;
        }
        node.online = false;
        node.stale();
        writes.abandon(node, node.id() + " died before it answered");
        LOG.info("Sparkplug host: {} died (bdSeq {}): its mirror is STALE until its next birth", node.id(), bdSeq);
    }

    private void malformed(RemoteNode node, String cause, String message) {
        counters.malformed.increment();
        if (logged.first(node.id() + " " + cause)) {
            LOG.warn("Sparkplug host: {}: {} (counted as malformed; logged once per node and cause)", node.id(), message);
        }
    }

    /** @return a payload timestamp (ms) as the memory's last write time (ns); ours when the payload has none */
    private long nanos(long millis) {
        // a timestamp no clock can give (before 1970, or past what ns since 1970 hold: 2262) is not believed
        return (millis > 0 && millis < MAX_TIMESTAMP_MS ? millis : clock.millis()) * 1_000_000L;
    }

    /** Payload timestamps from here on are not believed: they would overflow ns since the epoch. */
    private static final long MAX_TIMESTAMP_MS = Long.MAX_VALUE / 1_000_000L;

    /** @return the role's state now; any thread */
    SparkplugStatus.Host status() {
        List<SparkplugStatus.RemoteNodeStatus> list = new ArrayList<>();
        for (RemoteNode node : nodes.values()) {
            list.add(node.status());
        }
        list.sort(Comparator.comparing(SparkplugStatus.RemoteNodeStatus::groupId)
                .thenComparing(SparkplugStatus.RemoteNodeStatus::edgeNodeId));
        return new SparkplugStatus.Host(settings.hostId(), online, list);
    }
}
