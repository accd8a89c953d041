package nexus.registry.internal;

import java.nio.file.Path;
import java.util.List;

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
import nexus.registry.Registry;
import nexus.registry.RegistryListener;
import nexus.registry.RegistryStatus;
import nexus.registry.TagRegistry;
import nexus.registry.ValidationReport;

/**
 * The registry service (PID {@code nexus.registry}): a thin shell around {@link RegistryService}
 * with a thread {@code nexus-registry-watch} that loads the file and checks it for replacement.
 * Reports {@code registry} health; tells {@link RegistryListener}s about every new version.
 */
@Component(configurationPid = "nexus.registry", service = { TagRegistry.class, HealthIndicator.class }, immediate = true)
@Designate(ocd = RegistryConfig.class)
public final class RegistryComponent implements TagRegistry, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryComponent.class);

    private final RegistryService service;
    private final Thread watcher;
    private final long interval;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<RegistryListener> listeners;

    @Activate
    public RegistryComponent(BundleContext context, RegistryConfig config) {
        Path file = Path.of(config.file().strip());
        if (!file.isAbsolute()) {
            String home = context.getProperty("nexus.home");
            file = Path.of(home == null ? "." : home).resolve(file);
        }
        this.interval = Math.max(50, config.poll_interval());
        this.service = new RegistryService(file, config.frozen(), config.connections(), config.connection_wait(),
                config.demo_tags(), this::notifyListeners);
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
    public String name() {
        return "registry";
    }

    @Override
    public Health health() {
        return service.health();
    }
}
