package nexus.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Review of the one deadband rule: without a band, every change passes — also a change of a 64-bit
 * integer that a double cannot tell apart (values above 2^53: UINT64 counters, ns timestamps). Both
 * rules it replaced (the stream's "no band: every change", the edge's "equal objects are held, other
 * changes pass") passed such a change.
 */
class DeadbandPrecisionTest {

    private static final TagInfo INT64 = new TagInfo(1, "site/counter", "INT64", "b", 0, 0, 8, null, null, false, null,
            null, Map.of());

    private static TagValue good(Object value) {
        return new TagValue(value, Quality.GOOD, 1);
    }

    @Test
    void withoutABandEveryChangeOfALongPassesEvenOneADoubleCannotTellApart() {
        long big = (1L << 53) + 1; // (double) big == (double) (big - 1)

        assertThat(Deadband.NONE.passes(INT64, good(big - 1), good(big))).as("no band: every change passes").isTrue();
    }

    @Test
    void aPercentBandOnATagWithoutRangeLetsEveryChangeOfALongPass() {
        long big = (1L << 60) + 3;

        assertThat(new Deadband(0, 10).passes(INT64, good(big), good(big + 1)))
                .as("docs/streams.md: a tag without a range is not deadbanded, every change is sent").isTrue();
    }
}
