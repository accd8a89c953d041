package nexus.api.http.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.alarm.AlarmService;
import nexus.alarm.AlarmSummary;
import nexus.core.MetricFamily;
import nexus.core.MetricsSource;
import nexus.registry.RegistryStatus;
import nexus.core.Severity;
import nexus.registry.TagRegistry;
import nexus.rma.Bank;
import nexus.rma.RmaBackend;

/**
 * {@code GET /metrics} in the Prometheus text format (version 0.0.4): the API's requests and
 * latencies, query rows, blocks and bytes, the registry's version and size, every RMA bank's write
 * sequence, the alarm KPIs, the families of every registered {@link MetricsSource}, and JVM basics.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("nexus-metrics")
@HttpWhiteboardServletPattern("/metrics")
@SuppressWarnings("serial") // a servlet here is never serialized
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final Metrics metrics;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend backend;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AlarmService alarms;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            fieldOption = FieldOption.REPLACE)
    private volatile List<MetricsSource> sources = List.of();

    @Activate
    public MetricsServlet(@Reference Metrics metrics) {
        this.metrics = metrics;
    }

    /** GET (and HEAD) only: no TRACE echo or OPTIONS page, every other method a 405 problem. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws jakarta.servlet.ServletException,
            IOException {
        if (!Http.getOnly(request, response)) {
            super.service(request, response);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        StringBuilder out = new StringBuilder(8192);
        metrics.render(out);
        TagRegistry tags = registry;
        if (tags != null) {
            RegistryStatus status = tags.status();
            Metrics.gauge(out, "nexus_registry_version", "The registry version served (0: none).", status.version());
            Metrics.gauge(out, "nexus_registry_tags", "Tags in the registry served.", status.tags());
            Metrics.gauge(out, "nexus_registry_alarms", "Alarm definitions in the registry served.", status.alarms());
        }
        RmaBackend memory = backend;
        if (memory != null) {
            Metrics.header(out, "nexus_rma_bank_writes_total", "counter", "Completed writes to each RMA bank (its sequence).");
            for (Bank bank : memory.banks()) {
                out.append("nexus_rma_bank_writes_total{bank=\"").append(Metrics.escape(bank.name())).append("\"} ")
                        .append(memory.sequence(bank.id())).append('\n');
            }
            Metrics.header(out, "nexus_rma_bank_size_bytes", "gauge", "Size of each RMA bank.");
            for (Bank bank : memory.banks()) {
                out.append("nexus_rma_bank_size_bytes{bank=\"").append(Metrics.escape(bank.name())).append("\"} ")
                        .append(bank.size()).append('\n');
            }
        }
        AlarmService alarmService = alarms;
        if (alarmService != null) {
            alarms(out, alarmService.summary());
        }
        for (MetricsSource source : sources) {
            List<MetricFamily> families;
            try {
                families = source.metrics();
            } catch (RuntimeException e) {
                continue; // a failing source is left out of this scrape
            }
            for (MetricFamily family : families) {
                family(out, family);
            }
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Metrics.gauge(out, "jvm_memory_heap_used_bytes", "JVM heap in use.", heap.getUsed());
        Metrics.gauge(out, "jvm_memory_heap_max_bytes", "JVM heap limit.", heap.getMax());
        Metrics.gauge(out, "jvm_threads_live_threads", "Live JVM threads.", ManagementFactory.getThreadMXBean().getThreadCount());
        Metrics.gauge(out, "process_uptime_seconds", "Seconds since the JVM started.",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        long collections = 0;
        long collectionMillis = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, gc.getCollectionCount());
            collectionMillis += Math.max(0, gc.getCollectionTime());
        }
        Metrics.counter(out, "jvm_gc_collections_total", "Garbage collections since the JVM started.", collections);
        Metrics.header(out, "jvm_gc_collection_seconds_total", "counter", "Time spent collecting garbage.");
        out.append("jvm_gc_collection_seconds_total ").append(Metrics.number(collectionMillis / 1000.0)).append('\n');
        byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("text/plain; version=0.0.4");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        metrics.request("/metrics", "GET", 200, System.nanoTime() - started);
    }

    /** The alarm KPIs (ISA-18.2 §16) and how the alarm manager keeps up. */
    static void alarms(StringBuilder out, AlarmSummary s) {
        bySeverity(out, "nexus_alarms_active", "Alarms in alarm and annunciated (UNACK_ALARM, ACKED_ALARM).", s.active());
        bySeverity(out, "nexus_alarms_unacknowledged", "Alarms waiting for an acknowledgement (UNACK_ALARM, RTN_UNACK).",
                s.unacknowledged());
        bySeverity(out, "nexus_alarms_shelved", "Shelved alarms.", s.shelved());
        Metrics.gauge(out, "nexus_alarms_suppressed", "Alarms suppressed by design.", s.suppressed());
        Metrics.gauge(out, "nexus_alarms_out_of_service", "Alarms out of service or disabled.", s.outOfService());
        Metrics.gauge(out, "nexus_alarm_activations_10m", "Alarm activations in the last 10 minutes.", s.activations10m());
        Metrics.gauge(out, "nexus_alarm_flood", "1 while activations in 10 minutes exceed the flood threshold.",
                s.flood() ? 1 : 0);
        Metrics.gauge(out, "nexus_alarms_chattering", "Alarms that activated repeatedly within the chattering window.",
                s.chatteringCount());
        Metrics.counter(out, "nexus_alarm_scans_total", "Alarm scans since start.", s.scan().scans());
        Metrics.counter(out, "nexus_alarm_scan_overruns_total", "Alarm scans that took longer than the scan interval.",
                s.scan().overruns());
        Metrics.gauge(out, "nexus_alarm_scan_last_seconds", "Duration of the last alarm scan.", s.scan().lastNanos() / 1e9);
        Metrics.gauge(out, "nexus_alarm_scan_max_seconds", "Longest alarm scan since start.", s.scan().maxNanos() / 1e9);
        Metrics.counter(out, "nexus_alarm_events_total", "Alarm events (transitions and operator actions) since start.",
                s.scan().events());
        if (!s.sinks().isEmpty()) {
            Metrics.header(out, "nexus_alarm_sink_events_total", "counter",
                    "Alarm events per sink: delivered, dropped (queue full) or failed (the sink threw).");
            for (AlarmSummary.SinkStats sink : s.sinks()) {
                String label = "{sink=\"" + Metrics.escape(sink.name()) + "\",outcome=\"";
                out.append("nexus_alarm_sink_events_total").append(label).append("delivered\"} ").append(sink.delivered()).append('\n');
                out.append("nexus_alarm_sink_events_total").append(label).append("dropped\"} ").append(sink.dropped()).append('\n');
                out.append("nexus_alarm_sink_events_total").append(label).append("failed\"} ").append(sink.failed()).append('\n');
            }
            Metrics.header(out, "nexus_alarm_sink_queue_events", "gauge", "Alarm events waiting in each sink's queue.");
            for (AlarmSummary.SinkStats sink : s.sinks()) {
                out.append("nexus_alarm_sink_queue_events{sink=\"").append(Metrics.escape(sink.name())).append("\"} ")
                        .append(sink.queued()).append('\n');
            }
        }
    }

    /** One family from a {@link MetricsSource}, in the text format. */
    static void family(StringBuilder out, MetricFamily family) {
        Metrics.header(out, family.name(), family.type().name().toLowerCase(java.util.Locale.ROOT), family.help());
        for (MetricFamily.Sample sample : family.samples()) {
            out.append(family.name()).append(sample.suffix());
            if (!sample.labels().isEmpty()) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, String> label : sample.labels().entrySet()) {
                    out.append(first ? "" : ",").append(label.getKey()).append("=\"").append(Metrics.escape(label.getValue()))
                            .append('"');
                    first = false;
                }
                out.append('}');
            }
            out.append(' ').append(Metrics.number(sample.value())).append('\n');
        }
    }

    private static void bySeverity(StringBuilder out, String name, String help, Map<Severity, Integer> counts) {
        Metrics.header(out, name, "gauge", help);
        counts.forEach((severity, count) -> out.append(name).append("{severity=\"").append(severity.name()).append("\"} ")
                .append(count).append('\n'));
    }
}
