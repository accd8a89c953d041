package nexus.security.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The format of {@code etc/tokens.json}: an object with {@code "format": 1} and {@code "tokens"},
 * one token per line so that a token can be revoked by deleting its line:
 *
 * <pre>
 * {
 *   "format": 1,
 *   "tokens": [
 *     {"id":"…","name":"scada","roles":["operator"],"sha256":"…","created":"2026-12-06T12:00:00Z","createdBy":"alice"}
 *   ]
 * }
 * </pre>
 *
 * Reading is strict: a file that is not exactly this is damaged, and the message says where and why
 * (never quoting the file's text, which might hold a pasted token).
 */
final class TokenFile {

    static final int FORMAT = 1;
    /**
     * Strict beyond JSON's grammar: a key given twice (which plain Jackson takes as its last value, so
     * that a second {@code "tokens": []} would empty the store and open the node) and text after the
     * object are damage, not something to guess around.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private TokenFile() {
    }

    /** A file that could not be taken as it is. */
    static final class DamagedException extends Exception {
        private static final long serialVersionUID = 1L;

        DamagedException(String message) {
            super(message);
        }
    }

    /** @return the tokens the text holds, in the file's order */
    static List<StoredToken> parse(String text) throws DamagedException {
        if (text.isBlank()) {
            throw new DamagedException("the file is empty; delete it to start without tokens");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            // Never the parser's whole message: it may quote the file's text.
            String what = original.startsWith("Duplicate field") ? "a key is given twice in one object"
                    : original.startsWith("Trailing token") ? "text follows the end of the object" : "not valid JSON";
            throw new DamagedException(at == null ? what : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + what);
        }
        if (root == null || !root.isObject()) {
            throw new DamagedException("not a JSON object with \"format\" and \"tokens\"");
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isInt() || format.intValue() != FORMAT) {
            throw new DamagedException("\"format\" must be " + FORMAT + " (the only format this version reads)");
        }
        JsonNode tokens = root.get("tokens");
        if (tokens == null || !tokens.isArray()) {
            throw new DamagedException("\"tokens\" is missing or not a list");
        }
        List<StoredToken> result = new ArrayList<>(tokens.size());
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        int entry = 0;
        for (JsonNode node : tokens) {
            entry++;
            StoredToken token = entry(node, entry);
            if (!ids.add(token.id())) {
                throw new DamagedException("token " + entry + " ('" + token.name() + "'): its id is also another token's");
            }
            if (!names.add(token.name())) {
                throw new DamagedException("token " + entry + ": the name '" + token.name() + "' is taken by an earlier token");
            }
            result.add(token);
        }
        return result;
    }

    private static StoredToken entry(JsonNode node, int entry) throws DamagedException {
        if (!node.isObject()) {
            throw new DamagedException("token " + entry + " is not a JSON object");
        }
        String name = text(node, "name", entry, "?");
        String where = "token " + entry + " ('" + name + "')";
        if (!StoredToken.NAME.matcher(name).matches()) {
            throw new DamagedException("token " + entry + ": the name is not letters, digits, '.', '_' or '-' (at most 64)");
        }
        String id = text(node, "id", entry, name);
        if (!Secrets.isId(id)) {
            throw new DamagedException(where + ": \"id\" is not " + Secrets.ID_CHARS + " base64url characters");
        }
        String sha256 = text(node, "sha256", entry, name);
        if (!StoredToken.HASH.matcher(sha256).matches()) {
            throw new DamagedException(where + ": \"sha256\" is not 64 lower-case hex digits");
        }
        JsonNode roles = node.get("roles");
        if (roles == null || !roles.isArray() || roles.isEmpty()) {
            throw new DamagedException(where + ": \"roles\" is missing, not a list or empty");
        }
        TreeSet<String> roleNames = new TreeSet<>();
        for (JsonNode role : roles) {
            if (!role.isTextual() || role.textValue().isBlank()) {
                throw new DamagedException(where + ": \"roles\" holds something that is not a role name");
            }
            roleNames.add(role.textValue());
        }
        Instant created;
        try {
            created = Instant.parse(text(node, "created", entry, name));
        } catch (DateTimeParseException e) {
            throw new DamagedException(where + ": \"created\" is not an ISO-8601 instant such as 2026-12-06T12:00:00Z");
        }
        String createdBy = text(node, "createdBy", entry, name);
        return new StoredToken(id, name, roleNames, sha256, created, createdBy);
    }

    private static String text(JsonNode node, String field, int entry, String name) throws DamagedException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new DamagedException("token " + entry + " ('" + name + "'): \"" + field + "\" is missing or not a text");
        }
        return value.textValue();
    }

    /** @return the file's text for these tokens, one token per line */
    static String format(List<StoredToken> tokens) {
        StringBuilder out = new StringBuilder(256 + 200 * tokens.size());
        out.append("{\n  \"format\": ").append(FORMAT).append(",\n  \"tokens\": [");
        for (int i = 0; i < tokens.size(); i++) {
            out.append(i == 0 ? "\n    " : ",\n    ").append(line(tokens.get(i)));
        }
        out.append(tokens.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        return out.toString();
    }

    private static String line(StoredToken token) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", token.id());
        node.put("name", token.name());
        ArrayNode roles = node.putArray("roles");
        token.roles().forEach(roles::add);
        node.put("sha256", token.sha256());
        node.put("created", token.created().toString());
        node.put("createdBy", token.createdBy());
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree of texts always serialises", e);
        }
    }
}
