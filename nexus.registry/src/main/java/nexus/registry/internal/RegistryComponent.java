package nexus.registry.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
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

import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.registry.Contribution;
import nexus.registry.Registry;
import nexus.registry.RegistryListener;
import nexus.registry.RegistryStatus;
import nexus.registry.TagRegistry;
import nexus.registry.ValidationReport;
import nexus.rma.RmaBackend;

/**
 * The registry service (PID {@code nexus.registry}): a thin shell around {@link RegistryService}
 * with a thread {@code nexus-registry-watch} that loads the file and checks it for replacement.
 * Reports {@code registry} health; tells {@link RegistryListener}s about every new version, including
 * those that contributions ({@link #contribute}) make.
 */
@Component(configurationPid = "nexus.registry", service = { TagRegistry.class, HealthIndicator.class }, immediate = true)
@Designate(ocd = RegistryConfig.class)
public final class RegistryComponent implements TagRegistry, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryComponent.class);

    private final RegistryService service;
    private final Thread watcher;
    private final long interval;
    private final java.io.File versions;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<RegistryListener> listeners;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend backend;

    @Activate
    public RegistryComponent(BundleContext context, RegistryConfig config) {
        Path file = Path.of(config.file().strip());
        if (!file.isAbsolute()) {
            String home = context.getProperty("nexus.home");
            file = Path.of(home == null ? "." : home).resolve(file);
        }
        Path copies = Path.of(config.copies().strip());
        if (!copies.isAbsolute()) {
            String home = context.getProperty("nexus.home");
            copies = Path.of(home == null ? "." : home).resolve(copies);
        }
        this.interval = Math.max(50, config.poll_interval());
        this.versions = context.getDataFile("served-version");
        this.service = new RegistryService(file, config.file().strip(), config.frozen(), config.connections(), config.connection_wait(),
                config.demo_tags(), new RegistryCopies(copies), versionsBefore(versions), this::served);
        this.watcher = new Thread(this::watch, "nexus-registry-watch");
        this.watcher.setDaemon(true);
        this.watcher.start();
    }

    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                service.poll();
            } catch (RuntimeException e) {
                LOG.error("Checking the registry failed; trying again in {} ms", interval, e);
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The highest version served earlier in this run, kept in the bundle's data area (which lives as
     * long as the framework's storage, wiped at every start): a configuration change re-creates this
     * component, and its versions must carry on rather than start at 1 again.
     */
    private static long versionsBefore(java.io.File kept) {
        if (kept == null || !kept.isFile()) {
            return 0;
        }
        try {
            return Long.parseLong(java.nio.file.Files.readString(kept.toPath()).strip());
        } catch (java.io.IOException | NumberFormatException e) {
            LOG.warn("Cannot read the last registry version served ({}); versions may start again at 1", e.getMessage());
            return 0;
        }
    }

    private void served(Registry registry) {
        if (versions != null) {
            try {
                java.nio.file.Files.writeString(versions.toPath(), Long.toString(registry.version()));
            } catch (java.io.IOException e) {
                LOG.warn("Cannot keep the registry version served ({}); a reconfigured registry may repeat it", e.getMessage());
            }
        }
        notifyListeners(registry);
    }

    private void notifyListeners(Registry registry) {
        List<RegistryListener> current = listeners;
        if (current == null) {
            return;
        }
        for (RegistryListener listener : current) {
            try {
                listener.registryChanged(registry);
            } catch (RuntimeException e) {
                LOG.warn("A registry listener failed on version {}", registry.version(), e);
            }
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        watcher.interrupt();
        watcher.join(10_000);
        service.close();
    }

    @Override
    public Registry current() {
        return service.current();
    }

    @Override
    public RegistryStatus status() {
        return service.status();
    }

    /**
     * Writes are refused while the last good copy is served unconfirmed, and while the RMA backend in
     * use does not have the banks the registry addresses ({@link BankFit}): a write by the registry's
     * address would land in another bank, or beyond one.
     */
    @Override
    public Optional<String> writesRefused() {
        Optional<String> refused = service.writesRefused();
        RmaBackend memory = backend;
        if (refused.isPresent() || memory == null) {
            return refused;
        }
        Registry current;
        try {
            current = service.current();
        } catch (nexus.core.NexusException e) {
            return Optional.empty(); // nothing served: every write fails on its own with the reason
        }
        Health fit = BankFit.check(current.version(), BankFit.fileBanks(current), memory.banks(), memory.name());
        return fit.status() == nexus.core.HealthStatus.DOWN ? Optional.of("RMA writes are refused: " + fit.detail())
                : Optional.empty();
    }

    @Override
    public String confirmFallback(String user) {
        return service.confirmFallback(user);
    }

    @Override
    public ValidationReport validate(Path registryFile) {
        return RegistryAdmin.validate(registryFile);
    }

    @Override
    public ValidationReport importList(Path list, Path target) {
        return RegistryAdmin.importList(list, target);
    }

    @Override
    public void exportList(Path registryFile, Path list) {
        RegistryAdmin.exportList(registryFile, list);
    }

    @Override
    public ValidationReport contribute(Contribution contribution) {
        return service.contribute(java.util.Objects.requireNonNull(contribution, "contribution"));
    }

    @Override
    public void withdraw(String owner) {
        service.withdraw(java.util.Objects.requireNonNull(owner, "owner"));
    }

    @Override
    public String name() {
        return "registry";
    }

    @Override
    public Health health() {
        return service.health();
    }
}
