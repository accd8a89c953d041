package nexus.api.http.internal;

import java.io.IOException;
import java.time.Duration;

import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.core.ErrorCode;
import nexus.stream.StreamService;

/**
 * {@code GET /api/v1/stream}: the WebSocket transport of docs/streams.md. The upgrade request passed
 * {@link OriginFilter} (Host and Origin) and {@link AccessFilter} (a Bearer header or a single-use
 * {@code ?ticket=}) like any other request; {@link StreamGate} checks its identity and its {@code read}
 * permission; a plain GET without {@code Upgrade: websocket} is then answered 426 saying what to use
 * instead. For an upgrade, {@link StreamGate} opens the stream's session while the answer can still be
 * a problem (no stream service, too many streams); then Jetty upgrades the connection and hands it to
 * that {@link StreamSocket}.
 *
 * <p>Jetty closes a text message above {@value #MAX_MESSAGE} bytes with 1009 and a connection idle
 * for {@link #IDLE} (the service sends a heartbeat every 15 s by default). Jetty counts the node's
 * writes as activity, so a client that never reads nor sends would stay until its kernel buffer is
 * full: {@link StreamPings} pings every socket every {@link #PING_EVERY} and drops one whose client
 * sent no frame at all (a pong answers a ping by itself) for {@link #SILENT} with 4008, from the
 * servlet's {@link #init} to its {@link #destroy}. Needs Felix HTTP's WebSocket support
 * ({@code org.apache.felix.jetty.websocket.enable=true}); without Jetty the component does not start.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("nexus-stream")
@HttpWhiteboardServletPattern(AccessFilter.STREAMS)
@HttpWhiteboardServletAsyncSupported
@SuppressWarnings("serial") // a servlet here is never serialized
public final class StreamServlet extends JettyWebSocketServlet {
    private static final long serialVersionUID = 1L;

    /** The largest text message a client may send, UTF-8 bytes: the stream contract's (Jetty closes with 1009). */
    static final int MAX_MESSAGE = nexus.stream.StreamSession.MESSAGE_BYTES_MAX;

    /** How long a connection may send and take nothing before Jetty closes it. */
    static final Duration IDLE = Duration.ofSeconds(60);

    /** How often each socket is pinged. */
    static final Duration PING_EVERY = Duration.ofSeconds(15);

    /** How long a client may send no frame (no pong, no message) before it is dropped with 4008: three pings. */
    static final Duration SILENT = Duration.ofSeconds(45);

    /** The request attribute that carries the opened connection from {@link #service} to the creator. */
    private static final String CONNECTION = "nexus.api.http.stream.connection";

    private final transient Metrics metrics;
    private final transient StreamPings pings;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StreamService streams;

    @Activate
    public StreamServlet(@Reference Metrics metrics) {
        this(metrics, PING_EVERY, SILENT);
    }

    private StreamServlet(Metrics metrics, Duration pingEvery, Duration silent) {
        this.metrics = metrics;
        this.pings = new StreamPings(pingEvery, silent);
    }

    /** For tests: a servlet on a given stream service (null: none runs), pinging as given. */
    StreamServlet(Metrics metrics, StreamService streams, Duration pingEvery, Duration silent) {
        this(metrics, pingEvery, silent);
        this.streams = streams;
    }

    /** For tests: a servlet on a given stream service (null: none runs). */
    StreamServlet(Metrics metrics, StreamService streams) {
        this(metrics, streams, PING_EVERY, SILENT);
    }

    @Override
    public void init() throws ServletException {
        super.init();
        pings.start();
    }

    @Override
    public void destroy() {
        pings.stop();
        super.destroy();
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(IDLE);
        factory.setMaxTextMessageSize(MAX_MESSAGE);
        factory.setMaxBinaryMessageSize(MAX_MESSAGE); // refused by the socket with 1003 in any case
        factory.setCreator((request, response) -> {
            if (request.getHttpServletRequest().getAttribute(CONNECTION) instanceof StreamSocket socket) {
                return socket;
            }
            // Only an upgrade that did not come through service() (none does): never a stream as nobody.
            response.sendError(401, "no identity on the upgrade request");
            return null;
        });
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        long started = System.nanoTime();
        try {
            Requester requester = StreamGate.admit(request, response, ApiRoutes.own(AccessFilter.STREAMS));
            if (requester == null) {
                return;
            }
            String upgrade = request.getHeader("Upgrade");
            if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
                notUpgraded(request, response);
                return;
            }
            StreamSocket socket = new StreamSocket(requester, StreamGate.remote(request), pings);
            if (!StreamGate.open(streams, socket, response)) {
                return;
            }
            request.setAttribute(CONNECTION, socket);
            try {
                super.service(request, response);
            } finally {
                if (response.getStatus() != HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
                    socket.ended(); // the upgrade was refused (a malformed handshake): the session ends unused
                }
            }
        } finally {
            metrics.request(AccessFilter.STREAMS, request.getMethod(), response.getStatus(), System.nanoTime() - started);
        }
    }

    /**
     * An upgrade Jetty did not take (a handshake without {@code Sec-WebSocket-Key}, another version than
     * 13): Jetty hands it on as a plain request.
     */
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Problems.write(response, Http.JSON, ErrorCode.INVALID_ARGUMENT, "the WebSocket handshake is incomplete: send"
                + " Sec-WebSocket-Key and Sec-WebSocket-Version: 13 with Upgrade: websocket (RFC 6455), as WebSocket"
                + " clients do");
    }

    /** A request without {@code Upgrade: websocket}: 426 for GET, 405 for any other method. */
    private static void notUpgraded(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (Http.getOnly(request, response)) {
            return;
        }
        response.setHeader("Upgrade", "websocket");
        response.setHeader("Connection", "Upgrade");
        Problems.write(response, Http.JSON, 426, "UPGRADE_REQUIRED", "Upgrade required", request.getRequestURI()
                + " is a WebSocket (Upgrade: websocket): connect with a WebSocket client, or follow one subscription"
                + " as Server-Sent Events at " + SseServlet.PATTERN + " (docs/streams.md)");
    }
}
