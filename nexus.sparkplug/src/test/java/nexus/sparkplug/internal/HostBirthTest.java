package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.Test;

import nexus.registry.Contribution;
import nexus.registry.Problem;
import nexus.registry.Tag;
import nexus.rma.Allocation;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaType;
import nexus.sparkplug.SparkplugStatus;

/** Births of remote edge nodes (built with Eclipse Tahu) as registry contributions and mirror memory. */
class HostBirthTest {

    static final long T0 = 1_800_000_000_000L;

    static List<Metric> plantMetrics() {
        return List.of(
                TahuEdge.metric("line/temp", 10, MetricDataType.Double, 21.5, Map.of("engUnit", "°C", "engLow", 0.0,
                        "engHigh", 100.0, "description", "oven temperature", "writable", true)),
                TahuEdge.metric("line/count", 11, MetricDataType.Int32, 42),
                TahuEdge.metric("line/run", 12, MetricDataType.Boolean, true),
                TahuEdge.metric("line/small", 13, MetricDataType.Int8, (byte) -5),
                TahuEdge.metric("line/u16", 14, MetricDataType.UInt16, 65_535),
                TahuEdge.metric("line/u32", 15, MetricDataType.UInt32, 4_000_000_000L),
                TahuEdge.metric("line/big", 16, MetricDataType.Int64, 1L << 40),
                TahuEdge.metric("line/f", 17, MetricDataType.Float, 1.5f),
                TahuEdge.metric("line/name", 18, MetricDataType.String, "batch-7"),
                TahuEdge.metric("line/stop", 19, MetricDataType.Boolean, false),
                TahuEdge.metric("line/when", 20, MetricDataType.DateTime, new Date(1_700_000_000_000L)),
                TahuEdge.metric("line/blob", 30, MetricDataType.Bytes, new byte[] {1, 2}),
                TahuEdge.metric("Properties/Hardware", 31, MetricDataType.String, "x86"),
                TahuEdge.metric("/leading", 32, MetricDataType.Int32, 1),
                TahuEdge.metric("a//b", 33, MetricDataType.Int32, 1));
    }

    @Test
    void aBirthThatWouldPassHostTagsMaxIsNotMirrored() {
        HostFixture f = new HostFixture(new HostSettings("scada", List.of("plant"), "sites", 256, 5000, 3));
        TahuEdge edge = new TahuEdge("plant", "press1");

        f.birth(edge, edge.birth(3, T0, plantMetrics()));

        assertThat(f.registry.contributions).as("more tags than host.tags.max: nothing mirrored").isEmpty();
        assertThat(f.counters.snapshot().malformed()).isEqualTo(1);
    }

    @Test
    void aHostThatHearsNoNodeMakesNoRegistryVersion() {
        HostFixture f = new HostFixture();

        f.host.online();
        f.host.registryChanged();
        f.builds.runAll();

        assertThat(f.registry.contributions).isEmpty();
    }

    @Test
    void birthContributesOneBankWithTagsAtTheirPathsTypesAndUnits() {
        HostFixture f = new HostFixture();
        TahuEdge edge = new TahuEdge("plant", "press1");
        f.birth(edge, edge.birth(3, T0, plantMetrics()));

        Contribution c = f.registry.last();
        assertThat(c.owner()).isEqualTo("sparkplug");
        assertThat(c.banks()).hasSize(1);
        assertThat(c.banks().get(0).source()).isEqualTo("sparkplug plant/press1");
        assertThat(c.banks().get(0).name()).startsWith("sp-");
        assertThat(c.tags()).extracting(Tag::path).containsExactlyInAnyOrder("sites/plant/press1/line/temp",
                "sites/plant/press1/line/count", "sites/plant/press1/line/run", "sites/plant/press1/line/small",
                "sites/plant/press1/line/u16", "sites/plant/press1/line/u32", "sites/plant/press1/line/big",
                "sites/plant/press1/line/f", "sites/plant/press1/line/name", "sites/plant/press1/line/stop",
                "sites/plant/press1/line/when");
        Tag temp = f.tag("sites/plant/press1/line/temp");
        assertThat(temp.allocation().type()).isEqualTo(RmaType.FLOAT64);
        assertThat(temp.unit()).isEqualTo("°C");
        assertThat(temp.engLow()).isEqualTo(0.0);
        assertThat(temp.engHigh()).isEqualTo(100.0);
        assertThat(temp.description()).isEqualTo("oven temperature");
        assertThat(temp.writable()).as("the birth's writable property").isTrue();
        assertThat(f.tag("sites/plant/press1/line/count").writable()).as("no writable property: not writable").isFalse();
        assertThat(temp.properties()).containsEntry("sparkplug_group", "plant").containsEntry("sparkplug_edge", "press1")
                .containsEntry("sparkplug_writable", "true");
        assertThat(f.tag("sites/plant/press1/line/count").properties()).doesNotContainKey("sparkplug_writable");
        assertThat(f.tag("sites/plant/press1/line/small").allocation().type()).isEqualTo(RmaType.INT8);
        assertThat(f.tag("sites/plant/press1/line/u16").allocation().type()).isEqualTo(RmaType.UINT16);
        assertThat(f.tag("sites/plant/press1/line/u32").allocation().type()).isEqualTo(RmaType.UINT32);
        assertThat(f.tag("sites/plant/press1/line/f").allocation().type()).isEqualTo(RmaType.FLOAT32);
        assertThat(f.tag("sites/plant/press1/line/when").allocation().type()).isEqualTo(RmaType.INT64);
        assertThat(f.tag("sites/plant/press1/line/name").allocation()).isEqualTo(Allocation.string(0,
                f.tag("sites/plant/press1/line/name").allocation().byteOffset(), HostSettings.DEFAULT_STRING_SIZE));
    }

    @Test
    void allocationsAreAlignedDoNotOverlapAndFitTheBank() {
        HostFixture f = new HostFixture();
        TahuEdge edge = new TahuEdge("plant", "press1");
        List<Metric> many = new ArrayList<>(plantMetrics());
        for (int i = 0; i < 11; i++) {
            many.add(TahuEdge.metric("bits/b" + i, 100 + i, MetricDataType.Boolean, i % 2 == 0));
            many.add(TahuEdge.metric("bytes/u" + i, 200 + i, MetricDataType.UInt8, (short) i));
        }
        f.birth(edge, edge.birth(0, T0, many));

        Contribution c = f.registry.last();
        int size = c.banks().get(0).size();
        assertThat(size % 8).isZero();
        List<Allocation> all = c.tags().stream().map(Tag::allocation).toList();
        for (Allocation a : all) {
            assertThat(a.byteOffset() % a.type().alignment()).as("%s aligned", a).isZero();
            assertThat(a.end()).as("%s inside the bank", a).isLessThanOrEqualTo(size);
        }
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Allocation a = all.get(i);
                Allocation b = all.get(j);
                boolean shareBytes = a.byteOffset() < b.end() && b.byteOffset() < a.end();
                boolean distinctBits = a.type() == RmaType.BOOL && b.type() == RmaType.BOOL && a.bitOffset() != b.bitOffset();
                assertThat(shareBytes && !distinctBits).as("%s and %s overlap", a, b).isFalse();
            }
        }
    }

    @Test
    void theBirthsValuesAreReadThroughTheMirror() {
        HostFixture f = new HostFixture();
        TahuEdge edge = new TahuEdge("plant", "press1");
        f.birth(edge, edge.birth(3, T0, plantMetrics()));

        assertThat(f.value("sites/plant/press1/line/temp")).isEqualTo(21.5);
        assertThat(f.value("sites/plant/press1/line/count")).isEqualTo(42L);
        assertThat(f.value("sites/plant/press1/line/run")).isEqualTo(true);
        assertThat(f.value("sites/plant/press1/line/stop")).isEqualTo(false);
        assertThat(f.value("sites/plant/press1/line/small")).isEqualTo(-5L);
        assertThat(f.value("sites/plant/press1/line/u16")).isEqualTo(65_535L);
        assertThat(f.value("sites/plant/press1/line/u32")).isEqualTo(4_000_000_000L);
        assertThat(f.value("sites/plant/press1/line/big")).isEqualTo(1L << 40);
        assertThat(f.value("sites/plant/press1/line/f")).isEqualTo(1.5f);
        assertThat(f.value("sites/plant/press1/line/name")).isEqualTo("batch-7");
        assertThat(f.value("sites/plant/press1/line/when")).isEqualTo(1_700_000_000_000L);

        BlockRead read = new BlockRead(8);
        HostFixture.value(f.registry.last(), f.tag("sites/plant/press1/line/temp"), read);
        assertThat(read.status()).isEqualTo(ReadStatus.OK);
        assertThat(read.lastWriteNanos()).as("the edge's timestamp").isEqualTo(T0 * 1_000_000L);
    }

    @Test
    void metricsThatAreNoTagsAreSkippedAndCountedInTheStatus() {
        HostFixture f = new HostFixture();
        TahuEdge edge = new TahuEdge("plant", "press1");
        f.birth(edge, edge.birth(3, T0, plantMetrics()));

        SparkplugStatus.RemoteNodeStatus node = f.host.status().nodes().get(0);
        assertThat(node.metricsMirrored()).isEqualTo(11);
        // bdSeq, Node Control/Rebirth, Bytes, Properties/Hardware, "/leading", "a//b"
        assertThat(node.metricsSkipped()).isEqualTo(6);
        assertThat(node.online()).isTrue();
        assertThat(node.stale()).isFalse();
        assertThat(node.bdSeq()).isEqualTo(3);
        assertThat(node.lastBirth()).isNotNull();
        assertThat(node.bank()).isEqualTo(f.registry.last().banks().get(0).name());
    }

    @Test
    void aStringLongerThanItsSizeIsMirroredCutAtACharacterBoundary() {
        HostFixture f = new HostFixture(8);
        TahuEdge edge = new TahuEdge("plant", "press1");
        f.birth(edge, edge.birth(0, T0, List.of(TahuEdge.metric("label", 1, MetricDataType.String, "abcdefgü-long"))));

        assertThat(f.value("sites/plant/press1/label")).isEqualTo("abcdefg");
        assertThat(f.host.status().nodes().get(0).stale()).isFalse();
    }

    @Test
    void anIdenticalRebirthMakesNoNewContributionAndReusesTheMemory() {
        HostFixture f = new HostFixture();
        TahuEdge edge = new TahuEdge("plant", "press1");
        f.birth(edge, edge.birth(3, T0, plantMetrics()));
        String bank = f.registry.last().banks().get(0).name();
        edge.lose();
        f.host.message(edge.topic("NDATA"), edge.data(T0 + 1, TahuEdge.byAlias(11, MetricDataType.Int32, 43)));
        assertThat(f.host.status().nodes().get(0).stale()).isTrue();

        List<Metric> same = new ArrayList<>(plantMetrics());
        same.set(1, TahuEdge.metric("line/count", 11, MetricDataType.Int32, 77));
        f.birth(edge, edge.birth(3, T0 + 2, same));

        assertThat(f.registry.contributions).hasSize(1);
        assertThat(f.host.status().nodes().get(0).bank()).isEqualTo(bank);
        assertThat(f.host.status().nodes().get(0).stale()).isFalse();
        assertThat(f.value("sites/plant/press1/line/count")).isEqualTo(77L);
    }

    @Test
    void aChangedBirthIsANewContributionWithANewBankAndTheOldMemoryGoesStale() {
        HostFixture f = new HostFixture();
        TahuEdge edge = new TahuEdge("plant", "press1");
        f.birth(edge, edge.birth(3, T0, plantMetrics()));
        Contribution first = f.registry.last();

        List<Metric> more = new ArrayList<>(plantMetrics());
        more.add(TahuEdge.metric("line/new", 40, MetricDataType.Int16, (short) 9));
        f.birth(edge, edge.birth(4, T0 + 5, more));

        assertThat(f.registry.contributions).hasSize(2);
        Contribution second = f.registry.last();
        assertThat(second.banks().get(0).name()).isNotEqualTo(first.banks().get(0).name());
        assertThat(f.value("sites/plant/press1/line/new")).isEqualTo(9L);
        BlockRead read = new BlockRead(8);
        HostFixture.value(first, first.tags().get(0), read);
        assertThat(read.status()).isEqualTo(ReadStatus.STALE);
    }

    @Test
    void aBurstOfBirthsIsOneBuildOfTheLatestState() {
        HostFixture f = new HostFixture();
        for (int i = 0; i < 5; i++) {
            TahuEdge edge = new TahuEdge("plant", "press" + i);
            f.host.message(edge.topic("NBIRTH"), edge.birth(0, T0, List.of(TahuEdge.metric("v", 1, MetricDataType.Int32, i))));
        }
        assertThat(f.registry.contributions).isEmpty();
        f.builds.runAll();

        assertThat(f.registry.contributions).hasSize(1);
        assertThat(f.registry.last().banks()).hasSize(5);
        assertThat(f.registry.last().tags()).extracting(Tag::path).contains("sites/plant/press0/v", "sites/plant/press4/v");
        assertThat(f.value("sites/plant/press3/v")).isEqualTo(3L);
    }

    @Test
    void reportProblemsAreCountedAndTheRestStillServed() {
        HostFixture f = new HostFixture();
        f.registry.problems = List.of(new Problem(Problem.Kind.DUPLICATE_PATH, "path 'sites/plant/press1/line/count' is"
                + " a local tag", List.of("sites/plant/press1/line/count")));
        TahuEdge edge = new TahuEdge("plant", "press1");
        f.birth(edge, edge.birth(3, T0, plantMetrics()));

        assertThat(f.counters.snapshot().mirrorProblems()).isEqualTo(1);
        assertThat(f.value("sites/plant/press1/line/temp")).isEqualTo(21.5);
    }

    @Test
    void aBirthWithoutBdSeqIsMalformedAndMirrorsNothing() {
        HostFixture f = new HostFixture();
        byte[] noBdSeq = org.eclipse.tahu.protobuf.SparkplugBProto.Payload.newBuilder().setSeq(0).setTimestamp(T0)
                .addMetrics(org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric.newBuilder().setName("v")
                        .setDatatype(3).setIntValue(1))
                .build().toByteArray();
        f.host.message("spBv1.0/plant/NBIRTH/press1", noBdSeq);
        f.builds.runAll();

        assertThat(f.registry.contributions).isEmpty();
        assertThat(f.counters.snapshot().malformed()).isEqualTo(1);
    }

    @Test
    void aMirrorNoRegistryTookIsOfferedAgainWithTheNextBirth() {
        HostFixture f = new HostFixture();
        f.served = null;
        TahuEdge edge = new TahuEdge("plant", "press1");
        f.birth(edge, edge.birth(3, T0, plantMetrics()));
        assertThat(f.registry.contributions).isEmpty();

        f.served = f.registry;
        f.birth(edge, edge.birth(4, T0 + 1, plantMetrics()));

        assertThat(f.registry.contributions).hasSize(1);
        assertThat(f.value("sites/plant/press1/line/count")).isEqualTo(42L);
    }

    @Test
    void aReplacedRegistryServiceIsGivenTheMirrorAgain() {
        HostFixture f = new HostFixture();
        TahuEdge edge = new TahuEdge("plant", "press1");
        f.birth(edge, edge.birth(3, T0, plantMetrics()));
        f.host.registryChanged();
        f.builds.runAll();
        assertThat(f.registry.contributions).as("the same registry already has it").hasSize(1);

        HostFixture.RecordingRegistry restarted = new HostFixture.RecordingRegistry();
        f.served = restarted;
        f.host.registryChanged();
        f.builds.runAll();

        assertThat(restarted.contributions).hasSize(1);
        assertThat(restarted.last().banks()).isEqualTo(f.registry.last().banks());
    }

    @Test
    void stopWithdrawsTheContribution() {
        HostFixture f = new HostFixture();
        TahuEdge edge = new TahuEdge("plant", "press1");
        f.birth(edge, edge.birth(3, T0, plantMetrics()));

        f.host.stop();

        assertThat(f.registry.withdrawn).containsExactly("sparkplug");
        assertThat(f.host.status().nodes().get(0).stale()).isTrue();
    }
}
