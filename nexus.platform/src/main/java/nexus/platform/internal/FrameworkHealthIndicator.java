package nexus.platform.internal;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import nexus.core.Health;
import nexus.core.HealthIndicator;

/** Reports {@code framework}: DOWN while starting up or while any platform bundle is not active. */
@Component(service = HealthIndicator.class)
public final class FrameworkHealthIndicator implements HealthIndicator {

    private final FrameworkBundles bundles;

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
        return BundleHealth.platform(bundles.snapshot(), bundles.startLevel(), bundles.targetStartLevel());
    }
}
