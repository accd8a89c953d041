package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import nexus.core.MetricFamily;

class LagHistogramTest {

    private final LagHistogram histogram = new LagHistogram();

    private Map<String, Double> buckets() {
        Map<String, Double> buckets = new LinkedHashMap<>();
        for (MetricFamily.Sample s : family().samples()) {
            if (s.suffix().equals("_bucket")) {
                buckets.put(s.labels().get("le"), s.value());
            }
        }
        return buckets;
    }

    private MetricFamily family() {
        return histogram.family("nexus_sparkplug_mirror_lag_seconds", "Lag.");
    }

    private double sample(String suffix) {
        return family().samples().stream().filter(s -> s.suffix().equals(suffix)).findFirst().orElseThrow().value();
    }

    @Test
    void isAPrometheusHistogramWithFixedBucketsFromOneMillisecondToTenSeconds() {
        MetricFamily family = family();

        assertThat(family.type()).isEqualTo(MetricFamily.Type.HISTOGRAM);
        assertThat(buckets().keySet()).containsExactly("0.001", "0.002", "0.005", "0.01", "0.025", "0.05", "0.1",
                "0.25", "0.5", "1", "2.5", "5", "10", "+Inf");
        assertThat(buckets().values()).containsOnly(0.0);
        assertThat(sample("_count")).isZero();
        assertThat(sample("_sum")).isZero();
    }

    @Test
    void countsEachLagInTheFirstBucketItFitsCumulatively() {
        histogram.record(1);
        histogram.record(7);
        histogram.record(10);
        histogram.record(2_000);
        histogram.record(60_000);

        Map<String, Double> buckets = buckets();
        assertThat(buckets).containsEntry("0.001", 1.0).containsEntry("0.005", 1.0).containsEntry("0.01", 3.0)
                .containsEntry("1", 3.0).containsEntry("2.5", 4.0).containsEntry("10", 4.0).containsEntry("+Inf", 5.0);
        assertThat(sample("_count")).isEqualTo(5);
        assertThat(sample("_sum")).isEqualTo(62.018);
    }

    @Test
    void countsALagFromAnEdgeClockAheadOfOursAsZero() {
        histogram.record(-250);

        assertThat(buckets()).containsEntry("0.001", 1.0);
        assertThat(sample("_sum")).isZero();
    }

    @Test
    void losesNoRecordWhenManyThreadsRecordAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 10_000; i++) {
                    histogram.record(i % 20);
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(histogram.count()).isEqualTo(40_000);
        assertThat(sample("_count")).isEqualTo(40_000);
        assertThat(sample("_sum")).isEqualTo(4 * 500 * 190 / 1000.0);
    }
}
