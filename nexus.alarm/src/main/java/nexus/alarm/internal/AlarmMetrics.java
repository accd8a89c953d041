package nexus.alarm.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import nexus.alarm.AlarmService;
import nexus.alarm.AlarmSummary;
import nexus.core.MetricFamily;
import nexus.core.MetricFamily.Type;
import nexus.core.MetricsSource;
import nexus.core.Severity;

/**
 * The alarm KPIs (ISA-18.2 §16) and how the alarm manager keeps up, in {@code /metrics}: taken from
 * {@link AlarmService#summary()} on every scrape. Present while an {@link AlarmService} is.
 */
@Component(service = MetricsSource.class)
public final class AlarmMetrics implements MetricsSource {

    private final AlarmService alarms;

    @Activate
    public AlarmMetrics(@Reference AlarmService alarms) {
        this.alarms = alarms;
    }

    @Override
    public List<MetricFamily> metrics() {
        return families(alarms.summary());
    }

    static List<MetricFamily> families(AlarmSummary s) {
        List<MetricFamily> families = new ArrayList<>(16);
        families.add(bySeverity("nexus_alarms_active", "Alarms in alarm and annunciated (UNACK_ALARM, ACKED_ALARM).",
                s.active()));
        families.add(bySeverity("nexus_alarms_unacknowledged", "Alarms waiting for an acknowledgement (UNACK_ALARM, RTN_UNACK).",
                s.unacknowledged()));
        families.add(bySeverity("nexus_alarms_shelved", "Shelved alarms.", s.shelved()));
        families.add(MetricFamily.single("nexus_alarms_suppressed", Type.GAUGE, "Alarms suppressed by design.", s.suppressed()));
        families.add(MetricFamily.single("nexus_alarms_out_of_service", Type.GAUGE, "Alarms out of service or disabled.",
                s.outOfService()));
        families.add(MetricFamily.single("nexus_alarm_activations_10m", Type.GAUGE, "Alarm activations in the last 10 minutes.",
                s.activations10m()));
        families.add(MetricFamily.single("nexus_alarm_flood", Type.GAUGE,
                "1 while activations in 10 minutes exceed the flood threshold.", s.flood() ? 1 : 0));
        families.add(MetricFamily.single("nexus_alarms_chattering", Type.GAUGE,
                "Alarms that activated repeatedly within the chattering window.", s.chatteringCount()));
        families.add(MetricFamily.single("nexus_alarm_scans_total", Type.COUNTER, "Alarm scans since start.", s.scan().scans()));
        families.add(MetricFamily.single("nexus_alarm_scan_overruns_total", Type.COUNTER,
                "Alarm scans that took longer than the scan interval.", s.scan().overruns()));
        families.add(MetricFamily.single("nexus_alarm_scan_last_seconds", Type.GAUGE, "Duration of the last alarm scan.",
                s.scan().lastNanos() / 1e9));
        families.add(MetricFamily.single("nexus_alarm_scan_max_seconds", Type.GAUGE, "Longest alarm scan since start.",
                s.scan().maxNanos() / 1e9));
        families.add(MetricFamily.single("nexus_alarm_events_total", Type.COUNTER,
                "Alarm events (transitions and operator actions) since start.", s.scan().events()));
        if (!s.sinks().isEmpty()) {
            // what the sink does with an event it took (its queue, its drops) is the sink's own figure
            List<MetricFamily.Sample> events = new ArrayList<>(2 * s.sinks().size());
            for (AlarmSummary.SinkStats sink : s.sinks()) {
                events.add(sinkSample(sink.name(), "delivered", sink.delivered()));
                events.add(sinkSample(sink.name(), "failed", sink.failed()));
            }
            families.add(new MetricFamily("nexus_alarm_sink_events_total", Type.COUNTER,
                    "Alarm events per sink: delivered (its publish took them) or failed (its publish threw).", events));
        }
        return families;
    }

    private static MetricFamily.Sample sinkSample(String sink, String outcome, long value) {
        Map<String, String> labels = new LinkedHashMap<>(4);
        labels.put("sink", sink);
        labels.put("outcome", outcome);
        return MetricFamily.Sample.of(labels, value);
    }

    private static MetricFamily bySeverity(String name, String help, Map<Severity, Integer> counts) {
        List<MetricFamily.Sample> samples = new ArrayList<>(counts.size());
        counts.forEach((severity, count) -> samples.add(MetricFamily.Sample.of(Map.of("severity", severity.name()), count)));
        return new MetricFamily(name, Type.GAUGE, help, samples);
    }
}
