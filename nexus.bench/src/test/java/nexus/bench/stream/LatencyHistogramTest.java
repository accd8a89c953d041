package nexus.bench.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    private static final long MS = 1_000_000;

    @Test
    void percentilesAreBucketEdgesAtMostATenthOfAMillisecondHighBelow100Ms() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 1; i <= 1000; i++) {
            histogram.record(i * 50_000L); // 0.05 ms to 50 ms
        }

        assertThat(histogram.count()).isEqualTo(1000);
        assertThat(histogram.percentileNanos(0.5)).isBetween(25 * MS, 25 * MS + 100_000);
        assertThat(histogram.percentileNanos(0.99)).isBetween(49_500_000L, 49_600_000L);
        assertThat(histogram.percentileNanos(1.0)).isEqualTo(50 * MS);
        assertThat(histogram.maxNanos()).isEqualTo(50 * MS);
    }

    @Test
    void slowValuesLandInCoarserBucketsAndTheMaximumStaysExact() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(250 * MS + 17);
        histogram.record(7_450 * MS);
        histogram.record(90_000 * MS);

        assertThat(histogram.percentileNanos(0.3)).isEqualTo(251 * MS);
        assertThat(histogram.percentileNanos(0.6)).isEqualTo(7_500 * MS);
        assertThat(histogram.percentileNanos(0.99)).isEqualTo(90_000 * MS);
        assertThat(histogram.maxNanos()).isEqualTo(90_000 * MS);
    }

    @Test
    void bucketsCoverTheRangeWithoutHoles() {
        for (long nanos : new long[] { 0, 99_999, 100_000, 99_999_999, 100_000_000, 999_999_999, 1_000_000_000,
                59_999_999_999L }) {
            int bucket = LatencyHistogram.bucket(nanos);
            assertThat(LatencyHistogram.upperEdge(bucket)).as("%d ns", nanos).isGreaterThan(nanos);
            assertThat(bucket == 0 || LatencyHistogram.upperEdge(bucket - 1) <= nanos).as("%d ns", nanos).isTrue();
        }
    }

    @Test
    void mergesAndCountsNegativeLatenciesAsZero() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(-5 * MS);
        b.record(3 * MS);
        b.record(4 * MS);
        a.add(b);

        assertThat(a.count()).isEqualTo(3);
        assertThat(a.percentileNanos(0.01)).isEqualTo(100_000);
        assertThat(a.maxNanos()).isEqualTo(4 * MS);
        assertThat(new LatencyHistogram().percentileNanos(0.99)).isZero();
    }
}
