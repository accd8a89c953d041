package nexus.api.http.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
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
import nexus.registry.RegistryStatus;
import nexus.registry.TagRegistry;
import nexus.rma.Bank;
import nexus.rma.RmaBackend;

/**
 * {@code GET /metrics} in the Prometheus text format (version 0.0.4): the API's requests and
 * latencies, query rows, blocks and bytes, the registry's version and size, every RMA bank's write
 * sequence, and JVM basics.
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

    @Activate
    public MetricsServlet(@Reference Metrics metrics) {
        this.metrics = metrics;
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
}
