package nexus.web.internal;

import java.io.IOException;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Servlet;

/**
 * The operator console: reads the bundle's {@code /console} folder once and registers the
 * {@link ConsoleServlet} on the node's default context at {@code ""} (the root, exactly), {@code /console}
 * and {@code /console/*}, so the API's Host/Origin filter runs before it. The console's files are
 * public (nexus.api.http's access filter lets GET and HEAD of them through without credentials):
 * they hold no data; everything the page shows comes from the API, as the logged-in user.
 */
@Component(service = {})
public final class ConsoleComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleComponent.class);

    /**
     * A framework or system property naming a folder to serve the console from instead of the
     * bundle, re-read on every request: for developing the console ({@code JAVA_OPTS=-Dnexus.web.dev.dir=
     * nexus.web/src/main/resources/console ./nexus}, then reload the page). docs/console.md.
     */
    static final String DEV_DIR = "nexus.web.dev.dir";

    private final ServiceRegistration<Servlet> registration;

    @Activate
    public ConsoleComponent(BundleContext context) throws IOException {
        var bundle = context.getBundle();
        String dev = context.getProperty(DEV_DIR);
        java.util.function.Supplier<Assets> assets;
        int files;
        if (dev != null && !dev.isBlank()) {
            java.nio.file.Path dir = java.nio.file.Path.of(dev);
            assets = () -> Assets.folder(dir);
            files = assets.get().size();
            LOG.warn("Web console served from the folder {} ({}), re-read on every request: a development aid, not for a plant",
                    dir, DEV_DIR);
        } else {
            Assets packaged = Assets.read(Assets.entries(bundle, "console"), file -> bundle.getEntry("console/" + file).openStream());
            assets = () -> packaged;
            files = packaged.size();
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", new String[] {"", "/console", "/console/*"});
        props.put("osgi.http.whiteboard.servlet.name", "nexus-console");
        registration = context.registerService(Servlet.class, new ConsoleServlet(assets), props);
        LOG.info("Web console at / ({} files)", files);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            LOG.debug("the console servlet was unregistered already");
        }
    }
}
