package nexus.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.core.MetricFamily;
import nexus.core.MetricFamily.Type;

class JvmMetricsTest {

    @Test
    void reportsHeapThreadsUptimeAndCollections() {
        List<MetricFamily> families = new JvmMetrics().metrics();

        assertThat(families).extracting(MetricFamily::name, MetricFamily::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("jvm_memory_heap_used_bytes", Type.GAUGE),
                org.assertj.core.groups.Tuple.tuple("jvm_memory_heap_max_bytes", Type.GAUGE),
                org.assertj.core.groups.Tuple.tuple("jvm_threads_live_threads", Type.GAUGE),
                org.assertj.core.groups.Tuple.tuple("process_uptime_seconds", Type.GAUGE),
                org.assertj.core.groups.Tuple.tuple("jvm_gc_collections_total", Type.COUNTER),
                org.assertj.core.groups.Tuple.tuple("jvm_gc_collection_seconds_total", Type.COUNTER));
        assertThat(families).allSatisfy(f -> assertThat(f.samples()).singleElement()
                .satisfies(s -> assertThat(s.labels()).isEmpty()));
        assertThat(families.get(0).samples().get(0).value()).isPositive();
        assertThat(families.get(2).samples().get(0).value()).isGreaterThanOrEqualTo(1);
        assertThat(families.get(4).samples().get(0).value()).isNotNegative();
    }
}
