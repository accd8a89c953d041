package nexus.platform.internal;

import java.lang.management.ManagementFactory;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs when RMA Nexus has started (with the time it took) and when it stops. */
@Component(service = {})
public final class Lifecycle implements FrameworkListener {

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final BundleContext context;

    @Activate
    public Lifecycle(BundleContext context) {
        this.context = context;
        context.addFrameworkListener(this);
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            LOG.info("RMA Nexus {} started in {} ms: home {}, HTTP on {}:{}",
                    context.getBundle().getVersion(),
                    ManagementFactory.getRuntimeMXBean().getUptime(),
                    context.getProperty("nexus.home"),
                    context.getProperty("org.apache.felix.http.host"),
                    context.getProperty("org.osgi.service.http.port"));
        }
    }

    @Deactivate
    void deactivate() {
        context.removeFrameworkListener(this);
        LOG.info("RMA Nexus is stopping");
    }
}
