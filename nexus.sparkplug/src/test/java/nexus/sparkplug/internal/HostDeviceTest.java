package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.HostBirthTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.tahu.SparkplugException;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.Test;

import nexus.registry.Contribution;
import nexus.registry.Tag;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.sparkplug.SparkplugStatus;

/**
 * Devices of remote edge nodes (DBIRTH, DDATA, DDEATH written with Eclipse Tahu, as Ignition or a Tahu
 * edge sends them): each device's metrics are mirrored in a bank of its own, in the node's session.
 */
class HostDeviceTest {

    private static final String SPEED = "sites/plant/press1/drive/speed";
    private static final String COUNT = "sites/plant/press1/line/count";

    private HostFixture f = new HostFixture();
    private final TahuEdge edge = new TahuEdge("plant", "press1");

    static List<Metric> driveMetrics() {
        return List.of(
                TahuEdge.metric("speed", 500, MetricDataType.Double, 1450.0, Map.of("engUnit", "rpm", "engLow", 0.0,
                        "engHigh", 3000.0, "description", "motor speed", "writable", true)),
                TahuEdge.metric("running", 501, MetricDataType.Boolean, true),
                TahuEdge.metric("fault/code", 502, MetricDataType.Int32, 7),
                TahuEdge.metric("Device Control/Rebirth", 503, MetricDataType.Boolean, false));
    }

    private void born() {
        f.birth(edge, edge.birth(3, T0, HostBirthTest.plantMetrics()));
    }

    /** A device message of the node's session (the next seq), then the contribution build it asked for. */
    private void device(String type, String device, Metric... metrics) {
        f.host.message(edge.topic(type, device), edge.device(T0 + 10, metrics));
        f.builds.runAll();
    }

    private void driveBorn() {
        device("DBIRTH", "drive", driveMetrics().toArray(Metric[]::new));
    }

    private SparkplugStatus.RemoteNodeStatus node() {
        return f.host.status().nodes().get(0);
    }

    private ReadStatus readStatus(String path) {
        BlockRead read = new BlockRead(8);
        HostFixture.value(f.registry.last(), f.tag(path), read);
        return read.status();
    }

    /** @return the rebirth requests sent to the edge node (NCMD), by metric name */
    private List<String> rebirthRequests() throws Exception {
        List<String> names = new ArrayList<>();
        for (HostFixture.Published p : f.commandsTo(edge)) {
            names.add(new SparkplugBPayloadDecoder().buildFromByteArray(p.payload(), null).getMetrics().get(0).getName());
        }
        return names;
    }

    private static Metric nullValue(long alias, MetricDataType type) {
        try {
            return new Metric.MetricBuilder(alias, type, null).createMetric();
        } catch (SparkplugException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void aDeviceBirthMirrorsItsMetricsInABankOfItsOwnWithTheirProperties() {
        born();
        driveBorn();

        Contribution c = f.registry.last();
        assertThat(c.banks()).extracting(Contribution.ContributedBank::source)
                .containsExactly("sparkplug plant/press1", "sparkplug plant/press1/drive");
        Tag speed = f.tag(SPEED);
        assertThat(speed.allocation().bank()).isEqualTo(1);
        assertThat(speed.unit()).isEqualTo("rpm");
        assertThat(speed.engLow()).isEqualTo(0.0);
        assertThat(speed.engHigh()).isEqualTo(3000.0);
        assertThat(speed.description()).isEqualTo("motor speed");
        assertThat(speed.writable()).isTrue();
        assertThat(speed.properties()).containsExactlyInAnyOrderEntriesOf(Map.of("sparkplug_group", "plant",
                "sparkplug_edge", "press1", "sparkplug_device", "drive", "sparkplug_writable", "true"));
        assertThat(f.tag(COUNT).properties()).doesNotContainKey("sparkplug_device");
        assertThat(f.value(SPEED)).isEqualTo(1450.0);
        assertThat(f.value("sites/plant/press1/drive/running")).isEqualTo(true);
        assertThat(f.value("sites/plant/press1/drive/fault/code")).isEqualTo(7L);
        assertThat(c.tags()).noneMatch(t -> t.path().contains("Device Control"));
        assertThat(readStatus(SPEED)).isEqualTo(ReadStatus.OK);
        assertThat(node().devices()).isEqualTo(1);
        assertThat(node().devicesStale()).isZero();
        assertThat(node().gaps()).isZero();
    }

    @Test
    void deviceDataUpdatesItsMirrorInTheNodesSequence() throws Exception {
        born();
        driveBorn();
        long before = f.memoryOf(f.tag(SPEED)).sequence(0);

        device("DDATA", "drive", TahuEdge.byAlias(500, MetricDataType.Double, 1500.5),
                TahuEdge.byAlias(501, MetricDataType.Boolean, false));
        f.host.message(edge.topic("NDATA"), edge.data(T0 + 20, TahuEdge.byAlias(11, MetricDataType.Int32, 43)));
        device("DDATA", "drive", TahuEdge.byAlias(502, MetricDataType.Int32, 9));

        assertThat(f.value(SPEED)).isEqualTo(1500.5);
        assertThat(f.value("sites/plant/press1/drive/running")).isEqualTo(false);
        assertThat(f.value("sites/plant/press1/drive/fault/code")).isEqualTo(9L);
        assertThat(f.value(COUNT)).isEqualTo(43L);
        assertThat(f.memoryOf(f.tag(SPEED)).sequence(0)).as("one snapshot per DDATA").isEqualTo(before + 2);
        assertThat(node().gaps()).isZero();
        assertThat(rebirthRequests()).isEmpty();
        assertThat(f.counters.snapshot().malformed()).isZero();
    }

    @Test
    void aDeviceDeathMakesThatDeviceStaleAndLeavesTheNodeAndOtherDevicesGood() throws Exception {
        born();
        driveBorn();
        device("DBIRTH", "pump", TahuEdge.metric("flow", 600, MetricDataType.Float, 3.5f));

        device("DDEATH", "drive");

        assertThat(readStatus(SPEED)).isEqualTo(ReadStatus.STALE);
        assertThat(f.value(SPEED)).as("the last value stays readable").isEqualTo(1450.0);
        assertThat(readStatus("sites/plant/press1/pump/flow")).isEqualTo(ReadStatus.OK);
        assertThat(readStatus(COUNT)).isEqualTo(ReadStatus.OK);
        assertThat(node().stale()).isFalse();
        assertThat(node().devices()).isEqualTo(2);
        assertThat(node().devicesStale()).isEqualTo(1);

        device("DDATA", "drive", TahuEdge.byAlias(500, MetricDataType.Double, 1.0));
        assertThat(f.value(SPEED)).as("data of a dead device is not taken").isEqualTo(1450.0);
        assertThat(rebirthRequests()).containsExactly("Node Control/Rebirth");
    }

    @Test
    void aGapInDeviceDataMakesTheNodeAndAllItsDevicesStaleAndAsksTheNodeForARebirth() throws Exception {
        born();
        driveBorn();

        edge.lose();
        device("DDATA", "drive", TahuEdge.byAlias(500, MetricDataType.Double, 1.0));

        assertThat(node().stale()).isTrue();
        assertThat(node().gaps()).isEqualTo(1);
        assertThat(node().devicesStale()).isEqualTo(1);
        assertThat(readStatus(SPEED)).isEqualTo(ReadStatus.STALE);
        assertThat(readStatus(COUNT)).isEqualTo(ReadStatus.STALE);
        assertThat(f.value(SPEED)).isEqualTo(1450.0);
        assertThat(f.commandsTo(edge)).singleElement().satisfies(p -> assertThat(p.topic())
                .isEqualTo("spBv1.0/plant/NCMD/press1"));
        assertThat(rebirthRequests()).containsExactly("Node Control/Rebirth");
    }

    @Test
    void dataOfADeviceNeverBornIsCountedMalformedAndAsksTheNodeForARebirth() throws Exception {
        born();

        device("DDATA", "ghost", TahuEdge.byAlias(700, MetricDataType.Int32, 1));

        assertThat(f.counters.snapshot().malformed()).isEqualTo(1);
        assertThat(rebirthRequests()).containsExactly("Node Control/Rebirth");
        assertThat(node().stale()).as("the node's own values are not in doubt").isFalse();
        assertThat(node().devices()).isZero();
        assertThat(f.registry.contributions).hasSize(1);
    }

    @Test
    void aNodeBirthMakesItsDevicesStaleUntilTheirOwnBirth() {
        born();
        driveBorn();

        born();
        assertThat(readStatus(COUNT)).isEqualTo(ReadStatus.OK);
        assertThat(readStatus(SPEED)).isEqualTo(ReadStatus.STALE);
        assertThat(node().devicesStale()).isEqualTo(1);

        device("DDATA", "drive", TahuEdge.byAlias(500, MetricDataType.Double, 1.0));
        assertThat(f.value(SPEED)).as("data before the device's new birth is not taken").isEqualTo(1450.0);
        assertThat(f.counters.snapshot().malformed()).isEqualTo(1);

        driveBorn();
        assertThat(readStatus(SPEED)).isEqualTo(ReadStatus.OK);
        assertThat(node().devicesStale()).isZero();
    }

    @Test
    void aDeviceWithoutABirthInAWholeNodeSessionIsDroppedAtTheNextNodeBirth() {
        born();
        driveBorn();
        device("DBIRTH", "pump", TahuEdge.metric("flow", 600, MetricDataType.Float, 3.5f));

        born();
        device("DBIRTH", "pump", TahuEdge.metric("flow", 600, MetricDataType.Float, 3.5f));
        assertThat(f.registry.last().tags()).anyMatch(t -> t.path().equals(SPEED));

        born();

        assertThat(f.registry.last().tags()).noneMatch(t -> t.path().equals(SPEED));
        assertThat(f.registry.last().tags()).anyMatch(t -> t.path().equals("sites/plant/press1/pump/flow"));
        assertThat(node().devices()).isEqualTo(1);
    }

    @Test
    void anIdenticalDeviceBirthMakesNoNewRegistryVersionAndReusesTheMemory() {
        born();
        driveBorn();
        int versions = f.registry.contributions.size();
        String bank = f.registry.last().banks().get(1).name();

        List<Metric> same = new ArrayList<>(driveMetrics());
        same.set(0, TahuEdge.metric("speed", 500, MetricDataType.Double, 99.0, Map.of("engUnit", "rpm", "engLow", 0.0,
                "engHigh", 3000.0, "description", "motor speed", "writable", true)));
        born();
        device("DBIRTH", "drive", same.toArray(Metric[]::new));

        assertThat(f.registry.contributions).hasSize(versions);
        assertThat(f.registry.last().banks().get(1).name()).isEqualTo(bank);
        assertThat(f.value(SPEED)).isEqualTo(99.0);
        assertThat(readStatus(SPEED)).isEqualTo(ReadStatus.OK);
    }

    @Test
    void aChangedDeviceBirthIsANewBankAndTheOldMemoryGoesStale() {
        born();
        driveBorn();
        Contribution first = f.registry.last();

        List<Metric> more = new ArrayList<>(driveMetrics());
        more.add(TahuEdge.metric("torque", 504, MetricDataType.Int16, (short) 12));
        device("DBIRTH", "drive", more.toArray(Metric[]::new));

        Contribution second = f.registry.last();
        assertThat(second).isNotSameAs(first);
        assertThat(second.banks().get(1).name()).isNotEqualTo(first.banks().get(1).name());
        assertThat(second.banks().get(0).name()).as("the node's bank is untouched").isEqualTo(first.banks().get(0).name());
        assertThat(f.value("sites/plant/press1/drive/torque")).isEqualTo(12L);
        BlockRead read = new BlockRead(8);
        Tag oldSpeed = first.tags().stream().filter(t -> t.path().equals(SPEED)).findFirst().orElseThrow();
        HostFixture.value(first, oldSpeed, read);
        assertThat(read.status()).isEqualTo(ReadStatus.STALE);
    }

    @Test
    void aDeviceBirthIsNotTakenWhileTheNodeIsStale() throws Exception {
        born();
        f.host.message(edge.topic("NDEATH"), edge.death(3));

        driveBorn();

        assertThat(f.registry.last().tags()).noneMatch(t -> t.path().startsWith("sites/plant/press1/drive/"));
        assertThat(node().devices()).isZero();
        assertThat(rebirthRequests()).containsExactly("Node Control/Rebirth");
    }

    @Test
    void theNodesDeathMakesItsDevicesStaleAndOffline() {
        born();
        driveBorn();

        f.host.message(edge.topic("NDEATH"), edge.death(3));

        assertThat(readStatus(SPEED)).isEqualTo(ReadStatus.STALE);
        assertThat(node().devicesStale()).isEqualTo(1);
    }

    @Test
    void losingOurConnectionMakesDevicesStale() {
        born();
        driveBorn();

        f.host.offline();

        assertThat(readStatus(SPEED)).isEqualTo(ReadStatus.STALE);
    }

    @Test
    void deviceDataOfAnotherDatatypeIsNotWrittenAndMakesTheDeviceStaleUntilARebirth() throws Exception {
        born();
        driveBorn();

        device("DDATA", "drive", TahuEdge.byAlias(500, MetricDataType.Int32, 5), TahuEdge.byAlias(999, MetricDataType.Int32, 1));

        assertThat(f.value(SPEED)).isEqualTo(1450.0);
        assertThat(f.counters.snapshot().malformed()).isEqualTo(2);
        assertThat(readStatus(SPEED)).isEqualTo(ReadStatus.STALE);
        assertThat(readStatus(COUNT)).isEqualTo(ReadStatus.OK);
        assertThat(rebirthRequests()).containsExactly("Node Control/Rebirth");
    }

    @Test
    void aNullDeviceValueKeepsTheLastValueAndReadsStale() {
        born();
        driveBorn();

        device("DDATA", "drive", nullValue(500, MetricDataType.Double));

        assertThat(f.value(SPEED)).isEqualTo(1450.0);
        assertThat(readStatus(SPEED)).isEqualTo(ReadStatus.STALE);
        assertThat(f.counters.snapshot().malformed()).isZero();
    }

    @Test
    void deviceMetricsCountInHostTagsMax() {
        f = new HostFixture(new HostSettings("scada", List.of("plant"), "sites", 256, 5000, 12));
        born(); // 11 mirrored metrics

        driveBorn(); // 3 more

        assertThat(f.registry.last().tags()).noneMatch(t -> t.path().startsWith("sites/plant/press1/drive/"));
        assertThat(f.counters.snapshot().malformed()).isEqualTo(1);
        assertThat(node().devices()).isZero();
    }

    @Test
    void atMostAThousandDevicesPerNodeAreMirrored() {
        born();

        for (int i = 0; i <= DeviceMirror.MAX_DEVICES; i++) {
            f.host.message(edge.topic("DBIRTH", "d" + i), edge.device(T0 + 10, TahuEdge.metric("v", 1, MetricDataType.Int8,
                    (byte) 1)));
        }
        f.builds.runAll();

        assertThat(node().devices()).isEqualTo(DeviceMirror.MAX_DEVICES);
        assertThat(f.counters.snapshot().malformed()).isEqualTo(1);
        assertThat(f.registry.last().banks()).hasSize(1 + DeviceMirror.MAX_DEVICES);
        assertThat(node().stale()).isFalse();
    }

    @Test
    void aDevicePathThatANodeMetricHasComesAfterItSoTheRegistryLeavesTheDevicesOut() {
        List<Metric> metrics = new ArrayList<>(HostBirthTest.plantMetrics());
        metrics.add(TahuEdge.metric("drive/speed", 99, MetricDataType.Double, 1.0));
        f.birth(edge, edge.birth(3, T0, metrics));
        driveBorn();

        List<Tag> both = f.registry.last().tags().stream().filter(t -> t.path().equals(SPEED)).toList();
        assertThat(both).extracting(t -> t.allocation().bank()).as("the node's first: the registry keeps the first")
                .containsExactly(0, 1);
    }

    @Test
    void aDeviceIdThatWouldReadAsAPathIsNotMirrored() {
        born();

        device("DBIRTH", "..", TahuEdge.metric("v", 1, MetricDataType.Int8, (byte) 1));

        assertThat(node().devices()).isZero();
        assertThat(f.counters.snapshot().malformed()).isEqualTo(1);
        assertThat(node().stale()).isFalse();
    }
}
