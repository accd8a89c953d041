package nexus.platform.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import nexus.core.Health;
import nexus.core.HealthIndicator;

/**
 * Reports {@code framework}: DOWN while starting up, while any platform bundle is not active, and
 * while any component of a platform bundle failed to activate (DS keeps it absent, so nothing else
 * would say so).
 */
@Component(service = HealthIndicator.class)
public final class FrameworkHealthIndicator implements HealthIndicator {

    private final FrameworkBundles bundles;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServiceComponentRuntime components;

    @Activate
    public FrameworkHealthIndicator(BundleContext context) {
        this.bundles = new FrameworkBundles(context);
    }

    @Override
    public String name() {
        return "framework";
    }

    @Override
    public Health health() {
        List<BundleSnapshot> snapshot = bundles.snapshot();
        Health health = BundleHealth.platform(snapshot, bundles.startLevel(), bundles.targetStartLevel());
        if (health.status() != nexus.core.HealthStatus.UP) {
            return health;
        }
        Set<Long> platform = snapshot.stream().filter(b -> !b.deployed()).map(BundleSnapshot::id).collect(Collectors.toSet());
        List<String> failed = ComponentFailures.describe(failures(platform));
        if (failed.isEmpty()) {
            return health;
        }
        return Health.down(failed.size() + (failed.size() == 1 ? " component" : " components")
                + " could not start: " + String.join("; ", failed));
    }

    private List<ComponentFailures.Failure> failures(Set<Long> platform) {
        ServiceComponentRuntime runtime = components;
        List<ComponentFailures.Failure> failures = new ArrayList<>();
        if (runtime == null) {
            return failures;
        }
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            if (description.bundle == null || !platform.contains(description.bundle.id)) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    failures.add(new ComponentFailures.Failure(description.name,
                            description.configurationPid == null ? List.of() : Arrays.asList(description.configurationPid),
                            configuration.failure));
                }
            }
        }
        return failures;
    }
}
