package nexus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Path globs: ** spans segments, * and ? stay within one. */
class PathScopeTest {

    @Test
    void doubleStarMatchesAnyNumberOfSegmentsIncludingNone() {
        PathScope area = PathScope.of("site1/area2/**");

        assertThat(area.matches("site1/area2/line1/tank/level")).isTrue();
        assertThat(area.matches("site1/area2")).isTrue();
        assertThat(area.matches("site1/area20/line1")).as("a segment is matched whole").isFalse();
        assertThat(area.matches("site1/area3/line1")).isFalse();
        assertThat(PathScope.of("**/level").matches("a/b/c/level")).isTrue();
        assertThat(PathScope.of("site1/**/level").matches("site1/level")).isTrue();
        assertThat(PathScope.of("site1/**/level").matches("site1/a/level/sp")).isFalse();
    }

    @Test
    void starAndQuestionMarkStayWithinASegment() {
        PathScope lines = PathScope.of("site1/*/line?/**");

        assertThat(lines.matches("site1/area2/line3/tank")).isTrue();
        assertThat(lines.matches("site1/area2/x/line3/tank")).isFalse();
        assertThat(lines.matches("site1/area2/line10/tank")).isFalse();
        assertThat(PathScope.of("site1/tank*").matches("site1/tank12")).isTrue();
        assertThat(PathScope.of("site1/tank*").matches("site1/tank12/level")).isFalse();
        assertThat(PathScope.of("site1/*a*b").matches("site1/xxaxxbab")).isTrue();
    }

    @Test
    void anyGlobMatchingIsEnoughAndTheUnionKeepsBoth() {
        PathScope union = PathScope.of("site1/**").or(PathScope.of("site2/area1/**"));

        assertThat(union.matches("site1/x")).isTrue();
        assertThat(union.matches("site2/area1/x")).isTrue();
        assertThat(union.matches("site2/area2/x")).isFalse();
        assertThat(PathScope.NONE.matches("site1/x")).isFalse();
        assertThat(PathScope.NONE.or(PathScope.ALL).isAll()).isTrue();
        assertThat(union.toString()).isEqualTo("site1/**, site2/area1/**");
        assertThat(PathScope.NONE.toString()).isEqualTo("nothing");
    }

    @Test
    void malformedGlobsAreRefusedSayingWhatIsWrong() {
        assertThatThrownBy(() -> PathScope.of("site1//x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty segment");
        assertThatThrownBy(() -> PathScope.of("site1/**x")).hasMessageContaining("** stands alone");
        assertThatThrownBy(() -> PathScope.of(" ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PathScope.of("/site1")).hasMessageContaining("empty segment");
    }
}
