package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.junit.jupiter.api.Test;

import nexus.registry.Tag;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;

/**
 * Reproductions of defects found by attacking running nodes (task L, branch h-L). Each test asserts the
 * behaviour the docs promise and FAILS on main as of ea080aa: a mirror is never shown current (GOOD)
 * with a value its edge did not send, and a mirrored path is a valid tag path.
 */
class HostHostileBirthTest {

    static final long T0 = 1_800_000_000_000L;
    static final String TOPIC = "spBv1.0/plant/NBIRTH/evil";
    static final String DATA = "spBv1.0/plant/NDATA/evil";

    private static Metric bdSeq(long value) {
        return Metric.newBuilder().setName("bdSeq").setDatatype(DataType.Int64_VALUE).setLongValue(value).build();
    }

    private static Metric dbl(String name, long alias, Double value) {
        Metric.Builder m = Metric.newBuilder().setName(name).setAlias(alias).setDatatype(DataType.Double_VALUE);
        return (value == null ? m.setIsNull(true) : m.setDoubleValue(value)).build();
    }

    private static byte[] birth(long bdSeq, long timestamp, Metric... metrics) {
        return Payload.newBuilder().setTimestamp(timestamp).setSeq(0).addMetrics(bdSeq(bdSeq))
                .addAllMetrics(List.of(metrics)).build().toByteArray();
    }

    private static BlockRead read(HostFixture f, String path) {
        Tag tag = f.tag(path);
        BlockRead read = new BlockRead(16);
        f.memoryOf(tag).read(read.target(0, tag.allocation().byteOffset(), tag.allocation().length()));
        return read;
    }

    /** Observed live: NBIRTH metric is_null (a not-GOOD tag at a Nexus edge) -> host shows 0.0 GOOD. */
    @Test
    void aNodeIdWithAControlCharacterIsNoNodeAndForgesNoLogLine() {
        HostFixture f = new HostFixture();
        f.host.message("spBv1.0/plant/NBIRTH/evil\n2026-12-06 ERROR forged", birth(0, T0, dbl("a/ok", 1, 5.0)));
        f.builds.runAll();

        assertThat(f.host.status().nodes()).as("no node is kept for it").isEmpty();
        assertThat(f.counters.malformed.sum()).isEqualTo(1);
        assertThat(OnceLog.printable("evil\n2026 ERROR")).isEqualTo("evil?2026 ERROR");
    }

    @Test
    void aNullValueInAFirstBirthIsNotShownAsACurrentZero() {
        HostFixture f = new HostFixture();
        f.host.message(TOPIC, birth(0, T0, dbl("a/nullval", 1, null), dbl("a/ok", 2, 5.0)));
        f.builds.runAll();

        assertThat(f.value("sites/plant/evil/a/ok")).isEqualTo(5.0);
        assertThat(read(f, "sites/plant/evil/a/nullval").status())
                .as("the edge said it has no value: the mirror must not serve 0.0 as current")
                .isNotEqualTo(ReadStatus.OK);
    }

    /** Observed live: NBIRTH whose Double metric carries a string -> 0.0 GOOD (only a WARN, once). */
    @Test
    void aWronglyTypedValueInABirthIsNotShownAsACurrentZero() {
        HostFixture f = new HostFixture();
        Metric wrong = Metric.newBuilder().setName("a/wrong").setAlias(1).setDatatype(DataType.Double_VALUE)
                .setStringValue("hello").build();
        f.host.message(TOPIC, birth(0, T0, wrong));
        f.builds.runAll();

        assertThat(read(f, "sites/plant/evil/a/wrong").status()).isNotEqualTo(ReadStatus.OK);
    }

    /** Observed live: value 7 from session 0 is served GOOD, stamped with session 1's birth time, after a rebirth saying is_null. */
    @Test
    void aRebirthSayingNullDoesNotKeepThePreviousSessionsValueCurrent() {
        HostFixture f = new HostFixture();
        f.host.message(TOPIC, birth(0, T0, dbl("a/v", 1, 5.0)));
        f.builds.runAll();
        f.host.message(DATA, Payload.newBuilder().setTimestamp(T0 + 1).setSeq(1)
                .addMetrics(Metric.newBuilder().setAlias(1).setDatatype(DataType.Double_VALUE).setDoubleValue(7.0)).build()
                .toByteArray());
        f.host.message(TOPIC, birth(1, T0 + 60_000, dbl("a/v", 1, null)));
        f.builds.runAll();

        assertThat(read(f, "sites/plant/evil/a/v").status())
                .as("7.0 is the last session's value; the new session's birth says it has none")
                .isNotEqualTo(ReadStatus.OK);
    }

    /**
     * Observed live (evil6): NDATA with is_null for v (what a Nexus edge sends when its tag is not GOOD)
     * -> the host serves the last value 5.0 as GOOD, stamped with the NDATA's time.
     */
    @Test
    void aNullInDataIsNotServedAsTheLastValueStampedNow() {
        HostFixture f = new HostFixture();
        f.host.message(TOPIC, birth(0, T0, dbl("a/v", 1, 5.0)));
        f.builds.runAll();
        f.host.message(DATA, Payload.newBuilder().setTimestamp(T0 + 60_000).setSeq(1)
                .addMetrics(Metric.newBuilder().setAlias(1).setDatatype(DataType.Double_VALUE).setIsNull(true)).build()
                .toByteArray());

        BlockRead read = read(f, "sites/plant/evil/a/v");
        assertThat(read.status() != ReadStatus.OK || read.lastWriteNanos() == T0 * 1_000_000L)
                .as("5.0 is not the value at T0+60s: the edge said it has none").isTrue();
    }

    /**
     * Observed live (prop1): engLow 5, engHigh -1 in a birth -> the registry refuses the whole sparkplug
     * contribution (MALFORMED range): no node's mirror changes are served until prop1 rebirths.
     */
    @Test
    void anInvalidEngineeringRangeDoesNotReachTheRegistry() {
        HostFixture f = new HostFixture();
        Metric reversed = Metric.newBuilder().setName("p/v").setAlias(1).setDatatype(DataType.Double_VALUE)
                .setDoubleValue(1).setProperties(Payload.PropertySet.newBuilder()
                        .addKeys("engLow").addValues(Payload.PropertyValue.newBuilder()
                                .setType(DataType.Double_VALUE).setDoubleValue(5))
                        .addKeys("engHigh").addValues(Payload.PropertyValue.newBuilder()
                                .setType(DataType.Double_VALUE).setDoubleValue(Double.NaN)))
                .build();
        f.host.message(TOPIC, birth(0, T0, reversed));
        f.builds.runAll();

        assertThat(f.registry.last().tags()).allSatisfy(t -> assertThat(t.engLow() == null || t.engHigh() == null
                || Double.isFinite(t.engLow()) && Double.isFinite(t.engHigh()) && t.engLow() <= t.engHigh())
                .as("%s has a range the registry refuses", t.path()).isTrue());
    }

    /** Observed live: '..' and '.' segments become tag paths that GET /api/v1/tags refuses ("contains a '..' segment"). */
    @Test
    void dotSegmentsAreNotMirroredAsTagPaths() {
        assertThat(RemoteBirth.pathProblem("sites/g1/n1/", "../../../site1/area1/line1/tank2/level")).isNotNull();
        assertThat(RemoteBirth.pathProblem("sites/g1/n1/", "x/./y")).isNotNull();
    }

    /** Observed live: a metric name over the registry's 1024-byte path limit made every later mirror change unserved. */
    @Test
    void aNameTooLongForTheRegistryIsNotMirrored() {
        assertThat(RemoteBirth.pathProblem("sites/g1/n1/", "N".repeat(10_000))).isNotNull();
    }

    /** Observed live: payload timestamp 99999999999999 ms shown as ts 2216-02-08 (ms * 1e6 overflows a long). */
    @Test
    void aFarFutureTimestampDoesNotOverflowIntoAPlausibleOne() {
        HostFixture f = new HostFixture();
        f.host.message(TOPIC, birth(0, 99_999_999_999_999L, dbl("a/v", 1, 1.0)));
        f.builds.runAll();

        long wrapped = 99_999_999_999_999L * 1_000_000L; // 2216-02-08T11:53:51Z, what the mirror served
        assertThat(read(f, "sites/plant/evil/a/v").lastWriteNanos())
                .as("a payload timestamp in year 5138 must be refused or clamped, not wrapped to a plausible date")
                .isNotEqualTo(wrapped);
    }
}
