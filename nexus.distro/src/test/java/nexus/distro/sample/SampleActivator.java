package nexus.distro.sample;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import nexus.core.Health;
import nexus.core.HealthIndicator;

/**
 * An integrator's bundle in miniature: the integration tests pack this class into a jar of its own,
 * drop it into {@code deploy/} and expect its service to appear in {@code GET /health}. (A test
 * bundle may use an activator; product code uses Declarative Services.)
 */
public final class SampleActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        context.registerService(HealthIndicator.class,
                HealthIndicator.of("sample", false, () -> Health.up("deployed by an integrator")), null);
    }

    @Override
    public void stop(BundleContext context) {
        // The framework unregisters the service.
    }
}
