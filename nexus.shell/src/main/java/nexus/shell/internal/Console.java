package nexus.shell.internal;

import java.util.Set;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.Access;
import nexus.core.Caller;

/**
 * Starts the operator console on standard input when the framework property {@code nexus.console}
 * is {@code true} (./nexus sets it when started from a terminal). Without a terminal nothing reads
 * standard input, so no thread waits on it and no CPU is spent.
 */
@Component(service = {})
public final class Console {

    /** The framework property that turns the console on: {@code true} or {@code false} (the default). */
    static final String PROPERTY = "nexus.console";

    private static final Logger LOG = LoggerFactory.getLogger(Console.class);

    /**
     * @return who the console acts as: the OS user who started the node, as {@code admin} (whoever
     *         holds the node's terminal holds the node)
     */
    static Caller operator() {
        return Caller.of(System.getProperty("user.name", "console"), Set.of(Access.ADMIN), "shell");
    }

    private final ConsoleLoop loop;

    @Activate
    public Console(BundleContext context, @Reference CommandProcessor processor) {
        if (!Boolean.parseBoolean(context.getProperty(PROPERTY))) {
            this.loop = null;
            return;
        }
        this.loop = new ConsoleLoop(processor, System.in, System.out, () -> stopFramework(context));
        // Daemon: a read blocked on standard input cannot be interrupted and must not hold the JVM.
        Thread thread = new Thread(loop, "nexus-shell-console");
        thread.setDaemon(true);
        thread.start();
    }

    @Deactivate
    void deactivate() {
        if (loop != null) {
            loop.close();
        }
    }

    private static void stopFramework(BundleContext context) {
        try {
            context.getBundle(Constants.SYSTEM_BUNDLE_ID).stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.error("Cannot stop RMA Nexus from the console: {}", e.getMessage(), e);
        }
    }
}
