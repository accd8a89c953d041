package nexus.web.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Servlet;

/**
 * The operator console: reads the bundle's {@code /console} folder once (or, with {@value #DEV_DIR},
 * a folder on disk on every request) and registers the
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
        Bundle bundle = context.getBundle();
        String dev = context.getProperty(DEV_DIR);
        Supplier<Assets> assets;
        int files;
        Path dir = dev == null || dev.isBlank() ? null : Path.of(dev);
        if (dir != null && !(Files.isRegularFile(dir.resolve("index.html")) && Files.isRegularFile(dir.resolve("js/main.js")))) {
            // the folder's files are served to everyone: refuse one that is not a console (a home folder's etc/ would leak)
            LOG.error("{} = {} is not a console folder (no index.html and js/main.js): the bundle's console is served instead",
                    DEV_DIR, dir);
            dir = null;
        }
        if (dir != null) {
            Path folder = dir;
            assets = () -> Assets.folder(folder);
            files = assets.get().size();
            LOG.warn("Web console served from the folder {} ({}), re-read on every request: a development aid, not for a plant",
                    folder, DEV_DIR);
        } else {
            Assets packaged = Assets.read(Assets.entries(bundle, "console"), file -> bundle.getEntry("console/" + file).openStream());
            assets = () -> packaged;
            files = packaged.size();
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, new String[] {"", "/console", "/console/*"});
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "nexus-console");
        // so that the access filter can refuse a request without waiting for a body that may not come
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED, Boolean.TRUE);
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
