package nexus.api.http.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.core.NexusException;
import nexus.stream.StreamService;

/**
 * {@code GET /api/v1/stream/sse?…}: one subscription as Server-Sent Events (docs/streams.md), for
 * browsers' {@code EventSource} and {@code curl}. The request passed {@link OriginFilter} and
 * {@link AccessFilter} (a Bearer header, or a single-use {@code ?ticket=} with
 * {@code Accept: text/event-stream}); {@link StreamGate} checks its identity, {@code read} and the
 * stream service; {@link SseSubscribe} turns the query string into the subscribe message, which the
 * opened session receives; {@link SseStream} writes the session's messages as events, asynchronously
 * and without a time limit (the stream lasts until the client leaves or the service closes it).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("nexus-stream-sse")
@HttpWhiteboardServletPattern(SseServlet.PATTERN)
@HttpWhiteboardServletAsyncSupported
@SuppressWarnings("serial") // a servlet here is never serialized
public final class SseServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Where the events are served: exactly this path, so that the ticket route stays the API's. */
    static final String PATTERN = AccessFilter.STREAMS + "/sse";

    private final transient Metrics metrics;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StreamService streams;

    @Activate
    public SseServlet(@Reference Metrics metrics) {
        this.metrics = metrics;
    }

    /** For tests: a servlet on a given stream service (null: none runs). */
    SseServlet(Metrics metrics, StreamService streams) {
        this(metrics);
        this.streams = streams;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        try {
            if (!request.getMethod().equals("GET")) {
                response.setHeader("Allow", "GET");
                Problems.write(response, Http.JSON, 405, "METHOD_NOT_ALLOWED", "Method not allowed", request.getMethod()
                        + " is not allowed on " + PATTERN + ": open the stream with GET");
                return;
            }
            Requester requester = StreamGate.admit(request, response, ApiRoutes.own(PATTERN));
            if (requester == null) {
                return;
            }
            String subscribe;
            try {
                subscribe = SseSubscribe.message(request.getParameterMap(), request.getHeader("Last-Event-ID"));
            } catch (NexusException e) {
                Problems.write(response, Http.JSON, e);
                return;
            }
            SseStream stream = new SseStream(requester, StreamGate.remote(request), response);
            if (!StreamGate.open(streams, stream, response)) {
                return;
            }
            try {
                AsyncContext async = request.startAsync();
                async.setTimeout(0);
                stream.start(async);
            } catch (IOException | RuntimeException e) {
                stream.ended(); // never a session without its connection
                throw e;
            }
            stream.received(subscribe);
        } finally {
            metrics.request(PATTERN, request.getMethod(), response.getStatus(), System.nanoTime() - started);
        }
    }
}
