package nexus.sparkplug.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.RemoteWriter;
import nexus.registry.Tag;
import nexus.sparkplug.SparkplugStatus;

/**
 * Writes from the host to mirrored tags, carried out by the edge node that owns them: the host's tag
 * service has checked the caller and audited the write ({@link RemoteWriter}); here it becomes an NCMD
 * (a DCMD for a device's tag, to {@code spBv1.0/<group>/DCMD/<edge node>/<device>}) and the node's
 * NDATA answer (the device's DDATA) becomes the result.
 *
 * <ol>
 * <li>On the calling thread, at once: refused BACKEND_UNAVAILABLE when the host's session is down or the
 * node is offline or STALE (nothing was sent: the answer could not be taken in), OVERLOADED when
 * {@code maxPending} writes already wait for answers.</li>
 * <li>On the Sparkplug thread: the NCMD writes the metric by name (the tag path minus
 * {@code <prefix>/<group>/<edge node>/}), with the datatype of the birth in force and the properties
 * {@code requestId} (a new UUID) and {@code user} (the caller's user: the edge acts as
 * {@code "<user> via <edge.user>"}).</li>
 * <li>The caller waits up to {@code host.write.timeout.ms} for the answer: the NDATA metric carrying the
 * {@code requestId} ({@link #answer}, after the NDATA's values are in the mirror). {@code result} OK is the
 * answered value; another {@code result} is a refusal with that code (INTERNAL when it names none) and the
 * edge's {@code reason}.</li>
 * <li>No answer in time, an interrupted wait, or the node dying (or going STALE, or the host losing its
 * session) while the write is out: OUTCOME_UNKNOWN — it may or may not have been carried out.</li>
 * </ol>
 * Thread-safe: {@link #write} from any thread; {@link #answer} and {@link #abandon} on the Sparkplug thread.
 */
final class RemoteWrites {

    /** The most writes waiting for answers at once, by default. */
    static final int MAX_PENDING = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(RemoteWrites.class);

    /** A write sent (or about to be) and waiting for its answer; {@code device} null for a node's own metric. */
    private record Pending(RemoteNode node, RemoteDevice device, CompletableFuture<Object> answer) {
    }

    private final HostSettings settings;
    private final Transport transport;
    private final Topics topics;
    private final Executor sparkplug;
    private final Clock clock;
    private final BooleanSupplier hostOnline;
    private final int maxPending;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();

    /**
     * @param sparkplug  runs the publishing on the Sparkplug thread
     * @param hostOnline whether the host's session is up and subscribed
     * @param maxPending the most writes waiting for answers at once
     */
    RemoteWrites(HostSettings settings, Transport transport, Topics topics, Executor sparkplug, Clock clock,
            BooleanSupplier hostOnline, int maxPending) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.sparkplug = Objects.requireNonNull(sparkplug, "sparkplug");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hostOnline = Objects.requireNonNull(hostOnline, "hostOnline");
        this.maxPending = maxPending;
    }

    /** @return the writer of one node's mirrored tags, for its contributed bank */
    RemoteWriter writer(RemoteNode node) {
        return (caller, tag, value) -> write(node, null, caller, tag, value);
    }

    /** @return the writer of one device's mirrored tags, for its contributed bank */
    RemoteWriter writer(RemoteDevice device) {
        return (caller, tag, value) -> write(device.node, device, caller, tag, value);
    }

    /** @return how many writes wait for answers now */
    /** Set on the Sparkplug thread: a write asked on it is refused, never waited for. */
    private static final ThreadLocal<Boolean> SPARKPLUG_THREAD = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** Marks the calling thread as the Sparkplug thread; its thread factory calls it first thing. */
    static void markSparkplugThread() {
        SPARKPLUG_THREAD.set(Boolean.TRUE);
    }

    int pending() {
        return pending.size();
    }

    /** @see RemoteWriter#write */
    Object write(RemoteNode node, Caller caller, Tag tag, Object value) {
        return write(node, null, caller, tag, value);
    }

    /**
     * @param device the device whose tag it is, or {@code null} for a node's own
     * @see RemoteWriter#write
     */
    Object write(RemoteNode node, RemoteDevice device, Caller caller, Tag tag, Object value) {
        String under = device == null ? "" : device.deviceId + "/";
        String metric = settings.metric(node.groupId, node.edgeNodeId, tag.path());
        metric = metric != null && metric.startsWith(under) && metric.length() > under.length()
                ? metric.substring(under.length()) : null;
        String who = device == null ? node.id() : device.id();
        if (metric == null) {
            throw new NexusException(ErrorCode.TAG_NOT_FOUND, "tag " + tag.path() + " is not in the mirror of "
                    + who + " (its tags are under " + settings.path(node.groupId, node.edgeNodeId, under) + ")");
        }
        if (SPARKPLUG_THREAD.get()) {
            // the NCMD would be queued behind this very task and its answer too: it could only time out
            throw unavailable(tag, "it was asked on the Sparkplug thread itself (an NCMD relayed to a mirrored tag);"
                    + " write the tag on the node that owns it");
        }
        if (!hostOnline.getAsBoolean()) {
            throw unavailable(tag, "the host's MQTT session is down (see GET /health)");
        }
        SparkplugStatus.RemoteNodeStatus status = node.status();
        if (!status.online()) {
            throw unavailable(tag, "edge node " + node.id() + " is offline");
        }
        if (status.stale()) {
            throw unavailable(tag, "the mirror of " + node.id() + " is STALE until its next birth (a rebirth is"
                    + " requested)");
        }
        if (device != null && !device.current()) {
            throw unavailable(tag, "device " + who + " is offline or its mirror STALE until its next DBIRTH");
        }
        if (waiting.incrementAndGet() > maxPending) {
            waiting.decrementAndGet();
            throw new NexusException(ErrorCode.OVERLOADED, "nothing was sent to " + who + ": " + maxPending
                    + " writes to mirrored tags already wait for their answers", Duration.ofSeconds(1));
        }
        String requestId = UUID.randomUUID().toString();
        CompletableFuture<Object> answer = new CompletableFuture<>();
        try {
            pending.put(requestId, new Pending(node, device, answer));
            String name = metric;
            try {
                sparkplug.execute(() -> send(node, device, requestId, name, tag, caller.user(), value, answer));
            } catch (RejectedExecutionException e) {
                throw unavailable(tag, "the host is stopping");
            }
            return await(who, requestId, answer);
        } finally {
            pending.remove(requestId);
            waiting.decrementAndGet();
        }
    }

    private Object await(String who, String requestId, CompletableFuture<Object> answer) {
        long timeout = settings.writeTimeoutMs();
        try {
            return answer.get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debug("Sparkplug host: write request {} to {}: no answer within {} ms", requestId, who, timeout);
            throw unknown("no answer from " + who + " within " + timeout + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unknown("the wait for the answer of " + who + " was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NexusException answered) {
                throw new NexusException(answered.code(), answered.getMessage(), answered);
            }
            throw new NexusException(ErrorCode.INTERNAL, "the write to " + who + " failed: " + e.getCause(),
                    e.getCause());
        }
    }

    /** Publishes the NCMD (DCMD) of one write; Sparkplug thread. */
    private void send(RemoteNode node, RemoteDevice device, String requestId, String metric, Tag tag, String user,
            Object value, CompletableFuture<Object> answer) {
        if (answer.isDone() || !pending.containsKey(requestId)) {
            return; // the caller stopped waiting before its turn came: nothing is sent
        }
        if (!node.online || node.awaitingBirth || node.birth == null) {
            answer.completeExceptionally(unavailable(tag, "edge node " + node.id() + " is offline or its mirror STALE"));
            return;
        }
        if (device != null && (!device.online || device.awaitingBirth || device.birth == null)) {
            answer.completeExceptionally(unavailable(tag, "device " + device.id() + " is offline or its mirror STALE"));
            return;
        }
        String who = device == null ? node.id() : device.id();
        RemoteBirth.Known known = (device == null ? node.birth : device.birth).byName(metric);
        if (known == null || known.shape() == null) {
            answer.completeExceptionally(new NexusException(ErrorCode.TAG_NOT_FOUND, "nothing was sent: the birth of "
                    + who + " in force has no mirrored metric '" + metric + "' (it was reborn without it)"));
            return;
        }
        byte[] payload;
        try {
            payload = HostMessages.write(clock.millis(), metric, known.datatype(), value, requestId, user);
        } catch (IllegalArgumentException e) {
            answer.completeExceptionally(new NexusException(ErrorCode.INVALID_ARGUMENT, "nothing was sent: the value"
                    + " does not suit metric '" + metric + "' of " + who + " (" + e.getMessage() + ")"));
            return;
        }
        String topic = device == null ? topics.node(node.groupId, "NCMD", node.edgeNodeId)
                : topics.device(node.groupId, "DCMD", node.edgeNodeId, device.deviceId);
        if (!transport.publish(topic, payload, 0, false)) {
            answer.completeExceptionally(unavailable(tag, "the host's MQTT session is down (see GET /health)"));
            return;
        }
        LOG.debug("Sparkplug host: write request {} of {} to '{}' of {} sent", requestId, user, metric, who);
    }

    /** @return whether an NDATA metric is the answer to a write (it carries a {@code requestId}) */
    static boolean isAnswer(Metric metric) {
        return Commands.property(metric, Commands.REQUEST_ID) != null;
    }

    /**
     * Takes a node's answer to a write in: completes the write waiting for its {@code requestId}. An
     * answer nobody waits for (late, or of another host) is ignored. Call it after the NDATA's values
     * are in the mirror, so that the writer reads the answer back. Sparkplug thread.
     *
     * @param datatype the metric's datatype in the birth in force, or {@code null} when it names none
     */
    void answer(RemoteNode node, Metric metric, DataType datatype) {
        answer(node, null, metric, datatype);
    }

    /**
     * Takes a device's answer (a DDATA metric) or, with {@code device} null, its node's (NDATA) in.
     *
     * @see #answer(RemoteNode, Metric, DataType)
     */
    void answer(RemoteNode node, RemoteDevice device, Metric metric, DataType datatype) {
        String requestId = Commands.property(metric, Commands.REQUEST_ID);
        Pending waiting = requestId == null ? null : pending.get(requestId);
        String who = device == null ? node.id() : device.id();
        if (waiting == null || waiting.node() != node || waiting.device() != device) {
            LOG.debug("Sparkplug host: {} answered write request {}, which nobody here waits for", who, requestId);
            return;
        }
        String result = Commands.property(metric, Commands.RESULT);
        String reason = Commands.property(metric, Commands.REASON);
        if ("OK".equals(result)) {
            try {
                waiting.answer().complete(datatype == null ? null : DataTypes.value(metric, datatype));
            } catch (IllegalArgumentException e) {
                waiting.answer().completeExceptionally(new NexusException(ErrorCode.INTERNAL, who
                        + " answered the write with a value that does not suit its metric (" + e.getMessage()
                        + "): read the tag"));
            }
            return;
        }
        ErrorCode code = code(result);
        waiting.answer().completeExceptionally(new NexusException(code, (device == null ? "edge node " : "device ")
                + who + " refused the write"
                + (code == ErrorCode.INTERNAL && result != null ? " (" + result + ")" : "") + ": "
                + (reason != null ? reason : result == null ? "its answer has no result" : "it gave no reason")));
    }

    /**
     * The node died, lost a message or our session is gone: the answers of its writes out (to it and to
     * its devices) cannot come any more; each is OUTCOME_UNKNOWN. Sparkplug thread.
     */
    void abandon(RemoteNode node, String why) {
        for (Pending out : pending.values()) {
            if (out.node() == node) {
                out.answer().completeExceptionally(unknown(why));
            }
        }
    }

    /** The device died or its data could not be taken in: its writes out are OUTCOME_UNKNOWN. Sparkplug thread. */
    void abandon(RemoteDevice device, String why) {
        for (Pending out : pending.values()) {
            if (out.device() == device) {
                out.answer().completeExceptionally(unknown(why));
            }
        }
    }

    /** @return the code an answer's {@code result} names; INTERNAL when it names none */
    private static ErrorCode code(String result) {
        if (result != null) {
            for (ErrorCode code : ErrorCode.values()) {
                if (code.name().equals(result)) {
                    return code;
                }
            }
        }
        return ErrorCode.INTERNAL;
    }

    private static NexusException unavailable(Tag tag, String why) {
        return new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the write to " + tag.path() + " was not sent: " + why);
    }

    private static NexusException unknown(String why) {
        return new NexusException(ErrorCode.OUTCOME_UNKNOWN, why + ": the write may or may not have been carried out; read the"
                + " tag");
    }
}
