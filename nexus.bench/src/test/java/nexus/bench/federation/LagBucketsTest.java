package nexus.bench.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LagBucketsTest {

    private static String text(int b1, int b10, int b100, int inf) {
        return """
                # HELP nexus_sparkplug_mirror_lag_seconds Lag.
                # TYPE nexus_sparkplug_mirror_lag_seconds histogram
                nexus_sparkplug_mirror_lag_seconds_bucket{le="0.001"} %d
                nexus_sparkplug_mirror_lag_seconds_bucket{le="0.01"} %d
                nexus_sparkplug_mirror_lag_seconds_bucket{le="0.1"} %d
                nexus_sparkplug_mirror_lag_seconds_bucket{le="+Inf"} %d
                nexus_sparkplug_mirror_lag_seconds_sum 1.5
                nexus_sparkplug_mirror_lag_seconds_count %d
                nexus_other_seconds_bucket{le="0.001"} 99
                """.formatted(b1, b10, b100, inf, inf);
    }

    @Test
    void readsOnlyTheNamedFamilysBuckets() {
        LagBuckets buckets = LagBuckets.parse(text(1, 2, 3, 4), FederationLoad.LAG_FAMILY);

        assertThat(buckets.count()).isEqualTo(4);
        assertThat(buckets.highestBound()).isEqualTo(0.1);
        assertThat(LagBuckets.parse(text(1, 2, 3, 4), "nexus_missing").isEmpty()).isTrue();
    }

    @Test
    void interpolatesAQuantileLinearlyInsideItsBucket() {
        LagBuckets buckets = LagBuckets.parse(text(0, 100, 200, 200), FederationLoad.LAG_FAMILY);

        assertThat(buckets.quantile(0.5)).isCloseTo(0.01, within(1e-12));
        assertThat(buckets.quantile(0.25)).isCloseTo(0.001 + 0.009 * 0.5, within(1e-12));
        assertThat(buckets.quantile(0.99)).isCloseTo(0.01 + 0.09 * 0.98, within(1e-12));
    }

    @Test
    void aQuantileInTheInfiniteBucketIsTheHighestBound() {
        LagBuckets buckets = LagBuckets.parse(text(0, 0, 10, 100), FederationLoad.LAG_FAMILY);

        assertThat(buckets.quantile(0.99)).isEqualTo(0.1);
    }

    @Test
    void countsOnlyWhatWasObservedSinceAnEarlierReading() {
        LagBuckets before = LagBuckets.parse(text(10, 10, 10, 10), FederationLoad.LAG_FAMILY);
        LagBuckets after = LagBuckets.parse(text(10, 20, 30, 30), FederationLoad.LAG_FAMILY);

        LagBuckets window = after.since(before);

        assertThat(window.count()).isEqualTo(20);
        assertThat(window.quantile(0.5)).isCloseTo(0.01, within(1e-12));
        assertThat(LagBuckets.parse("", FederationLoad.LAG_FAMILY).quantile(0.5)).isNaN();
    }
}
