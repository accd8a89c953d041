package nexus.registry.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import nexus.core.MetricFamily;
import nexus.core.MetricsSource;
import nexus.registry.RegistryStatus;
import nexus.registry.TagRegistry;

/**
 * The registry's figures in {@code /metrics}: the version served, its tags and alarm definitions.
 * Present while a {@link TagRegistry} is.
 */
@Component(service = MetricsSource.class)
public final class RegistryMetrics implements MetricsSource {

    private final TagRegistry registry;

    @Activate
    public RegistryMetrics(@Reference TagRegistry registry) {
        this.registry = registry;
    }

    @Override
    public List<MetricFamily> metrics() {
        return families(registry.status());
    }

    static List<MetricFamily> families(RegistryStatus status) {
        return List.of(
                MetricFamily.single("nexus_registry_version", MetricFamily.Type.GAUGE, "The registry version served (0: none).",
                        status.version()),
                MetricFamily.single("nexus_registry_tags", MetricFamily.Type.GAUGE, "Tags in the registry served.", status.tags()),
                MetricFamily.single("nexus_registry_alarms", MetricFamily.Type.GAUGE, "Alarm definitions in the registry served.",
                        status.alarms()));
    }
}
