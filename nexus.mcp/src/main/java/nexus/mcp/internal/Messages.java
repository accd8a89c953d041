package nexus.mcp.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.modelcontextprotocol.spec.McpSchema;
import nexus.core.ErrorCode;
import nexus.json.Problem;

/**
 * Reads one POST body as MCP sends it: one JSON-RPC 2.0 request or notification, strict JSON (no
 * member twice, nothing after the value), {@code jsonrpc} {@code "2.0"}, a string method, an id
 * that is a string or an integer, {@code params} (and its {@code _meta}) an object when present.
 * Everything else is a {@link Refused} carrying a problem document in fixed words — the position
 * of a syntax error, never a parser's message or a class name. Stateless and thread-safe.
 */
final class Messages {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };
    private static final int MAX_NAME = 100;

    private Messages() {
    }

    /** A body the gate answers with a problem document instead of passing it on. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Map<String, Object> problem;

        Refused(String detail) {
            this(Problem.document(ErrorCode.INVALID_ARGUMENT, detail));
        }

        Refused(Map<String, Object> problem) {
            super((String) problem.get("detail"), null, false, false);
            this.problem = problem;
        }

        Map<String, Object> problem() {
            return problem;
        }
    }

    /**
     * @return the request or notification the body holds
     * @throws Refused what is wrong with it, in words for the client's author
     */
    static McpSchema.JSONRPCMessage read(byte[] body) throws Refused {
        JsonNode node;
        try {
            node = STRICT.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new Refused("the body exceeds what the server parses: " + limit(e.getMessage()));
        } catch (JsonProcessingException e) {
            throw new Refused(syntax(e));
        } catch (IOException e) {
            throw new Refused("the body could not be read as JSON");
        }
        if (node == null || node.isMissingNode()) {
            throw new Refused("the body is empty: POST one JSON-RPC 2.0 message");
        }
        if (node.isArray()) {
            throw new Refused("the body is a JSON-RPC batch (an array): MCP sends one message per POST since revision"
                    + " 2025-06-18; send them one by one");
        }
        if (!node.isObject()) {
            throw new Refused("the body is not a JSON object: POST one JSON-RPC 2.0 message");
        }
        if (!"2.0".equals(node.path("jsonrpc").textValue())) {
            throw new Refused("member jsonrpc must be \"2.0\"");
        }
        JsonNode method = node.get("method");
        if (method == null) {
            throw new Refused(node.has("result") || node.has("error")
                    ? "this server sends clients no requests, so it takes no JSON-RPC responses: POST requests and notifications"
                    : "the message has no method: a request needs jsonrpc, id and method, a notification jsonrpc and method");
        }
        if (!method.isTextual() || method.textValue().isEmpty()) {
            throw new Refused("member method must be a non-empty string, e.g. \"tools/call\"");
        }
        Map<String, Object> params = params(node);
        if (!node.has("id")) {
            return new McpSchema.JSONRPCNotification("2.0", method.textValue(), params);
        }
        return new McpSchema.JSONRPCRequest("2.0", method.textValue(), id(node.get("id")), params);
    }

    private static Object id(JsonNode id) throws Refused {
        if (id.isTextual()) {
            return id.textValue();
        }
        if (id.isIntegralNumber()) {
            return id.canConvertToLong() ? (Object) id.longValue() : (BigInteger) id.bigIntegerValue();
        }
        throw new Refused("member id must be a string or an integer (MCP forbids null ids; a message without id is a"
                + " notification)");
    }

    private static Map<String, Object> params(JsonNode node) throws Refused {
        JsonNode params = node.get("params");
        if (params == null) {
            return null;
        }
        if (!params.isObject()) {
            throw new Refused("member params must be an object (MCP names every parameter)");
        }
        JsonNode meta = params.get("_meta");
        if (meta != null && !meta.isObject()) {
            throw new Refused("member params._meta must be an object");
        }
        return STRICT.convertValue(params, OBJECT);
    }

    /** @return a syntax error's position, without the parser's words (they name its classes) */
    private static String syntax(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith("Duplicate field '")) {
            int end = original.indexOf('\'', 17);
            String name = end < 0 ? "?" : original.substring(17, end);
            return "member '" + (name.length() > MAX_NAME ? name.substring(0, MAX_NAME) + "…" : name) + "' appears twice"
                    + where(e);
        }
        if (original.startsWith("Trailing token")) {
            return "there is more after the JSON value" + where(e) + ": send one message per POST";
        }
        if (e instanceof JsonParseException || original.startsWith("Unexpected end-of-input")) {
            return "the body is not valid JSON" + where(e);
        }
        return "the body is not a JSON value MCP sends" + where(e);
    }

    private static String where(JsonProcessingException e) {
        var at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    private static String limit(String message) {
        String m = message == null ? "" : message;
        if (m.contains("nesting depth")) {
            return "it is nested deeper than " + STRICT.getFactory().streamReadConstraints().getMaxNestingDepth() + " levels";
        }
        if (m.contains("Number value length")) {
            return "a number has more than " + STRICT.getFactory().streamReadConstraints().getMaxNumberLength() + " digits";
        }
        if (m.contains("String value length")) {
            return "a string is longer than " + STRICT.getFactory().streamReadConstraints().getMaxStringLength() + " characters";
        }
        return "a value is larger than the parser's limits";
    }
}
