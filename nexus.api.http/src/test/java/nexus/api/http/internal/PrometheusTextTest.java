package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.core.MetricFamily;

/** Metric families in the Prometheus text format. */
class PrometheusTextTest {

    @Test
    void countersGaugesAndHistogramsAreWrittenWithEscapedLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("reason", "queue_full");
        labels.put("sink", "a \"quoted\"\\name");
        StringBuilder out = new StringBuilder();

        PrometheusText.family(out, new MetricFamily("nexus_loki_events_dropped_total", MetricFamily.Type.COUNTER,
                "Events dropped.", List.of(MetricFamily.Sample.of(labels, 3))));
        PrometheusText.family(out, MetricFamily.single("nexus_loki_queue_events", MetricFamily.Type.GAUGE, "Queued.", 0.5));
        PrometheusText.family(out, new MetricFamily("nexus_loki_push_seconds", MetricFamily.Type.HISTOGRAM, "Push time.",
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
        assertThat(TextFormatCheck.problems(out.toString())).isEmpty();
    }

    @Test
    void aBadNameIsRefusedWhenTheFamilyIsMade() {
        assertThatThrownBy(() -> MetricFamily.single("nexus-loki", MetricFamily.Type.GAUGE, "", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Prometheus metric name");
    }

    @Test
    void labelValuesEscapeBackslashQuoteAndLineFeed() {
        byte[] text = PrometheusText.render(List.of(new MetricFamily("nexus_g", MetricFamily.Type.GAUGE, "G.",
                List.of(MetricFamily.Sample.of(Map.of("path", "C:\\plant \"A\"\nline 2 ü"), 1)))));

        String written = new String(text, StandardCharsets.UTF_8);
        assertThat(written).contains("nexus_g{path=\"C:\\\\plant \\\"A\\\"\\nline 2 ü\"} 1\n");
        assertThat(TextFormatCheck.samples(written).get(0).labels()).containsEntry("path", "C:\\plant \"A\"\nline 2 ü");
    }

    @Test
    void helpEscapesBackslashAndLineFeedButNotQuotes() {
        String written = new String(PrometheusText.render(List.of(MetricFamily.single("nexus_g", MetricFamily.Type.GAUGE,
                "Two\nlines, a \\ and \"quotes\".", 1))), StandardCharsets.UTF_8);

        assertThat(written).startsWith("# HELP nexus_g Two\\nlines, a \\\\ and \"quotes\".\n# TYPE nexus_g gauge\n");
        assertThat(TextFormatCheck.problems(written)).isEmpty();
    }

    @Test
    void valuesAreGoFloats() {
        assertThat(PrometheusText.number(3)).isEqualTo("3");
        assertThat(PrometheusText.number(-0.0)).isEqualTo("0");
        assertThat(PrometheusText.number(0.25)).isEqualTo("0.25");
        assertThat(PrometheusText.number(0.0005)).isEqualTo("5.0E-4");
        assertThat(PrometheusText.number(1e20)).isEqualTo("1.0E20");
        assertThat(PrometheusText.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(PrometheusText.number(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void aFamilyWithoutSamplesKeepsItsHelpAndType() {
        String written = new String(PrometheusText.render(List.of(new MetricFamily("nexus_x_total", MetricFamily.Type.COUNTER,
                "Nothing yet.", List.of()))), StandardCharsets.UTF_8);

        assertThat(written).isEqualTo("# HELP nexus_x_total Nothing yet.\n# TYPE nexus_x_total counter\n");
        assertThat(TextFormatCheck.problems(written)).isEmpty();
    }
}
