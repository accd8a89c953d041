package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.core.MetricFamily;

/** A {@code MetricsSource}'s families in the Prometheus text format. */
class MetricsFamilyTest {

    @Test
    void countersGaugesAndHistogramsAreWrittenWithEscapedLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("reason", "queue_full");
        labels.put("sink", "a \"quoted\"\\name");
        StringBuilder out = new StringBuilder();

        MetricsServlet.family(out, new MetricFamily("nexus_loki_events_dropped_total", MetricFamily.Type.COUNTER,
                "Events dropped.", List.of(MetricFamily.Sample.of(labels, 3))));
        MetricsServlet.family(out, MetricFamily.single("nexus_loki_queue_events", MetricFamily.Type.GAUGE, "Queued.", 0.5));
        MetricsServlet.family(out, new MetricFamily("nexus_loki_push_seconds", MetricFamily.Type.HISTOGRAM, "Push time.",
                List.of(new MetricFamily.Sample("_bucket", Map.of("le", "0.1"), 2),
                        new MetricFamily.Sample("_bucket", Map.of("le", "+Inf"), 3),
                        new MetricFamily.Sample("_sum", Map.of(), 0.42),
                        new MetricFamily.Sample("_count", Map.of(), 3))));

        assertThat(out.toString()).isEqualTo("""
                # HELP nexus_loki_events_dropped_total Events dropped.
                # TYPE nexus_loki_events_dropped_total counter
                nexus_loki_events_dropped_total{reason="queue_full",sink="a \\"quoted\\"\\\\name"} 3
                # HELP nexus_loki_queue_events Queued.
                # TYPE nexus_loki_queue_events gauge
                nexus_loki_queue_events 0.5
                # HELP nexus_loki_push_seconds Push time.
                # TYPE nexus_loki_push_seconds histogram
                nexus_loki_push_seconds_bucket{le="0.1"} 2
                nexus_loki_push_seconds_bucket{le="+Inf"} 3
                nexus_loki_push_seconds_sum 0.42
                nexus_loki_push_seconds_count 3
                """);
    }

    @Test
    void aBadNameIsRefusedWhenTheFamilyIsMade() {
        assertThatThrownBy(() -> MetricFamily.single("nexus-loki", MetricFamily.Type.GAUGE, "", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Prometheus metric name");
    }
}
