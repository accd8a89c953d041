package nexus.json;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import nexus.core.ErrorCode;

/**
 * RFC 9457 problem documents ({@value #CONTENT_TYPE}), the one place where an error code becomes an
 * HTTP status and a title, for every HTTP front-end of the node (the API, the MCP server). A document
 * carries the stable {@code code} and a detail for the caller, never a stack trace or class name.
 *
 * @since 1.2
 */
public final class Problem {

    public static final String CONTENT_TYPE = "application/problem+json";

    private Problem() {
    }

    /** @return the HTTP status that answers an error of this code */
    public static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT, QUERY_REJECTED -> 400;
            case NOT_WRITABLE, FORBIDDEN -> 403;
            case UNAUTHENTICATED -> 401;
            case TOO_MANY_FAILURES, OVERLOADED -> 429;
            case TAG_NOT_FOUND, ALARM_NOT_FOUND, NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case PAYLOAD_TOO_LARGE -> 413;
            case BACKEND_UNAVAILABLE -> 503;
            case QUERY_TIMEOUT, OUTCOME_UNKNOWN -> 504;
            case INTERNAL -> 500;
        };
    }

    /** @return the short, fixed title of an error code */
    public static String title(ErrorCode code) {
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
            case OVERLOADED -> "Too many requests";
            case UNAUTHENTICATED -> "Unauthenticated";
            case TOO_MANY_FAILURES -> "Too many failed authentications";
            case OUTCOME_UNKNOWN -> "Outcome unknown: the request may or may not have been carried out";
        };
    }

    /** @return the problem document of an error code with the caller's detail */
    public static Map<String, Object> document(ErrorCode code, String detail) {
        return document(status(code), code.name(), title(code), detail);
    }

    /**
     * A problem for a status with no error code of its own (405, a container's error, ...).
     *
     * @param code an upper-case code such as {@code METHOD_NOT_ALLOWED}; the {@code type} URN is made from it
     */
    public static Map<String, Object> document(int status, String code, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:rma-nexus:problem:" + code.toLowerCase(Locale.ROOT).replace('_', '-'));
        problem.put("title", title);
        problem.put("status", status);
        problem.put("code", code);
        problem.put("detail", detail);
        return problem;
    }
}
