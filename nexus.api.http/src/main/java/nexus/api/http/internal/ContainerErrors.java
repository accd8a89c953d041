package nexus.api.http.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Errors outside the API's own code, for every servlet of the node (the outermost filter):
 * <ul>
 * <li>a client that hangs up before its answer is complete (a reset connection, a broken pipe,
 * Jetty's end-of-file) is one DEBUG line, not an ERROR with a stack trace: nothing is wrong with
 * the node;</li>
 * <li>on the first request through a Jetty server, Jetty's own error handler is replaced by
 * {@link JettyProblems}, so that requests Jetty refuses before any servlet runs are answered as
 * problems. Until a first request has passed, such a refusal is still Jetty's HTML page. Without
 * Jetty 12 (another HTTP whiteboard implementation) the Jetty packages, imported optionally, are
 * missing and this component does not start; the rest of the bundle serves as usual.</li>
 * </ul>
 */
@Component(service = Filter.class, property = "service.ranking:Integer=100")
@HttpWhiteboardFilterName("nexus-container-errors")
@HttpWhiteboardFilterAsyncSupported // the event stream servlet answers asynchronously
@HttpWhiteboardFilterPattern("/*")
public final class ContainerErrors implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerErrors.class);

    /** The servers whose error handler this component replaced, with the handler to put back. */
    private final Map<Server, Request.Handler> replaced = new ConcurrentHashMap<>();
    private volatile boolean withoutJetty;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!withoutJetty) {
            install(request);
        }
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!hungUp(e)) {
                throw e;
            }
            HttpServletRequest http = (HttpServletRequest) request;
            LOG.debug("{} {}: the client hung up before the answer was complete ({})", http.getMethod(), http.getRequestURI(),
                    e.getMessage());
            incomplete(response);
        }
    }

    /** Nothing was answered yet: say so, rather than let the container send an empty 200. */
    private static void incomplete(ServletResponse response) {
        if (response.isCommitted()) {
            return;
        }
        try {
            response.reset();
            Problems.write((HttpServletResponse) response, Http.JSON, 400, "INVALID_ARGUMENT", "Bad request",
                    "the request ended before it was complete");
        } catch (IOException | RuntimeException e) {
            LOG.debug("the answer to an incomplete request could not be sent either ({})", e.getMessage());
        }
    }

    /** @return whether the failure is the client going away: reset, broken pipe, end of stream */
    static boolean hungUp(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 10; t = t.getCause(), depth++) {
            if (t instanceof EOFException || t instanceof ClosedChannelException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && (message.contains("Broken pipe") || message.contains("Connection reset")
                    || message.contains("connection was aborted") || message.contains("Connection closed"))) {
                return true;
            }
        }
        return false;
    }

    private void install(ServletRequest request) {
        try {
            Server server = ServletContextRequest.getServletContextRequest(request).getConnectionMetaData().getConnector()
                    .getServer();
            if (!replaced.containsKey(server) && !(server.getErrorHandler() instanceof JettyProblems)) {
                synchronized (replaced) {
                    if (!replaced.containsKey(server)) {
                        replaced.put(server, server.getErrorHandler());
                        server.setErrorHandler(new JettyProblems());
                        LOG.debug("Jetty's error answers are problem documents from now on");
                    }
                }
            }
        } catch (NoClassDefFoundError | IllegalStateException e) {
            withoutJetty = true;
            LOG.info("The HTTP server is not Jetty 12 as expected: requests it refuses before any servlet runs are"
                    + " answered by its own error pages");
        }
    }

    @Deactivate
    void deactivate() {
        replaced.forEach((server, previous) -> {
            if (server.getErrorHandler() instanceof JettyProblems) {
                server.setErrorHandler(previous);
            }
        });
        replaced.clear();
    }
}
