package nexus.api.http.internal;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.stream.StreamService;
import nexus.stream.StreamSession;

/**
 * What both stream transports check before a stream opens, answered as problems while the response
 * is still plain HTTP: the request has an identity ({@link AccessFilter} put its {@link Requester}
 * in; a request without one never opens a stream as nobody: 401), the identity may {@code read}
 * (the permission of the stream routes in {@link ApiRoutes}: 403), and, once the request itself is
 * right, the stream service runs (503) and takes one more connection (503 with {@code Retry-After}
 * when it serves its maximum).
 */
final class StreamGate {

    /** Seconds a client refused for too many connections is asked to wait when the service names no time. */
    static final int RETRY_AFTER = 5;

    private StreamGate() {
    }

    /**
     * @param route the stream route the request came in on (its permission is checked)
     * @return who the request is, or null when it was refused here (the problem is written)
     */
    static Requester admit(HttpServletRequest request, HttpServletResponse response, ApiRoutes.Route route)
            throws IOException {
        Requester requester = Requester.of(request);
        if (requester == null) {
            Problems.write(response, Http.JSON, new NexusException(ErrorCode.UNAUTHENTICATED, "the request was not"
                    + " authenticated: send Authorization: Bearer <token>, or ?ticket= from POST /api/v1/stream/tickets"));
            return null;
        }
        Optional<NexusException> refusal = route.refuse(requester.access());
        if (refusal.isPresent()) {
            Problems.write(response, Http.JSON, refusal.get());
            return null;
        }
        return requester;
    }

    /**
     * Opens the stream service's session for a connection and attaches it.
     *
     * @param service the stream service, or null when none runs (503)
     * @return whether it opened; when not, the refusal is written as a problem (503 with
     *         {@code Retry-After} when the service serves its maximum of connections)
     */
    static boolean open(StreamService service, StreamConnection connection, HttpServletResponse response)
            throws IOException {
        if (service == null) {
            Problems.write(response, Http.JSON, ErrorCode.BACKEND_UNAVAILABLE, "the stream service is not running:"
                    + " streams open again once the nexus.stream bundle runs");
            return false;
        }
        StreamSession session;
        try {
            session = service.open(connection);
        } catch (NexusException e) {
            if (e.code() != ErrorCode.OVERLOADED) {
                Problems.write(response, Http.JSON, e);
                return false;
            }
            long seconds = e.retryAfter().map(Problems::retryAfterSeconds).orElse((long) RETRY_AFTER);
            response.setHeader("Retry-After", String.valueOf(seconds));
            // 503, not the 429 of an overloaded query: the node is full, the client did nothing wrong.
            Problems.write(response, Http.JSON, 503, ErrorCode.OVERLOADED.name(), "Too many streams", e.getMessage());
            return false;
        }
        connection.attach(session);
        return true;
    }

    /** @return where the request comes from, {@code address:port} ({@code [v6]:port} for IPv6) */
    static String remote(HttpServletRequest request) {
        String address = request.getRemoteAddr();
        String host = address != null && address.indexOf(':') >= 0 && !address.startsWith("[") ? "[" + address + "]" : address;
        return host + ":" + request.getRemotePort();
    }
}
