package nexus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DeadbandTest {

    /** Engineering range 0–8: 25 % of it is 2 (every band below is exact in binary). */
    private static final TagInfo RANGED = tag(0.0, 8.0);
    private static final TagInfo REVERSED = tag(8.0, 0.0);
    private static final TagInfo UNRANGED = tag(null, null);
    private static final TagInfo LOW_ONLY = tag(0.0, null);

    private static TagInfo tag(Double engLow, Double engHigh) {
        return new TagInfo(1, "site/t", "FLOAT64", "b", 0, 0, 8, "degC", null, false, engLow, engHigh, Map.of());
    }

    private static TagValue good(Object value) {
        return new TagValue(value, Quality.GOOD, 1);
    }

    @Test
    void anAbsoluteBandPassesAChangeOfMoreThanTheBandAndHoldsOneEqualToIt() {
        Deadband band = new Deadband(0.5, 0);

        assertThat(band.passes(RANGED, good(1.0), good(1.5))).as("exactly the band").isFalse();
        assertThat(band.passes(RANGED, good(1.0), good(0.5))).as("exactly the band, downwards").isFalse();
        assertThat(band.passes(RANGED, good(1.0), good(1.25))).isFalse();
        assertThat(band.passes(RANGED, good(1.0), good(1.5000001))).isTrue();
        assertThat(band.passes(RANGED, good(1.0), good(0.4999999))).isTrue();
        assertThat(band.passes(RANGED, 1.0, 1.5)).as("the same rule on plain numbers").isFalse();
        assertThat(band.passes(RANGED, 1.0, 1.75)).isTrue();
    }

    @Test
    void anAbsoluteBandIsTheSameForATagWithoutRangeAndForNoTag() {
        Deadband band = new Deadband(0.5, 0);

        assertThat(band.band(UNRANGED)).isEqualTo(0.5);
        assertThat(band.band(null)).isEqualTo(0.5);
        assertThat(band.passes(UNRANGED, good(1L), good(2L))).isTrue();
        assertThat(band.passes(UNRANGED, good(1.0), good(1.5))).isFalse();
    }

    @Test
    void aPercentBandIsAShareOfTheEngineeringRange() {
        Deadband band = new Deadband(0, 25);

        assertThat(band.band(RANGED)).isEqualTo(2.0);
        assertThat(band.passes(RANGED, good(3.0), good(5.0))).as("25 % of 8 exactly").isFalse();
        assertThat(band.passes(RANGED, good(3.0), good(5.25))).isTrue();
        assertThat(band.passes(RANGED, good(3.0), good(0.75))).isTrue();
    }

    @Test
    void aReversedRangeIsAsWideAsTheUpright() {
        Deadband band = new Deadband(0, 25);

        assertThat(band.band(REVERSED)).isEqualTo(2.0);
        assertThat(band.passes(REVERSED, good(3.0), good(5.0))).isFalse();
        assertThat(band.passes(REVERSED, good(3.0), good(5.25))).isTrue();
    }

    @Test
    void aTagWithoutRangeIsNotDeadbandedByAPercent() {
        Deadband band = new Deadband(0, 25);

        assertThat(band.band(UNRANGED)).isZero();
        assertThat(band.band(LOW_ONLY)).as("half a range is none").isZero();
        assertThat(band.band(null)).isZero();
        assertThat(band.passes(UNRANGED, good(3.0), good(3.0000001))).as("every change passes").isTrue();
        assertThat(band.passes(LOW_ONLY, good(3L), good(4L))).isTrue();
        assertThat(band.passes(UNRANGED, good(3.0), good(3.0))).as("no change is no change").isFalse();
    }

    @Test
    void withoutABandEveryChangePassesAndNoChangeDoesNot() {
        assertThat(Deadband.NONE.band(RANGED)).isZero();
        assertThat(Deadband.NONE.passes(RANGED, good(1.0), good(1.0000001))).isTrue();
        assertThat(Deadband.NONE.passes(RANGED, good(1.0), good(1.0))).isFalse();
        assertThat(Deadband.NONE.passes(RANGED, good(7L), good(7L))).isFalse();
        assertThat(Deadband.NONE.passes(RANGED, good(7), good(7L))).as("numbers compare as numbers").isFalse();
        assertThat(new Deadband(0, 0)).isEqualTo(Deadband.NONE);
    }

    @Test
    void aChangeOfQualityAlwaysPasses() {
        Deadband wide = new Deadband(1_000, 0);
        TagValue contended = new TagValue(null, Quality.BAD_CONTENDED, 1);

        assertThat(wide.passes(RANGED, good(1.0), contended)).isTrue();
        assertThat(wide.passes(RANGED, contended, good(1.0))).isTrue();
        assertThat(wide.passes(RANGED, good(1.0), new TagValue(1.0, Quality.STALE, 1))).as("same value, other quality")
                .isTrue();
        assertThat(wide.passes(RANGED, contended, new TagValue(null, Quality.BAD_CONTENDED, 2))).as("still contended")
                .isFalse();
    }

    @Test
    void booleanAndTextChangesPassAnyBandAndEqualOnesDoNot() {
        Deadband wide = new Deadband(0, 100);

        assertThat(wide.passes(RANGED, good(true), good(false))).isTrue();
        assertThat(wide.passes(RANGED, good("a"), good("b"))).isTrue();
        assertThat(wide.passes(RANGED, good(true), good(true))).isFalse();
        assertThat(wide.passes(RANGED, good("a"), good("a"))).isFalse();
        assertThat(wide.passes(RANGED, good("1"), good(1.0))).as("text to number").isTrue();
    }

    @Test
    void notANumberPasses() {
        Deadband wide = new Deadband(1_000, 0);

        assertThat(wide.passes(RANGED, good(1.0), good(Double.NaN))).isTrue();
        assertThat(wide.passes(RANGED, good(Double.NaN), good(1.0))).isTrue();
        assertThat(wide.passes(RANGED, Double.NaN, 1.0)).as("NaN also stands for no last number").isTrue();
        assertThat(wide.passes(RANGED, 1.0, Double.NaN)).isTrue();
    }

    @Test
    void theFirstValuePasses() {
        assertThat(new Deadband(1_000, 0).passes(RANGED, null, good(1.0))).isTrue();
        assertThat(new Deadband(0, 100).passes(RANGED, null, good("a"))).isTrue();
        assertThat(Deadband.NONE.passes(RANGED, null, new TagValue(null, Quality.BAD_NO_BACKEND, 0))).isTrue();
    }

    @Test
    void refusesABandThatIsNotAFiniteNumberOfZeroOrMoreSayingWhatItTakes() {
        double[] wrongs = { -1, -0.001, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY };
        for (double wrong : wrongs) {
            assertThatThrownBy(() -> new Deadband(wrong, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContainingAll("finite number of 0 or more", String.valueOf(wrong));
            assertThatThrownBy(() -> new Deadband(0, wrong)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContainingAll("percent", "0 to 100", String.valueOf(wrong));
        }
    }

    @Test
    void refusesAPercentageAbove100() {
        assertThatThrownBy(() -> new Deadband(0, 100.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a deadband in percent of the engineering range is 0 to 100, not 100.5");
    }

    @Test
    void refusesBothBandsSayingToSetOne() {
        assertThatThrownBy(() -> new Deadband(0.5, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("absolute", "percentage", "not both", "set one");
    }
}
