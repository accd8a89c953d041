package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import nexus.core.MetricFamily;
import nexus.registry.RegistryStatus;

class RegistryMetricsTest {

    @Test
    void reportsTheVersionServedAndItsSizeAsGauges() {
        assertThat(RegistryMetrics.families(new RegistryStatus("registry.db", false, 7, 10_002, 12, null, null)))
                .containsExactly(
                        MetricFamily.single("nexus_registry_version", MetricFamily.Type.GAUGE,
                                "The registry version served (0: none).", 7),
                        MetricFamily.single("nexus_registry_tags", MetricFamily.Type.GAUGE, "Tags in the registry served.", 10_002),
                        MetricFamily.single("nexus_registry_alarms", MetricFamily.Type.GAUGE,
                                "Alarm definitions in the registry served.", 12));
    }
}
