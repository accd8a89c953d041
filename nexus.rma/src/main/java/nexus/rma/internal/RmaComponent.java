package nexus.rma.internal;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.ErrorCode;
import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.NexusException;
import nexus.rma.Bank;
import nexus.rma.RmaBackend;

/**
 * Registers the configured backend (PID {@code nexus.rma}) as an {@link RmaBackend} service with
 * ranking 0, and reports {@code rma} health for whichever backend is in use: an integrator's
 * backend with a higher ranking takes over, and the configured one returns when it leaves. A new
 * configuration re-creates this component, which swaps the backend.
 */
@Component(configurationPid = "nexus.rma", service = HealthIndicator.class, immediate = true)
@Designate(ocd = RmaConfig.class)
public final class RmaComponent implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(RmaComponent.class);

    private final ServiceRegistration<RmaBackend> registration;
    private final RmaBackend configured;
    private final String problem;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend active;

    @Activate
    public RmaComponent(BundleContext context, RmaConfig config) {
        RmaBackend backend = null;
        String failure = null;
        try {
            backend = create(config, context.getProperty("nexus.home"));
        } catch (NexusException e) {
            failure = e.getMessage();
            LOG.error("No RMA backend: {}. Fix etc/nexus.rma.cfg; the rest of RMA Nexus keeps running.", failure);
        }
        this.configured = backend;
        this.problem = failure;
        if (backend == null) {
            this.registration = null;
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(RmaBackend.BACKEND_PROPERTY, backend.name());
        properties.put(Constants.SERVICE_RANKING, 0);
        this.registration = context.registerService(RmaBackend.class, backend, properties);
        LOG.info("RMA backend {} ready: {}", backend.name(), BankLayout.format(backend.banks()));
    }

    static RmaBackend create(RmaConfig config, String home) {
        List<Bank> banks = BankLayout.parse(config.banks());
        return switch (config.backend().strip()) {
            case HeapRmaBackend.NAME -> new HeapRmaBackend(banks);
            case MappedRmaBackend.NAME -> {
                Path file = Path.of(config.mmap_file().strip());
                if (!file.isAbsolute()) {
                    file = Path.of(home == null ? "." : home).resolve(file);
                }
                yield MappedRmaBackend.open(file, banks);
            }
            default -> throw new NexusException(ErrorCode.INVALID_ARGUMENT, "backend '" + config.backend()
                    + "' is unknown: use heap or mmap");
        };
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
        if (configured instanceof BankedBackend banked) {
            banked.close();
        }
    }

    @Override
    public String name() {
        return "rma";
    }

    @Override
    public Health health() {
        RmaBackend backend = active;
        if (backend == null) {
            return Health.down(problem != null ? problem : "no RMA backend is registered");
        }
        long bytes = backend.banks().stream().mapToLong(Bank::size).sum();
        String detail = "backend " + backend.name() + ": " + backend.banks().size() + " banks, " + bytes + " bytes";
        if (backend != configured && configured != null) {
            detail += " (outranks the configured " + configured.name() + " backend)";
        } else if (backend != configured && problem != null) {
            detail += " (the configured backend failed: " + problem + ")";
        }
        return Health.up(detail);
    }
}
