package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.EdgeFixture.metric;
import static nexus.sparkplug.internal.EdgeFixture.property;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Date;
import java.util.Map;

import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import nexus.alarm.AlarmState;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.Severity;
import nexus.query.Quality;
import nexus.query.TagInfo;

class EdgeBirthTest {

    /** The tag values' timestamp, ms (FakeTagService starts its clock there). */
    private static final long VALUE_MS = 1_700_000_000_000L;

    private final EdgeFixture edge = new EdgeFixture();

    @BeforeEach
    void namespace() {
        edge.tags.tag(new TagInfo(3, "plant/boiler/temp", "FLOAT32", "b", 0, 0, 4, "degC", "Boiler temperature", true,
                0.0, 200.0, Map.of()), 71.5f);
        edge.tags.tag(7, "plant/boiler/running", "BOOL", true);
        edge.tags.tag(5, "plant/line/count", "INT32", 42L);
        edge.tags.tag(9, "plant/line/name", "STRING", "L1");
        edge.tags.tag(2, "plant/line/total", "INT64", 1_234_567_890_123L);
    }

    /** Ticks until the node is born: a failed birth is tried again 1, 2, 4 … ticks later. */
    private static void ticksUntilBorn(EdgeNode node) {
        for (int tick = 0; tick < 8 && !node.status().born(); tick++) {
            node.tick();
        }
    }

    @Test
    void birthCarriesBdSeqRebirthRegistryVersionThenEveryTagInPathOrder() {
        edge.online();

        assertThat(edge.transport.of("NBIRTH")).hasSize(1);
        RecordingTransport.Sent sent = edge.transport.of("NBIRTH").get(0);
        assertThat(sent.topic()).isEqualTo("spBv1.0/plant/NBIRTH/nexus1");
        assertThat(sent.retained()).isFalse();
        SparkplugBPayload birth = edge.transport.last("NBIRTH");
        assertThat(birth.getSeq()).isZero();
        assertThat(birth.getTimestamp()).isEqualTo(new Date(edge.now.get()));
        assertThat(birth.getMetrics()).extracting(Metric::getName).containsExactly("bdSeq", "Node Control/Rebirth",
                "_nexus/registry/version", "plant/boiler/running", "plant/boiler/temp", "plant/line/count",
                "plant/line/name", "plant/line/total");

        Metric bdSeq = metric(birth, "bdSeq");
        assertThat(bdSeq.getDataType()).isEqualTo(MetricDataType.Int64);
        assertThat(bdSeq.getValue()).isEqualTo(0L);
        assertThat(bdSeq.hasAlias()).isFalse();
        Metric rebirth = metric(birth, "Node Control/Rebirth");
        assertThat(rebirth.getDataType()).isEqualTo(MetricDataType.Boolean);
        assertThat(rebirth.getValue()).isEqualTo(false);
        assertThat(rebirth.getAlias()).as("the first alias after the largest tag id, 9").isEqualTo(10L);
        Metric version = metric(birth, "_nexus/registry/version");
        assertThat(version.getDataType()).isEqualTo(MetricDataType.Int64);
        assertThat(version.getValue()).isEqualTo(1L);
        assertThat(version.getAlias()).isEqualTo(11L);
        assertThat(edge.counters.births.sum()).isOne();
    }

    @Test
    void eachTagIsBornWithItsDatatypeAliasValueTimestampAndProperties() {
        edge.online();
        SparkplugBPayload birth = edge.transport.last("NBIRTH");

        Metric temp = metric(birth, "plant/boiler/temp");
        assertThat(temp.getAlias()).isEqualTo(3L);
        assertThat(temp.getDataType()).isEqualTo(MetricDataType.Float);
        assertThat(temp.getValue()).isEqualTo(71.5f);
        assertThat(temp.getTimestamp()).isEqualTo(new Date(VALUE_MS));
        assertThat(property(temp, "engUnit")).isEqualTo("degC");
        assertThat(property(temp, "engLow")).isEqualTo(0.0);
        assertThat(property(temp, "engHigh")).isEqualTo(200.0);
        assertThat(property(temp, "description")).isEqualTo("Boiler temperature");
        assertThat(property(temp, "writable")).isEqualTo(true);
        assertThat(property(temp, "quality")).isNull();

        Metric running = metric(birth, "plant/boiler/running");
        assertThat(running.getAlias()).isEqualTo(7L);
        assertThat(running.getDataType()).isEqualTo(MetricDataType.Boolean);
        assertThat(running.getValue()).isEqualTo(true);
        assertThat(property(running, "writable")).isEqualTo(false);
        assertThat(property(running, "engUnit")).as("a tag without a unit has no engUnit").isNull();
        assertThat(metric(birth, "plant/line/count").getDataType()).isEqualTo(MetricDataType.Int32);
        assertThat(metric(birth, "plant/line/count").getValue()).isEqualTo(42);
        assertThat(metric(birth, "plant/line/name").getDataType()).isEqualTo(MetricDataType.String);
        assertThat(metric(birth, "plant/line/name").getValue()).isEqualTo("L1");
        assertThat(metric(birth, "plant/line/total").getDataType()).isEqualTo(MetricDataType.Int64);
        assertThat(metric(birth, "plant/line/total").getValue()).isEqualTo(1_234_567_890_123L);
    }

    @Test
    void theListingIsCollectedPageByPageUnderTheEdgeIdentity() {
        edge.online();

        assertThat(edge.tags.listCalls).as("5 tags, 2 a page").isEqualTo(3);
        assertThat(edge.tags.callers).isNotEmpty().allMatch(EdgeFixture.IDENTITY::equals);
        assertThat(edge.tags.openWatches).as("one watch for the birth's tags").isOne();
    }

    @Test
    void aTagThatIsNotGoodIsBornNullWithItsQuality() {
        edge.tags.quality("plant/line/count", Quality.BAD_CONTENDED);
        edge.online();

        Metric count = metric(edge.transport.last("NBIRTH"), "plant/line/count");
        assertThat(count.isNull()).isTrue();
        assertThat(count.getValue()).isNull();
        assertThat(count.getDataType()).isEqualTo(MetricDataType.Int32);
        assertThat(property(count, "quality")).isEqualTo("BAD_CONTENDED");
    }

    @Test
    void alarmStatesAreBornAfterTheTagsWithSeverityAndTag() {
        edge.alarmService.alarm("boiler-high", "plant/boiler/temp", Severity.HIGH, AlarmState.UNACK_ALARM)
                .alarm("line-stop", "plant/boiler/running", Severity.LOW, AlarmState.NORMAL);
        edge.online();

        SparkplugBPayload birth = edge.transport.last("NBIRTH");
        Metric high = metric(birth, "_nexus/alarms/boiler-high/state");
        assertThat(high.getDataType()).isEqualTo(MetricDataType.String);
        assertThat(high.getValue()).isEqualTo("UNACK_ALARM");
        assertThat(high.getAlias()).isEqualTo(12L);
        assertThat(property(high, "severity")).isEqualTo("HIGH");
        assertThat(property(high, "tag")).isEqualTo("plant/boiler/temp");
        assertThat(metric(birth, "_nexus/alarms/line-stop/state").getAlias()).isEqualTo(13L);
        assertThat(birth.getMetrics().get(birth.getMetrics().size() - 1).getName())
                .isEqualTo("_nexus/alarms/line-stop/state");
    }

    @Test
    void withoutEdgeAlarmsNoAlarmIsBorn() {
        edge.alarms = false;
        edge.alarmService.alarm("boiler-high", "plant/boiler/temp", Severity.HIGH, AlarmState.UNACK_ALARM);
        edge.online();

        assertThat(edge.transport.last("NBIRTH").getMetrics()).extracting(Metric::getName)
                .noneMatch(name -> name.startsWith("_nexus/alarms/"));
    }

    @Test
    void aNamespaceLargerThanMetricsMaxIsNotBornAndTheStatusSaysWhy() {
        edge.metricsMax = 4;
        EdgeNode node = edge.online();
        node.tick();

        assertThat(edge.transport.sent).isEmpty();
        assertThat(node.status().born()).isFalse();
        assertThat(node.birthProblem()).contains("edge.metrics.max").contains("more than 4 tags");
        assertThat(edge.tags.openWatches).isZero();

        edge.tags.newVersion("plant/line/total");
        ticksUntilBorn(node);
        assertThat(edge.transport.of("NBIRTH")).hasSize(1);
        assertThat(node.status().born()).isTrue();
        assertThat(node.birthProblem()).isNull();
    }

    @Test
    void aListingRefusedByTheTagServiceIsTriedAgainAtALaterTick() {
        edge.tags.listFailure = new NexusException(ErrorCode.OVERLOADED, "the node is busy", Duration.ofSeconds(1));
        EdgeNode node = edge.online();

        assertThat(edge.transport.sent).isEmpty();
        assertThat(node.birthProblem()).contains("the node is busy");
        assertThatThrownBy(node::rebirth).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE)).hasMessageContaining("the node is busy");

        edge.tags.listFailure = null;
        ticksUntilBorn(node);
        assertThat(edge.transport.of("NBIRTH")).hasSize(1);
        assertThat(node.birthProblem()).isNull();
    }

    @Test
    void aBirthThatKeepsFailingIsTriedAfter1Then2Then4Ticks() {
        edge.tags.listFailure = new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no registry is served");
        EdgeNode node = edge.online();
        int[] listedAfterTick = new int[8];
        for (int tick = 1; tick <= 7; tick++) {
            node.tick();
            listedAfterTick[tick] = edge.tags.listCalls;
        }

        assertThat(listedAfterTick).containsExactly(0, 2, 2, 3, 3, 3, 3, 4);
        assertThatThrownBy(node::rebirth).hasMessageContaining("no registry is served");
        assertThat(edge.tags.listCalls).as("an explicit rebirth tries at once").isEqualTo(5);
        assertThat(edge.transport.sent).isEmpty();
    }

    @Test
    void withoutATagServiceNothingIsBorn() {
        edge.tagRef.set(null);
        EdgeNode node = edge.online();
        node.tick();

        assertThat(edge.transport.sent).isEmpty();
        assertThat(node.birthProblem()).contains("no tag service");
    }

    @Test
    void aNewRegistryVersionIsANewBirthWithSeqZeroFromThatVersion() {
        EdgeNode node = edge.online();
        edge.tags.set("plant/line/count", 43L);
        node.tick();
        assertThat(edge.transport.last("NDATA").getSeq()).isEqualTo(1L);

        edge.tags.newVersion("plant/line/name");
        node.tick();

        assertThat(edge.transport.of("NBIRTH")).hasSize(2);
        SparkplugBPayload rebirth = edge.transport.last("NBIRTH");
        assertThat(rebirth.getSeq()).isZero();
        assertThat(metric(rebirth, "_nexus/registry/version").getValue()).isEqualTo(2L);
        assertThat(rebirth.getMetrics()).extracting(Metric::getName).doesNotContain("plant/line/name");
        assertThat(metric(rebirth, "bdSeq").getValue()).as("the same session").isEqualTo(0L);
        assertThat(edge.tags.openWatches).as("the old birth's watch is closed").isOne();
        assertThat(node.status().registryVersion()).isEqualTo(2L);
    }

    @Test
    void aNewRegistryVersionThatChangesNoTagOfTheBirthIsNoNewBirth() {
        EdgeNode node = edge.online();

        edge.tags.newVersion(); // e.g. a host's mirrors came or went: none of them is published here
        edge.tags.set("plant/line/count", 43L);
        node.tick();

        assertThat(edge.transport.of("NBIRTH")).as("no rebirth for a version that changed nothing published").hasSize(1);
        assertThat(edge.transport.last("NDATA").getSeq()).as("data flows on").isEqualTo(1L);
    }

    @Test
    void rebirthPublishesANewBirthWithSeqZeroInTheSameSession() {
        EdgeNode node = edge.online();
        edge.tags.set("plant/line/count", 43L);
        node.tick();

        String done = node.rebirth();

        assertThat(done).contains("bdSeq 0").contains("8 metrics").contains("registry version 1");
        assertThat(edge.transport.of("NBIRTH")).hasSize(2);
        assertThat(edge.transport.last("NBIRTH").getSeq()).isZero();
        assertThat(metric(edge.transport.last("NBIRTH"), "plant/line/count").getValue()).isEqualTo(43);
        edge.tags.set("plant/line/count", 44L);
        node.tick();
        assertThat(edge.transport.last("NDATA").getSeq()).as("data counts on from the new birth").isEqualTo(1L);
        assertThat(edge.counters.births.sum()).isEqualTo(2);
        assertThat(edge.tags.openWatches).isOne();
    }

    @Test
    void rebirthWhileNotConnectedIsRefused() {
        EdgeNode node = edge.node();
        node.newSession();

        assertThatThrownBy(node::rebirth).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE)).hasMessageContaining("not connected");
        assertThat(edge.transport.sent).isEmpty();
    }
}
