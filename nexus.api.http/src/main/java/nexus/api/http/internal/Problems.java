package nexus.api.http.internal;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletResponse;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.json.Problem;

/**
 * RFC 9457 problem documents, the one place where error codes become HTTP statuses. Bodies carry
 * the stable {@code code} and a message for the caller, never a stack trace or class name.
 */
final class Problems {

    static final String CONTENT_TYPE = Problem.CONTENT_TYPE;

    private Problems() {
    }

    static int status(ErrorCode code) {
        return Problem.status(code);
    }

    static Map<String, Object> document(ErrorCode code, String detail) {
        return Problem.document(code, detail);
    }

    static void write(HttpServletResponse response, ObjectMapper json, ErrorCode code, String detail) throws IOException {
        write(response, json, status(code), code.name(), title(code), detail);
    }

    /**
     * The problem for an exception, with {@code Retry-After} (whole seconds, rounded up) when it says
     * when to retry, and the challenge on a 401 that has none yet.
     */
    static void write(HttpServletResponse response, ObjectMapper json, NexusException e) throws IOException {
        if (e.code() == ErrorCode.UNAUTHENTICATED && !response.containsHeader("WWW-Authenticate")) {
            response.setHeader("WWW-Authenticate", AccessFilter.CHALLENGE); // RFC 9110: every 401 carries one
        }
        e.retryAfter().ifPresent(after -> response.setHeader("Retry-After", String.valueOf(retryAfterSeconds(after))));
        write(response, json, e.code(), e.getMessage());
    }

    static long retryAfterSeconds(java.time.Duration after) {
        long seconds = after.getSeconds() + (after.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    /** A problem for a status with no error code of its own (405 from the router, container errors). */
    static void write(HttpServletResponse response, ObjectMapper json, int status, String code, String title, String detail)
            throws IOException {
        write(response, json, document(status, code, title, detail));
    }

    /** A problem document as it is, with members of its own (406's {@code formats}). */
    static void write(HttpServletResponse response, ObjectMapper json, Map<String, Object> document) throws IOException {
        response.setStatus((Integer) document.get("status"));
        response.setContentType(CONTENT_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        json.writeValue(response.getOutputStream(), document);
    }

    static Map<String, Object> document(int status, String code, String title, String detail) {
        return Problem.document(status, code, title, detail);
    }

    /**
     * The problem for an error the container raised before or around the API's own code: a
     * malformed request line, URI or header, an oversized URI or header block, an unsupported
     * HTTP version. The container's reason selects the plain-words detail; it is never shown as it
     * is, so no library wording or class name reaches the client.
     *
     * @param reason the container's reason phrase, or null
     */
    static Map<String, Object> container(int status, String reason) {
        String why = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        return switch (status) {
            case 400 -> document(400, "INVALID_ARGUMENT", "Bad request", why.contains("utf-8")
                    ? "the URI is not valid UTF-8 once its %-escapes are decoded"
                    : why.contains("path character") || why.contains("illegal character")
                            ? "the request contains a character HTTP does not allow there (a control character or a raw"
                                    + " byte outside ASCII in the URI, or a space in a header name): percent-encode"
                                    + " characters in URIs"
                    : why.contains("no host") ? "the request has no Host header: HTTP/1.1 requires one"
                    : why.contains("content-length") ? "the Content-Length header is not a valid length"
                    : "the request is malformed: its request line, URI or a header breaks HTTP's rules (for example"
                            + " a NUL byte (%00), an invalid %-escape or invalid UTF-8 in the URI)");
            case 404 -> document(404, "NOT_FOUND", "Not found", "nothing is served at this URI: the API lives under /api/v1"
                    + " (GET /api/v1/openapi.json), health at /health");
            case 405 -> document(405, "METHOD_NOT_ALLOWED", "Method not allowed", "this method is not allowed here");
            case 413 -> document(413, "PAYLOAD_TOO_LARGE", "Payload too large", "the request body is larger than the"
                    + " server accepts");
            case 414 -> document(414, "URI_TOO_LONG", "URI too long", "the URI is longer than the server accepts: send"
                    + " long queries in the body of POST /api/v1/query");
            case 431 -> document(431, "HEADERS_TOO_LARGE", "Request headers too large", "the request's headers are larger"
                    + " than the server accepts");
            case 505 -> document(505, "HTTP_VERSION_NOT_SUPPORTED", "HTTP version not supported", "send HTTP/1.1 requests");
            default -> status >= 500
                    ? document(status, "INTERNAL", "Internal error", "the request could not be served (HTTP " + status
                            + "); the log has the details")
                    : document(status, "INVALID_ARGUMENT", "Bad request", "the request could not be served (HTTP " + status
                            + ")");
        };
    }

    private static String title(ErrorCode code) {
        return Problem.title(code);
    }
}
