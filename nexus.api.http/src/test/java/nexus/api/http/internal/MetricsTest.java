package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.core.MetricFamily;

/** The HTTP layer's own figures, as a metrics source. */
class MetricsTest {

    private final Metrics metrics = new Metrics();

    private MetricFamily family(String name) {
        return metrics.metrics().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void requestsAreCountedByRouteMethodAndStatusInThatLabelOrder() {
        metrics.request("/b", "GET", 200, 1);
        metrics.request("/a", "POST", 500, 1);
        metrics.request("/a", "POST", 500, 1);
        metrics.request("/a", "BREW", 405, 1);

        assertThat(family("nexus_http_requests_total").samples()).satisfiesExactly(
                s -> assertThat(s).isEqualTo(MetricFamily.Sample.of(Map.of("route", "/a", "method", "OTHER", "status", "405"), 1)),
                s -> {
                    assertThat(s.labels().keySet()).containsExactly("route", "method", "status");
                    assertThat(s.labels()).containsEntry("route", "/a").containsEntry("status", "500");
                    assertThat(s.value()).isEqualTo(2);
                },
                s -> assertThat(s.labels()).containsEntry("route", "/b"));
    }

    @Test
    void latencyIsACumulativeHistogramPerRoute() {
        metrics.request("/a", "GET", 200, 300_000); // 0.3 ms: the first bucket
        metrics.request("/a", "GET", 200, 20_000_000); // 20 ms
        metrics.request("/a", "GET", 200, 9_000_000_000L); // 9 s: only +Inf

        List<MetricFamily.Sample> samples = family("nexus_http_request_duration_seconds").samples();
        assertThat(family("nexus_http_request_duration_seconds").type()).isEqualTo(MetricFamily.Type.HISTOGRAM);
        assertThat(samples).hasSize(Metrics.BUCKETS.length + 3);
        assertThat(samples.get(0).labels()).containsEntry("le", "5.0E-4");
        assertThat(samples.get(0).value()).isEqualTo(1);
        assertThat(samples.get(5).labels()).containsEntry("le", "0.025");
        assertThat(samples.get(5).value()).isEqualTo(2);
        assertThat(samples.get(Metrics.BUCKETS.length)).satisfies(s -> {
            assertThat(s.labels()).containsEntry("le", "+Inf");
            assertThat(s.value()).isEqualTo(3);
        });
        assertThat(samples.get(Metrics.BUCKETS.length + 1)).isEqualTo(new MetricFamily.Sample("_sum", Map.of("route", "/a"), 9.0203));
        assertThat(samples.get(Metrics.BUCKETS.length + 2)).isEqualTo(new MetricFamily.Sample("_count", Map.of("route", "/a"), 3));
    }

    @Test
    void beforeAnyRequestTheFamiliesAreThereWithoutSamples() {
        assertThat(metrics.metrics()).extracting(MetricFamily::name).containsExactly("nexus_http_requests_total",
                "nexus_http_request_duration_seconds");
        assertThat(family("nexus_http_requests_total").samples()).isEmpty();
    }
}
