package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.HostBirthTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.Test;

import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;
import nexus.sparkplug.SparkplugStatus;

/** NDATA, NDEATH and the host's own session, against edges written with Eclipse Tahu. */
class HostDataTest {

    private final HostFixture f = new HostFixture();
    private final TahuEdge edge = new TahuEdge("plant", "press1");

    private void born() {
        f.birth(edge, edge.birth(3, T0, HostBirthTest.plantMetrics()));
    }

    private void data(Metric... metrics) {
        f.host.message(edge.topic("NDATA"), edge.data(T0 + 100, metrics));
    }

    private SparkplugStatus.RemoteNodeStatus node() {
        return f.host.status().nodes().get(0);
    }

    private ReadStatus readStatus(String path) {
        BlockRead read = new BlockRead(8);
        HostFixture.value(f.registry.last(), f.tag(path), read);
        return read.status();
    }

    /** @return the rebirth requests sent to the edge, decoded with Tahu */
    private List<SparkplugBPayload> rebirthRequests() throws Exception {
        SparkplugBPayloadDecoder decoder = new SparkplugBPayloadDecoder();
        List<SparkplugBPayload> decoded = new java.util.ArrayList<>();
        for (HostFixture.Published p : f.commandsTo(edge)) {
            decoded.add(decoder.buildFromByteArray(p.payload(), null));
        }
        return decoded;
    }

    @Test
    void dataInOrderIsWrittenOneSequenceStepPerMessage() {
        born();
        RmaBackend memory = f.memoryOf(f.tag("sites/plant/press1/line/count"));
        long before = memory.sequence(0);

        data(TahuEdge.byAlias(11, MetricDataType.Int32, 43), TahuEdge.byAlias(10, MetricDataType.Double, 22.25),
                TahuEdge.byAlias(12, MetricDataType.Boolean, false));
        assertThat(memory.sequence(0)).isEqualTo(before + 1);
        data(TahuEdge.byAlias(18, MetricDataType.String, "batch-8"));
        assertThat(memory.sequence(0)).isEqualTo(before + 2);

        assertThat(f.value("sites/plant/press1/line/count")).isEqualTo(43L);
        assertThat(f.value("sites/plant/press1/line/temp")).isEqualTo(22.25);
        assertThat(f.value("sites/plant/press1/line/run")).isEqualTo(false);
        assertThat(f.value("sites/plant/press1/line/stop")).as("a neighbouring bit is untouched").isEqualTo(false);
        assertThat(f.value("sites/plant/press1/line/name")).isEqualTo("batch-8");
        assertThat(memory.lastWriteNanos(0)).isEqualTo((T0 + 100) * 1_000_000L);
        assertThat(f.commandsTo(edge)).isEmpty();
        assertThat(readStatus("sites/plant/press1/line/count")).isEqualTo(ReadStatus.OK);
    }

    @Test
    void theSequenceWrapsFrom255To0() {
        born();
        for (int i = 1; i <= 300; i++) {
            data(TahuEdge.byAlias(11, MetricDataType.Int32, i));
        }
        assertThat(f.value("sites/plant/press1/line/count")).isEqualTo(300L);
        assertThat(node().gaps()).isZero();
        assertThat(node().stale()).isFalse();
    }

    @Test
    void aGapMakesTheNodeStaleRequestsARebirthAndIgnoresDataUntilTheBirth() throws Exception {
        born();
        edge.lose();
        data(TahuEdge.byAlias(11, MetricDataType.Int32, 99));

        assertThat(node().stale()).isTrue();
        assertThat(node().gaps()).isEqualTo(1);
        assertThat(f.counters.snapshot().gaps()).isEqualTo(1);
        assertThat(readStatus("sites/plant/press1/line/count")).isEqualTo(ReadStatus.STALE);
        assertThat(f.value("sites/plant/press1/line/count")).as("the lost message's data is not taken").isEqualTo(42L);
        List<SparkplugBPayload> requests = rebirthRequests();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getTimestamp()).isNotNull();
        assertThat(requests.get(0).getMetrics()).singleElement().satisfies(m -> {
            assertThat(m.getName()).isEqualTo("Node Control/Rebirth");
            assertThat(m.getValue()).isEqualTo(true);
        });
        assertThat(f.counters.snapshot().rebirthsRequested()).isEqualTo(1);

        data(TahuEdge.byAlias(11, MetricDataType.Int32, 100));
        assertThat(f.value("sites/plant/press1/line/count")).isEqualTo(42L);

        f.birth(edge, edge.birth(3, T0 + 200, HostBirthTest.plantMetrics()));
        assertThat(node().stale()).isFalse();
        assertThat(readStatus("sites/plant/press1/line/count")).isEqualTo(ReadStatus.OK);
    }

    @Test
    void anAliasNeverBornIsNotWrittenAndRequestsARebirth() throws Exception {
        born();
        data(TahuEdge.byAlias(999, MetricDataType.Int32, 5), TahuEdge.byAlias(11, MetricDataType.Int32, 44));

        assertThat(f.value("sites/plant/press1/line/count")).as("the known metric is taken").isEqualTo(44L);
        assertThat(f.counters.snapshot().malformed()).isEqualTo(1);
        assertThat(rebirthRequests()).hasSize(1);
    }

    @Test
    void aValueOfAnotherDatatypeIsNotWrittenAndRequestsARebirth() throws Exception {
        born();
        data(TahuEdge.byAlias(11, MetricDataType.Double, 1.5));

        assertThat(f.value("sites/plant/press1/line/count")).isEqualTo(42L);
        assertThat(f.counters.snapshot().malformed()).isEqualTo(1);
        assertThat(rebirthRequests()).hasSize(1);
    }

    @Test
    void aValueOutsideItsTypeIsNotWritten() {
        born();
        data(TahuEdge.byAlias(13, MetricDataType.Int8, (byte) 7), TahuEdge.byAlias(14, MetricDataType.UInt16, 70_000));

        assertThat(f.value("sites/plant/press1/line/small")).isEqualTo(7L);
        assertThat(f.value("sites/plant/press1/line/u16")).isEqualTo(65_535L);
        assertThat(f.counters.snapshot().malformed()).isEqualTo(1);
    }

    @Test
    void dataBeforeAnyBirthRequestsARebirth() throws Exception {
        f.host.message(edge.topic("NDATA"), edge.data(T0, TahuEdge.byAlias(11, MetricDataType.Int32, 1)));

        assertThat(rebirthRequests()).hasSize(1);
        assertThat(f.registry.contributions).isEmpty();
        assertThat(f.host.status().nodes()).as("a node is kept from its first birth on").isEmpty();

        f.host.message(edge.topic("NDATA"), edge.data(T0 + 10, TahuEdge.byAlias(11, MetricDataType.Int32, 2)));
        assertThat(rebirthRequests()).as("asked again only after the retry interval").hasSize(1);
    }

    @Test
    void rebirthRequestsAreRepeatedOnlyAfterTheRetryInterval() throws Exception {
        born();
        edge.lose();
        data(TahuEdge.byAlias(11, MetricDataType.Int32, 1));
        data(TahuEdge.byAlias(11, MetricDataType.Int32, 2));
        assertThat(rebirthRequests()).hasSize(1);

        f.clock.millis.addAndGet(HostApplication.REBIRTH_RETRY_MS);
        data(TahuEdge.byAlias(11, MetricDataType.Int32, 3));
        assertThat(rebirthRequests()).hasSize(2);
    }

    @Test
    void theDeathOfTheCurrentSessionMakesTheNodeOfflineAndStale() {
        born();
        f.host.message(edge.topic("NDEATH"), edge.death(3));

        assertThat(node().online()).isFalse();
        assertThat(node().stale()).isTrue();
        assertThat(readStatus("sites/plant/press1/line/temp")).isEqualTo(ReadStatus.STALE);
        assertThat(f.value("sites/plant/press1/line/temp")).as("the last values stay readable").isEqualTo(21.5);
    }

    @Test
    void theDeathOfAnOlderSessionIsIgnoredAndCounted() {
        born();
        f.host.message(edge.topic("NDEATH"), edge.death(2));

        assertThat(node().online()).isTrue();
        assertThat(node().stale()).isFalse();
        assertThat(f.counters.snapshot().staleDeaths()).isEqualTo(1);
        assertThat(readStatus("sites/plant/press1/line/temp")).isEqualTo(ReadStatus.OK);
    }

    @Test
    void losingOurConnectionMakesEveryNodeStaleAndReconnectingAsksEachForARebirth() throws Exception {
        born();
        TahuEdge other = new TahuEdge("plant", "press2");
        f.birth(other, other.birth(0, T0, List.of(TahuEdge.metric("v", 1, MetricDataType.Int32, 1))));

        f.host.offline();
        assertThat(f.host.status().online()).isFalse();
        assertThat(f.host.status().nodes()).allSatisfy(n -> assertThat(n.stale()).isTrue());
        assertThat(readStatus("sites/plant/press2/v")).isEqualTo(ReadStatus.STALE);

        f.host.online();
        assertThat(f.host.status().online()).isTrue();
        assertThat(rebirthRequests()).hasSize(1);
        assertThat(f.commandsTo(other)).hasSize(1);
        data(TahuEdge.byAlias(11, MetricDataType.Int32, 50));
        assertThat(f.value("sites/plant/press1/line/count")).as("data before the rebirth is not taken").isEqualTo(42L);
    }

    @Test
    void aRebirthRequestTheLinkDroppedIsNotCountedAndIsSentWhenOnlineAgain() throws Exception {
        born();
        f.connected = false;
        edge.lose();
        data(TahuEdge.byAlias(11, MetricDataType.Int32, 1));
        assertThat(f.counters.snapshot().rebirthsRequested()).isZero();

        f.connected = true;
        f.host.online();
        assertThat(rebirthRequests()).hasSize(1);
        assertThat(f.counters.snapshot().rebirthsRequested()).isEqualTo(1);
    }

    @Test
    void deviceMessagesTakeTheirPlaceInTheNodesSequence() throws Exception {
        born();
        f.host.message(edge.topic("DBIRTH", "drive"), edge.device(T0 + 1,
                TahuEdge.metric("speed", 500, MetricDataType.Double, 1.0)));
        data(TahuEdge.byAlias(11, MetricDataType.Int32, 43));
        f.host.message(edge.topic("DDATA", "drive"), edge.device(T0 + 2, TahuEdge.byAlias(500, MetricDataType.Double, 2.0)));
        data(TahuEdge.byAlias(11, MetricDataType.Int32, 44));

        assertThat(node().gaps()).isZero();
        assertThat(node().stale()).isFalse();
        assertThat(f.value("sites/plant/press1/line/count")).isEqualTo(44L);
        assertThat(rebirthRequests()).isEmpty();

        edge.lose();
        f.host.message(edge.topic("DDATA", "drive"), edge.device(T0 + 3, TahuEdge.byAlias(500, MetricDataType.Double, 3.0)));
        assertThat(node().gaps()).isEqualTo(1);
        assertThat(node().stale()).isTrue();
        assertThat(rebirthRequests()).hasSize(1);
    }

    @Test
    void anUndecodablePayloadIsCountedMalformed() {
        born();
        f.host.message(edge.topic("NDATA"), new byte[] {(byte) 0xFF, 0x01, 0x02});

        assertThat(f.counters.snapshot().malformed()).isEqualTo(1);
        assertThat(node().stale()).isFalse();
    }

    @Test
    void messagesOfOtherGroupsAndCommandsAreIgnored() {
        TahuEdge elsewhere = new TahuEdge("other", "press1");
        f.host.message(elsewhere.topic("NBIRTH"), elsewhere.birth(0, T0, HostBirthTest.plantMetrics()));
        f.host.message(elsewhere.topic("DBIRTH", "dev"), new byte[0]);
        f.host.message(edge.topic("NCMD"), new byte[0]);
        f.builds.runAll();

        assertThat(f.host.status().nodes()).isEmpty();
        assertThat(f.registry.contributions).isEmpty();
        assertThat(f.counters.snapshot().malformed()).isZero();
    }

    @Test
    void subscribesToTheNodeAndDeviceMessagesOfItsGroups() {
        assertThat(f.host.subscriptions()).containsExactly("spBv1.0/plant/+/+", "spBv1.0/plant/+/+/+");
    }

    @Test
    void theStateWillAndOnlineCarryTheSameSessionTimestamp() {
        String will = new String(f.host.stateWill(), StandardCharsets.UTF_8);
        f.clock.millis.addAndGet(1234);
        String online = new String(f.host.stateOnline(), StandardCharsets.UTF_8);

        long ts = f.clock.millis.get() - 1234;
        assertThat(will).isEqualTo("{\"online\":false,\"timestamp\":" + ts + "}");
        assertThat(online).isEqualTo("{\"online\":true,\"timestamp\":" + ts + "}");
    }

    @Test
    void eachDataTakenInIsCountedInTheLagHistogramAndTheLastLagIsKept() {
        born();
        f.clock.millis.set(T0 + 100 + 42);
        data(TahuEdge.byAlias(11, MetricDataType.Int32, 43));
        f.clock.millis.set(T0 + 100 + 3_000);
        data(TahuEdge.byAlias(11, MetricDataType.Int32, 44));

        assertThat(f.counters.mirrorLag.count()).isEqualTo(2);
        assertThat(f.counters.mirrorLagMillis.get()).isEqualTo(3_000);
        var samples = f.counters.mirrorLag.family("nexus_sparkplug_mirror_lag_seconds", "Lag.").samples();
        assertThat(samples).filteredOn(s -> "0.05".equals(s.labels().get("le"))).singleElement()
                .extracting(nexus.core.MetricFamily.Sample::value).isEqualTo(1.0);
        assertThat(samples).filteredOn(s -> "5".equals(s.labels().get("le"))).singleElement()
                .extracting(nexus.core.MetricFamily.Sample::value).isEqualTo(2.0);
    }
}
