package nexus.platform.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import nexus.core.MetricFamily;
import nexus.core.MetricFamily.Type;
import nexus.core.MetricsSource;

/**
 * The process's figures in {@code /metrics}: heap, threads, uptime and garbage collection, read
 * from the JVM's management beans on every scrape.
 */
@Component(service = MetricsSource.class)
public final class JvmMetrics implements MetricsSource {

    @Override
    public List<MetricFamily> metrics() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long collections = 0;
        long collectionMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, gc.getCollectionCount()); // -1: not known for this collector
            collectionMillis += Math.max(0, gc.getCollectionTime());
        }
        return List.of(
                MetricFamily.single("jvm_memory_heap_used_bytes", Type.GAUGE, "JVM heap in use.", heap.getUsed()),
                MetricFamily.single("jvm_memory_heap_max_bytes", Type.GAUGE, "JVM heap limit.", heap.getMax()),
                MetricFamily.single("jvm_threads_live_threads", Type.GAUGE, "Live JVM threads.",
                        ManagementFactory.getThreadMXBean().getThreadCount()),
                MetricFamily.single("process_uptime_seconds", Type.GAUGE, "Seconds since the JVM started.",
                        ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0),
                MetricFamily.single("jvm_gc_collections_total", Type.COUNTER, "Garbage collections since the JVM started.",
                        collections),
                MetricFamily.single("jvm_gc_collection_seconds_total", Type.COUNTER, "Time spent collecting garbage.",
                        collectionMillis / 1000.0));
    }
}
