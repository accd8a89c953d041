package nexus.registry.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.NexusException;
import nexus.registry.Registry;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;

/**
 * Reports {@code banks} health: whether the RMA backend in use has every bank the served registry
 * addresses ({@link BankFit}). DOWN names each bank that does not fit and the layout that would.
 */
@Component(service = HealthIndicator.class)
public final class BankFitComponent implements HealthIndicator {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend backend;

    @Override
    public String name() {
        return "banks";
    }

    @Override
    public Health health() {
        TagRegistry tags = registry;
        RmaBackend memory = backend;
        if (tags == null || memory == null) {
            return Health.down(tags == null ? "no registry service: see the registry component"
                    : "no RMA backend: see the rma component");
        }
        Registry current;
        try {
            current = tags.current();
        } catch (NexusException e) {
            return Health.down("no registry version is served: see the registry component");
        }
        return BankFit.check(current.version(), BankFit.fileBanks(current), memory.banks(), memory.name());
    }
}
