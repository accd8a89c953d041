package nexus.alarm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.alarm.AlarmSummary;
import nexus.core.MetricFamily;
import nexus.core.MetricFamily.Sample;
import nexus.core.MetricFamily.Type;
import nexus.core.Severity;

class AlarmMetricsTest {

    private static AlarmSummary summary(List<AlarmSummary.SinkStats> sinks) {
        return new AlarmSummary(4, 20, Map.of(Severity.HIGH, 2), Map.of(Severity.HIGH, 1, Severity.LOW, 3), Map.of(), 1, 2, 9,
                true, 5, List.of("tank1"), 1, new AlarmSummary.ScanStats(1000, 100, 3, 1_500_000, 42_000_000, Instant.EPOCH, 55),
                sinks);
    }

    private static MetricFamily family(List<MetricFamily> families, String name) {
        return families.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void reportsTheKpisBySeverityAndTheScan() {
        List<MetricFamily> families = AlarmMetrics.families(summary(List.of()));

        assertThat(families).extracting(MetricFamily::name).containsExactly("nexus_alarms_active",
                "nexus_alarms_unacknowledged", "nexus_alarms_shelved", "nexus_alarms_suppressed", "nexus_alarms_out_of_service",
                "nexus_alarm_activations_10m", "nexus_alarm_flood", "nexus_alarms_chattering", "nexus_alarm_scans_total",
                "nexus_alarm_scan_overruns_total", "nexus_alarm_scan_last_seconds", "nexus_alarm_scan_max_seconds",
                "nexus_alarm_events_total");
        MetricFamily unacknowledged = family(families, "nexus_alarms_unacknowledged");
        assertThat(unacknowledged.type()).isEqualTo(Type.GAUGE);
        assertThat(unacknowledged.help()).isEqualTo("Alarms waiting for an acknowledgement (UNACK_ALARM, RTN_UNACK).");
        assertThat(unacknowledged.samples()).hasSize(Severity.values().length)
                .contains(Sample.of(Map.of("severity", "HIGH"), 1), Sample.of(Map.of("severity", "LOW"), 3));
        assertThat(family(families, "nexus_alarm_flood").samples().get(0).value()).isEqualTo(1);
        assertThat(family(families, "nexus_alarm_scans_total").type()).isEqualTo(Type.COUNTER);
        assertThat(family(families, "nexus_alarm_scan_last_seconds").samples().get(0).value()).isEqualTo(0.0015);
        assertThat(family(families, "nexus_alarm_scan_max_seconds").samples().get(0).value()).isEqualTo(0.042);
        assertThat(family(families, "nexus_alarm_events_total").samples().get(0).value()).isEqualTo(55);
    }

    @Test
    void reportsEachSinksOutcomesWhenThereAreSinks() {
        List<MetricFamily> families = AlarmMetrics.families(summary(List.of(new AlarmSummary.SinkStats("loki", 10, 1))));

        MetricFamily events = family(families, "nexus_alarm_sink_events_total");
        assertThat(events.type()).isEqualTo(Type.COUNTER);
        assertThat(events.samples()).containsExactly(Sample.of(Map.of("sink", "loki", "outcome", "delivered"), 10),
                Sample.of(Map.of("sink", "loki", "outcome", "failed"), 1));
        assertThat(events.samples().get(0).labels().keySet()).containsExactly("sink", "outcome");
        assertThat(families).as("the queue and its drops are the sink's own figures now")
                .noneMatch(f -> f.name().equals("nexus_alarm_sink_queue_events"));
    }
}
