package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.junit.jupiter.api.Test;

/** A metric is mirrored only when its whole mirrored path follows the tag path rule (nexus.core.TagPath). */
class RemoteBirthPathTest {

    private static final String UNDER = "sites/plant/n1/";

    private static RemoteBirth birth(String... names) {
        Payload.Builder payload = Payload.newBuilder().setTimestamp(1).setSeq(0).addMetrics(Metric.newBuilder()
                .setName("bdSeq").setDatatype(DataType.Int64_VALUE).setLongValue(0));
        for (String name : names) {
            payload.addMetrics(Metric.newBuilder().setName(name).setDatatype(DataType.Double_VALUE).setDoubleValue(1));
        }
        return RemoteBirth.read(payload.build(), UNDER);
    }

    private static List<String> mirrored(RemoteBirth birth) {
        return birth.mirrored().stream().map(b -> b.metric().getName()).toList();
    }

    /** The metrics skipped, bar bdSeq (never mirrored). */
    private static List<RemoteBirth.Skipped> skipped(RemoteBirth birth) {
        return birth.skipped().stream().filter(s -> !s.name().equals("bdSeq")).toList();
    }

    @Test
    void aNameThatFitsAloneButNotUnderTheMirrorsPathIsSkippedAndTheRestMirrored() {
        String fits = "x".repeat(1024 - UNDER.length());
        String tooLong = "x".repeat(1025 - UNDER.length());

        RemoteBirth birth = birth(fits, tooLong, "ok/level");

        assertThat(mirrored(birth)).containsExactly(fits, "ok/level");
        assertThat(skipped(birth)).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo(tooLong);
            assertThat(s.cause()).contains("1024");
        });
    }

    @Test
    void namesWithControlCharactersDotSegmentsOrEmptySegmentsAreSkipped() {
        List<String> bad = List.of("a\u0000b", "line\nbreak", "tab\there", "del\u007F", "a//b", "/lead", "trail/",
                "..", "x/./y", "../../etc");

        RemoteBirth birth = birth(bad.toArray(String[]::new));

        assertThat(mirrored(birth)).isEmpty();
        assertThat(skipped(birth)).extracting(RemoteBirth.Skipped::name).containsExactlyElementsOf(bad);
        assertThat(skipped(birth)).allSatisfy(s -> assertThat(s.cause()).startsWith("its mirrored path is no tag path"));
    }

    @Test
    void aNameWithDotsInsideASegmentIsMirrored() {
        assertThat(mirrored(birth("v1.2/a..b", "..x"))).containsExactly("v1.2/a..b", "..x");
    }
}
