package nexus.platform.internal;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's lifecycle: logs when RMA Nexus has started (and how long that took) and when it
 * stops, and stops the framework cleanly when the JVM is asked to exit (SIGTERM, Ctrl-C): the
 * launcher itself has no such hook, so without this every bundle would be cut off mid-work.
 */
@Component(service = {})
public final class Lifecycle implements FrameworkListener {

    /** How long the shutdown hook waits for the framework to stop, in milliseconds. */
    static final long STOP_TIMEOUT_MS = 30_000;

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final BundleContext context;
    private final Thread shutdownHook;
    private final FrameworkBundles bundles;
    private final AtomicBoolean reported = new AtomicBoolean();

    @Activate
    public Lifecycle(BundleContext context) {
        this.context = context;
        this.shutdownHook = new Thread(this::stopFramework, "nexus-platform-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        this.bundles = new FrameworkBundles(context);
        // Reports the start when the framework reaches its start level (the launcher raises it
        // after installing the bundles); a restart of this bundle alone sees no such event.
        context.addFrameworkListener(this);
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        boolean up = event.getType() == FrameworkEvent.STARTED || event.getType() == FrameworkEvent.STARTLEVEL_CHANGED;
        if (up && bundles.startLevel() >= bundles.targetStartLevel() && !reported.getAndSet(true)) {
            started();
        }
    }

    private void started() {
        LOG.info("RMA Nexus {} started in {} ms: home {}, HTTP on {}:{}",
                context.getBundle().getVersion(),
                ManagementFactory.getRuntimeMXBean().getUptime(),
                context.getProperty("nexus.home"),
                context.getProperty("org.apache.felix.http.host"),
                context.getProperty("org.osgi.service.http.port"));
    }

    @Deactivate
    void deactivate() {
        context.removeFrameworkListener(this);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already exiting: this very hook is what is stopping us.
        }
        if (systemBundle().getState() == Bundle.STOPPING) {
            LOG.info("RMA Nexus is stopping");
        } else {
            LOG.info("nexus.platform is stopping on its own; the framework keeps running");
        }
    }

    private void stopFramework() {
        Bundle system = systemBundle();
        try {
            system.stop();
            if (system instanceof Framework framework) {
                FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT_MS);
                if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                    System.err.println("RMA Nexus did not stop within " + STOP_TIMEOUT_MS + " ms; exiting anyway");
                }
            }
        } catch (BundleException | IllegalStateException e) {
            System.err.println("RMA Nexus could not stop cleanly: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Bundle systemBundle() {
        return context.getBundle(Constants.SYSTEM_BUNDLE_ID);
    }
}
