package nexus.api.http.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletResponse;
import nexus.core.ErrorCode;

/**
 * RFC 9457 problem documents, the one place where error codes become HTTP statuses. Bodies carry
 * the stable {@code code} and a message for the caller, never a stack trace or class name.
 */
final class Problems {

    static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT, QUERY_REJECTED -> 400;
            case NOT_WRITABLE, FORBIDDEN -> 403;
            case TAG_NOT_FOUND, ALARM_NOT_FOUND, NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case PAYLOAD_TOO_LARGE -> 413;
            case BACKEND_UNAVAILABLE -> 503;
            case QUERY_TIMEOUT -> 504;
            case INTERNAL -> 500;
        };
    }

    static Map<String, Object> document(ErrorCode code, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:rma-nexus:problem:" + code.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        problem.put("title", title(code));
        problem.put("status", status(code));
        problem.put("code", code.name());
        problem.put("detail", detail);
        return problem;
    }

    static void write(HttpServletResponse response, ObjectMapper json, ErrorCode code, String detail) throws IOException {
        write(response, json, status(code), code.name(), title(code), detail);
    }

    /** A problem for a status with no error code of its own (405 from the router, container errors). */
    static void write(HttpServletResponse response, ObjectMapper json, int status, String code, String title, String detail)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:rma-nexus:problem:" + code.toLowerCase(Locale.ROOT).replace('_', '-'));
        problem.put("title", title);
        problem.put("status", status);
        problem.put("code", code);
        problem.put("detail", detail);
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        json.writeValue(response.getOutputStream(), problem);
    }

    private static String title(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT -> "Invalid argument";
            case QUERY_REJECTED -> "Query rejected";
            case QUERY_TIMEOUT -> "Query timed out";
            case TAG_NOT_FOUND -> "Tag not found";
            case ALARM_NOT_FOUND -> "Alarm not found";
            case NOT_WRITABLE -> "Tag not writable";
            case NOT_FOUND -> "Not found";
            case CONFLICT -> "Conflict";
            case PAYLOAD_TOO_LARGE -> "Payload too large";
            case BACKEND_UNAVAILABLE -> "Backend unavailable";
            case INTERNAL -> "Internal error";
            case FORBIDDEN -> "Forbidden";
        };
    }
}
