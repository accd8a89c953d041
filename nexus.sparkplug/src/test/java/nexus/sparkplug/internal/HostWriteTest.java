package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.HostBirthTest.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertyDataType;
import org.eclipse.tahu.message.model.PropertySet;
import org.eclipse.tahu.message.model.PropertyValue;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.RemoteWriter;
import nexus.registry.Tag;

/**
 * Writes from the host to mirrored tags: the NCMD the edge gets (read with Eclipse Tahu), and the
 * edge's NDATA answer (written with Tahu) as the writer's result — the value, the refusal with its code
 * and reason, or OUTCOME_UNKNOWN when no answer comes.
 */
class HostWriteTest {

    private static final Caller ALICE = Caller.of("alice", "http 127.0.0.1");
    private static final String SETPOINT = "sites/plant/press1/line/setpoint";

    private final ExecutorService callers = Executors.newCachedThreadPool();
    /** A long answer time: the tests answer (or end the wait) themselves; only the timeout test waits it out. */
    private HostFixture f = new HostFixture(new HostSettings("scada", List.of("plant"), "sites", 256, 60_000));
    private final TahuEdge edge = new TahuEdge("plant", "press1");

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    private static List<Metric> metrics() {
        return List.of(
                TahuEdge.metric("line/setpoint", 10, MetricDataType.Double, 20.0, Map.of("writable", true)),
                TahuEdge.metric("line/count", 11, MetricDataType.Int32, 42),
                TahuEdge.metric("line/run", 12, MetricDataType.Boolean, true, Map.of("writable", false)),
                TahuEdge.metric("line/speed", 13, MetricDataType.Int16, (short) 100, Map.of("writable", true)));
    }

    private void born() {
        f.host.online();
        f.birth(edge, edge.birth(3, T0, metrics()));
    }

    private RemoteWriter writerOf(Tag tag) {
        return f.registry.last().banks().get(tag.allocation().bank()).writer();
    }

    /** Starts a write on another thread (it blocks until the answer) and publishes its NCMD, as the Sparkplug thread does. */
    private CompletableFuture<Object> write(String path, Object value) {
        Tag tag = f.tag(path);
        CompletableFuture<Object> done = CompletableFuture.supplyAsync(() -> writerOf(tag).write(ALICE, tag, value), callers);
        Await.until("the write is handed to the Sparkplug thread", () -> f.sparkplug.runAll() > 0 || done.isDone());
        return done;
    }

    /** @return the last NCMD sent to the edge, read with Tahu */
    private SparkplugBPayload lastCommand() throws Exception {
        List<HostFixture.Published> commands = f.commandsTo(edge);
        assertThat(commands).isNotEmpty();
        return new SparkplugBPayloadDecoder().buildFromByteArray(commands.get(commands.size() - 1).payload(), null);
    }

    private static String property(Metric metric, String key) {
        PropertyValue<?> value = metric.getProperties() == null ? null : metric.getProperties().getPropertyValue(key);
        return value == null ? null : (String) value.getValue();
    }

    /** The edge's answer: one NDATA metric by alias with the request's id, result and reason, as an RMA Nexus edge sends it. */
    private void answer(long alias, MetricDataType type, Object value, String requestId, String result, String reason)
            throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("requestId", requestId);
        properties.put("result", result);
        if (reason != null) {
            properties.put("reason", reason);
        }
        PropertySet.PropertySetBuilder set = new PropertySet.PropertySetBuilder();
        for (Map.Entry<String, String> p : properties.entrySet()) {
            set.addProperty(p.getKey(), new PropertyValue<>(PropertyDataType.String, p.getValue()));
        }
        Metric metric = new Metric.MetricBuilder(alias, type, value).properties(set.createPropertySet()).createMetric();
        f.host.message(edge.topic("NDATA"), edge.data(T0 + 500, metric));
    }

    private static NexusException failure(CompletableFuture<Object> write) {
        try {
            Object value = write.get(20, TimeUnit.SECONDS);
            throw new AssertionError("the write was answered " + value + ", not refused");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(NexusException.class);
            return (NexusException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void mirroredTagsAreWritableAsTheBirthSaysAndWrittenByTheirNode() {
        born();

        assertThat(f.tag(SETPOINT).writable()).isTrue();
        assertThat(f.tag("sites/plant/press1/line/run").writable()).isFalse();
        assertThat(f.tag("sites/plant/press1/line/count").writable()).as("no writable property").isFalse();
        assertThat(writerOf(f.tag(SETPOINT))).isNotNull();
    }

    @Test
    void aWriteIsAnNcmdByNameWithTheBirthsDatatypeRequestIdAndUser() throws Exception {
        born();

        CompletableFuture<Object> write = write(SETPOINT, 37.5);

        SparkplugBPayload ncmd = lastCommand();
        assertThat(ncmd.getTimestamp().getTime()).isEqualTo(f.clock.millis());
        Metric metric = ncmd.getMetrics().get(0);
        assertThat(metric.getName()).isEqualTo("line/setpoint");
        assertThat(metric.getDataType()).isEqualTo(MetricDataType.Double);
        assertThat(metric.getValue()).isEqualTo(37.5);
        assertThat(property(metric, "user")).isEqualTo("alice");
        assertThat(property(metric, "requestId")).matches("[0-9a-f-]{36}");
        assertThat(write).isNotDone();
        f.host.offline(); // ends the wait (tested below)
        failure(write);
    }

    @Test
    void theAnswerOkIsTheWrittenValueAndTheMirrorHoldsIt() throws Exception {
        born();

        CompletableFuture<Object> write = write(SETPOINT, 37.5);
        String id = property(lastCommand().getMetrics().get(0), "requestId");
        answer(10, MetricDataType.Double, 37.0, id, "OK", null);

        assertThat(write.get(20, TimeUnit.SECONDS)).as("the value the edge read back").isEqualTo(37.0);
        assertThat(f.value(SETPOINT)).isEqualTo(37.0);
        assertThat(f.counters.malformed.sum()).isZero();
        assertThat(f.host.status().nodes().get(0).stale()).isFalse();
    }

    @Test
    void anIntegerIsSentInTheBirthsDatatype() throws Exception {
        born();

        CompletableFuture<Object> write = write("sites/plant/press1/line/speed", 250L);
        Metric metric = lastCommand().getMetrics().get(0);
        assertThat(metric.getDataType()).isEqualTo(MetricDataType.Int16);
        assertThat(((Number) metric.getValue()).longValue()).isEqualTo(250L);
        answer(13, MetricDataType.Int16, (short) 250, property(metric, "requestId"), "OK", null);

        assertThat(write.get(20, TimeUnit.SECONDS)).isEqualTo(250L);
    }

    @Test
    void theEdgesRefusalIsThrownWithItsCodeAndReason() throws Exception {
        born();

        CompletableFuture<Object> forbidden = write(SETPOINT, 37.5);
        answer(10, MetricDataType.Double, 20.0, property(lastCommand().getMetrics().get(0), "requestId"), "FORBIDDEN",
                "alice via edge may not write line/setpoint");
        CompletableFuture<Object> notWritable = write(SETPOINT, 38.5);
        answer(10, MetricDataType.Double, 20.0, property(lastCommand().getMetrics().get(0), "requestId"), "NOT_WRITABLE",
                "tag line/setpoint is not writable");
        CompletableFuture<Object> strange = write(SETPOINT, 39.5);
        answer(10, MetricDataType.Double, 20.0, property(lastCommand().getMetrics().get(0), "requestId"), "NO_SUCH_CODE",
                "something else");

        NexusException first = failure(forbidden);
        assertThat(first.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(first.getMessage()).isEqualTo("edge node plant/press1 refused the write: alice via edge may not write"
                + " line/setpoint");
        NexusException second = failure(notWritable);
        assertThat(second.code()).isEqualTo(ErrorCode.NOT_WRITABLE);
        assertThat(second.getMessage()).endsWith("tag line/setpoint is not writable");
        NexusException third = failure(strange);
        assertThat(third.code()).as("a result that names no code").isEqualTo(ErrorCode.INTERNAL);
        assertThat(third.getMessage()).contains("NO_SUCH_CODE").endsWith("something else");
        assertThat(f.value(SETPOINT)).as("the current value the refusals carried").isEqualTo(20.0);
    }

    @Test
    void noAnswerInTimeIsOutcomeUnknownAndALateAnswerIsIgnored() throws Exception {
        f = new HostFixture(new HostSettings("scada", List.of("plant"), "sites", 256, 1000));
        born();

        CompletableFuture<Object> write = write(SETPOINT, 37.5);
        NexusException unknown = failure(write);

        assertThat(unknown.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
        assertThat(unknown.getMessage()).isEqualTo("no answer from plant/press1 within 1000 ms: the write may or may not"
                + " have been carried out; read the tag");
        answer(10, MetricDataType.Double, 37.5, property(lastCommand().getMetrics().get(0), "requestId"), "OK", null);
        assertThat(f.value(SETPOINT)).as("the late answer is still data").isEqualTo(37.5);
        assertThat(f.counters.malformed.sum()).isZero();
    }

    @Test
    void aNodeThatDiesWhileAWriteIsOutLeavesItsOutcomeUnknown() throws Exception {
        born();

        CompletableFuture<Object> write = write(SETPOINT, 37.5);
        f.host.message(edge.topic("NDEATH"), edge.death(3));

        NexusException unknown = failure(write);
        assertThat(unknown.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
        assertThat(unknown.getMessage()).startsWith("plant/press1 died before it answered: the write may or may not");
    }

    @Test
    void anOfflineOrStaleNodeOrNoSessionIsRefusedAtOnceAndNothingIsSent() throws Exception {
        born();
        Tag tag = f.tag(SETPOINT);
        RemoteWriter writer = writerOf(tag);

        f.host.offline();
        assertThatThrownBy(() -> writer.write(ALICE, tag, 37.5)).isInstanceOfSatisfying(NexusException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
            assertThat(e.getMessage()).isEqualTo("the write to " + SETPOINT + " was not sent: the host's MQTT session is"
                    + " down (see GET /health)");
        });
        f.host.online();
        assertThatThrownBy(() -> writer.write(ALICE, tag, 37.5)).as("STALE until its rebirth")
                .isInstanceOfSatisfying(NexusException.class, e -> assertThat(e.getMessage()).contains("is STALE"));
        f.birth(edge, edge.birth(4, T0, metrics()));
        f.host.message(edge.topic("NDEATH"), edge.death(4));
        assertThatThrownBy(() -> writer.write(ALICE, tag, 37.5)).isInstanceOfSatisfying(NexusException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
            assertThat(e.getMessage()).contains("edge node plant/press1 is offline");
        });

        assertThat(f.sparkplug.queued).isEmpty();
        assertThat(f.commandsTo(edge)).as("rebirth requests only").allSatisfy(p -> assertThat(
                new SparkplugBPayloadDecoder().buildFromByteArray(p.payload(), null).getMetrics().get(0).getName())
                .isEqualTo("Node Control/Rebirth"));
    }

    @Test
    void moreWritesWaitingThanTheBoundAreRefusedAtOnce() throws Exception {
        HostSettings settings = new HostSettings("scada", List.of("plant"), "sites", 256);
        HostFixture.Builds thread = new HostFixture.Builds();
        RemoteWrites writes = new RemoteWrites(settings, (topic, payload, qos, retained) -> true, new Topics(""), thread,
                f.clock, () -> true, 2);
        RemoteNode node = new RemoteNode("plant", "press1");
        node.online = true;
        node.awaitingBirth = false;
        node.publishStatus();
        Tag tag = new Tag(1, SETPOINT, nexus.rma.Allocation.of(0, 0, nexus.rma.RmaType.FLOAT64), null, null, true, null,
                null, Map.of());

        CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> writes.write(node, ALICE, tag, 1.0), callers);
        CompletableFuture<Object> second = CompletableFuture.supplyAsync(() -> writes.write(node, ALICE, tag, 2.0), callers);
        Await.until("two writes wait", () -> writes.pending() == 2);

        assertThatThrownBy(() -> writes.write(node, ALICE, tag, 3.0)).isInstanceOfSatisfying(NexusException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(e.retryAfter()).isPresent();
            assertThat(e.getMessage()).contains("2 writes to mirrored tags already wait");
        });
        writes.abandon(node, "the test ends");
        assertThat(failure(first).code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
        assertThat(failure(second).code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
        Await.until("nothing waits", () -> writes.pending() == 0);
    }
}
