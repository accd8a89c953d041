package nexus.mcp.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import nexus.core.NexusException;

/**
 * What one tool call answers: a structured result and a one-line text summary, or an error naming
 * the reason (a tool error result, {@code isError}, never a transport error).
 *
 * @param error      whether the call was refused or failed
 * @param text       the summary (the error message for an error)
 * @param structured the structured result ({@code structuredContent}); for an error the code and message
 * @param rows       how many rows or items the result carries, for the audit
 */
record Outcome(boolean error, String text, Map<String, Object> structured, int rows) {

    static Outcome ok(String text, Map<String, Object> structured, int rows) {
        return new Outcome(false, text, structured, rows);
    }

    static Outcome refused(NexusException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code().name());
        body.put("message", e.getMessage());
        e.retryAfter().ifPresent(after -> body.put("retryAfterSeconds", Math.max(1, after.toSeconds())));
        return new Outcome(true, e.code().name() + ": " + e.getMessage(), body, 0);
    }
}
