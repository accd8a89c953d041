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

    private final ServiceRegistration<Servlet> registration;

    @Activate
    public ConsoleComponent(BundleContext context) throws IOException {
        var bundle = context.getBundle();
        Assets assets = Assets.read(Assets.entries(bundle, "console"), file -> bundle.getEntry("console/" + file).openStream());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", new String[] {"", "/console", "/console/*"});
        props.put("osgi.http.whiteboard.servlet.name", "nexus-console");
        registration = context.registerService(Servlet.class, new ConsoleServlet(assets), props);
        LOG.info("Web console at / ({} files)", assets.size());
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
