package nexus.sparkplug.internal;

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

import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;

import nexus.registry.TagRegistry;
import nexus.sparkplug.SparkplugStatus;

/**
 * The Sparkplug 3.0 host application role: mirrors the edge nodes of the configured groups and their
 * devices — any Sparkplug 3.0 edge, not only RMA Nexus — as tags of the registry
 * ({@link MirrorContribution}) whose values live in one {@link MirrorMemory} per node and per device.
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
 * (a DCMD for a device's tag) and the NDATA (DDATA) metric carrying its {@code requestId} is the answer
 * ({@link RemoteWrites}).
 *
 * Device messages (DBIRTH, DDATA, DDEATH) take their place in their node's {@code seq} (checked here as
 * NDATA is: a gap makes the node and all its devices STALE); those of a born, current node are mirrored
 * by {@link DeviceMirror}: each device's metrics at {@code <prefix>/<group>/<edge node>/<device>/<metric>},
 * in a bank of its own. A node's NBIRTH makes its devices STALE until their own DBIRTH; its NDEATH,
 * a gap or our own offline make them STALE with the node. The values of one NBIRTH, NDATA, DBIRTH or
 * DDATA are taken in by {@link MirrorIntake}. A {@code null} metric value (is_null) leaves the mirrored
 * value as it was: a bank has one quality, not one per value.
 *
 * <p>Threading: every method runs on the component's one Sparkplug thread, except {@link #status()}
 * (any thread); the component hands {@link #registryChanged()} to that thread too. Registry builds run
 * on the build executor, never here.
 */
final class HostApplication {

    /** The shortest wait between two rebirth requests to one node, while its birth does not come. */
    static final long REBIRTH_RETRY_MS = RebirthRequests.RETRY_MS;

    private static final Logger LOG = LoggerFactory.getLogger(HostApplication.class);

    /** The message types taken in. */
    private static final Set<String> TAKEN = Set.of("NBIRTH", "NDATA", "NDEATH", "DBIRTH", "DDATA", "DDEATH");

    private final HostSettings settings;
    private final Transport transport;
    private final Topics topics;
    private final Counters counters;
    private final Clock clock;
    private final Set<String> groups;
    private final MirrorContribution contribution;
    private final RemoteWrites writes;
    private final MirrorIntake intake;
    private final DeviceMirror devices;
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
        this.intake = new MirrorIntake(settings, counters, clock, logged);
        this.devices = new DeviceMirror(settings, intake, rebirths, writes, clock, this::mirroredBesides,
                this::offerMirrors);
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
     * A message on a subscribed topic: NBIRTH, NDATA, NDEATH, DBIRTH, DDATA and DDEATH of the configured
     * groups are taken in; others are ignored.
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
        if (!OnceLog.printable(topic).equals(topic)) {
            // an id with a control character names no tag path and would forge log lines: not a node of ours
            intake.malformed("topic " + OnceLog.printable(topic), "control characters", "its topic has control"
                    + " characters in an id: ignored");
            return;
        }
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
            birth = RemoteBirth.read(payload, settings.path(node.groupId, node.edgeNodeId, ""));
        } catch (IllegalArgumentException e) {
            malformed(node, "birth without bdSeq", e.getMessage());
            return;
        }
        intake.skipped(node.id(), birth);
        int others = mirroredBesides(node);
        if (others + birth.mirrored().size() > settings.tagsMax()) {
            node.stale();
            malformed(node, "too many tags", "its birth would mirror " + birth.mirrored().size() + " tags beside the "
                    + others + " of the other nodes and devices, more than host.tags.max (" + settings.tagsMax()
                    + "): it is not mirrored (its last mirror, if any, is STALE); raise host.tags.max and the heap"
                    + " with it");
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
        intake.birth(node.target(), "NBIRTH");
        devices.nodeBorn(node);
        offerMirrors();
    }

    /** @return the tags every node and device mirrors now, but the one given (a node or a device; null: none) */
    private int mirroredBesides(Object except) {
        int count = 0;
        for (RemoteNode node : nodes.values()) {
            count += node == except || node.layout == null ? 0 : node.layout.slots().size();
            for (RemoteDevice device : node.devices.values()) {
                count += device == except || device.layout == null ? 0 : device.layout.slots().size();
            }
        }
        return count;
    }

    /**
     * Offers every node's current mirror for contribution. Cheap, and a no-op for the registry when
     * nothing changed since the last contribution it took (an unchanged rebirth); after one it could
     * not take (no registry yet, a refusal), the next birth offers it again.
     */
    private void offerMirrors() {
        List<MirrorContribution.Mirror> mirrors = new ArrayList<>();
        for (RemoteNode node : nodes.values()) {
            mirrors.add(node.mirror());
            for (RemoteDevice device : node.devices.values()) {
                mirrors.add(device.mirror());
            }
        }
        mirrors.removeIf(Objects::isNull);
        contribution.offer(mirrors);
    }

    /**
     * A device message takes a number in its node's {@code seq} (Sparkplug 3.0: one sequence over the
     * node's and its devices' messages), so it is checked like NDATA; only then is it taken in. A DBIRTH
     * is taken only while the node is born and current.
     */
    private void device(RemoteNode node, String device, String type, Payload payload) {
        if (next(node, type, payload)) {
            devices.message(node, device, type, payload);
        }
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
        MirrorIntake.Taken taken = intake.data(node.target(), "NDATA", payload);
        if (taken.unusable()) {
            // what could not be taken in may have changed: nothing of the node is current until its rebirth
            node.stale();
            node.publishStatus();
            rebirths.request(node, "its data named metrics its birth does not have, or values not of their datatype");
        }
        for (Metric answer : taken.answers()) { // after the values are in: the writer reads its answer back
            RemoteBirth.Known known = answer.hasAlias() ? node.birth.byAlias(answer.getAlias())
                    : node.birth.byName(answer.getName());
            writes.answer(node, answer, known == null ? null : known.datatype());
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
        devices.nodeDied(node);
        writes.abandon(node, node.id() + " died before it answered");
        LOG.info("Sparkplug host: {} died (bdSeq {}): its mirror is STALE until its next birth", node.id(), bdSeq);
    }

    private void malformed(RemoteNode node, String cause, String message) {
        intake.malformed(node.id(), cause, message);
    }

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
