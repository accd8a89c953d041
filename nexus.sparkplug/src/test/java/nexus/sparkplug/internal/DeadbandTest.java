package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.query.Quality;
import nexus.query.TagInfo;
import nexus.query.TagValue;

class DeadbandTest {

    private static final TagInfo RANGED = new TagInfo(1, "t", "FLOAT64", "b", 0, 0, 8, null, null, false, -50.0, 50.0,
            Map.of());
    private static final TagInfo UNRANGED = new TagInfo(2, "u", "INT32", "b", 0, 0, 4, null, null, false, null, null,
            Map.of());

    private static TagValue good(Object value) {
        return new TagValue(value, Quality.GOOD, 1);
    }

    @Test
    void withoutDeadbandsEveryChangePassesAndNoChangeDoesNot() {
        Deadband none = new Deadband(0, 0);

        assertThat(none.passes(RANGED, good(1.0), good(1.0000001))).isTrue();
        assertThat(none.passes(RANGED, good(1.0), good(1.0))).isFalse();
        assertThat(none.passes(RANGED, null, good(1.0))).as("nothing published yet").isTrue();
    }

    @Test
    void eitherDeadbandHoldsAChangeSmallerThanIt() {
        Deadband both = new Deadband(0.5, 10); // 10% of 100 = 10

        assertThat(both.passes(RANGED, good(0.0), good(0.4))).isFalse();
        assertThat(both.passes(RANGED, good(0.0), good(-9.0))).as("under 10% of the range").isFalse();
        assertThat(both.passes(RANGED, good(0.0), good(-10.0))).isTrue();
        assertThat(both.passes(UNRANGED, good(0L), good(1L))).as("no range: the absolute deadband only").isTrue();
    }

    @Test
    void qualityBooleanAndStringChangesAlwaysPass() {
        Deadband wide = new Deadband(1_000, 100);

        assertThat(wide.passes(RANGED, good(1.0), new TagValue(null, Quality.BAD_CONTENDED, 1))).isTrue();
        assertThat(wide.passes(RANGED, new TagValue(null, Quality.BAD_CONTENDED, 1), good(1.0))).isTrue();
        assertThat(wide.passes(UNRANGED, good(true), good(false))).isTrue();
        assertThat(wide.passes(UNRANGED, good("a"), good("b"))).isTrue();
    }
}
