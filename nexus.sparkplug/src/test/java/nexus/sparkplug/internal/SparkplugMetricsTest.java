package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import nexus.core.MetricFamily;
import nexus.sparkplug.SparkplugStatus;

class SparkplugMetricsTest {

    private static Map<String, MetricFamily> byName(List<MetricFamily> families) {
        return families.stream().collect(Collectors.toMap(MetricFamily::name, f -> f));
    }

    @Test
    void aHostShowsTheLastLagAsAGaugeAndEveryLagAsAHistogram() {
        Counters counters = new Counters();
        counters.mirrorLag.record(42);
        Map<String, MetricFamily> families = byName(SparkplugMetrics.of(counters.snapshot(), true, 1,
                new SparkplugStatus.Host("scada", true, List.of()), 42, counters.mirrorLag));

        assertThat(families.get("nexus_sparkplug_mirror_lag_last_seconds").type()).isEqualTo(MetricFamily.Type.GAUGE);
        assertThat(families.get("nexus_sparkplug_mirror_lag_last_seconds").samples().get(0).value()).isEqualTo(0.042);
        MetricFamily histogram = families.get("nexus_sparkplug_mirror_lag_seconds");
        assertThat(histogram.type()).isEqualTo(MetricFamily.Type.HISTOGRAM);
        assertThat(histogram.samples()).filteredOn(s -> s.suffix().equals("_count")).singleElement()
                .extracting(MetricFamily.Sample::value).isEqualTo(1.0);
    }

    @Test
    void beforeTheFirstDataTheLastLagIsMinusOne() {
        Map<String, MetricFamily> families = byName(SparkplugMetrics.of(new Counters().snapshot(), true, 1,
                new SparkplugStatus.Host("scada", true, List.of()), -1, new LagHistogram()));

        assertThat(families.get("nexus_sparkplug_mirror_lag_last_seconds").samples().get(0).value()).isEqualTo(-1.0);
    }

    @Test
    void anEdgeOnlyNodeHasNoLagFamilies() {
        assertThat(byName(SparkplugMetrics.of(new Counters().snapshot(), true, 1))).doesNotContainKeys(
                "nexus_sparkplug_mirror_lag_seconds", "nexus_sparkplug_mirror_lag_last_seconds");
    }
}
