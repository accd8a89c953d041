package nexus.mcp.internal;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Tool input schemas, written as JSON and read once into the maps the SDK and the validator take;
 * and the one JSON mapper of the bundle.
 */
final class Schemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Schemas() {
    }

    static Map<String, Object> of(String json) {
        try {
            return JSON.readValue(json.replace('\'', '"'), new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tool schema is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> object(String properties, String... required) {
        String req = required.length == 0 ? "" : ", 'required': ['" + String.join("', '", required) + "']";
        return of("{'type': 'object', 'additionalProperties': false, 'properties': {" + properties + "}" + req + "}");
    }

    static ObjectMapper json() {
        return JSON;
    }

    /** @return a value as JSON text (its string form if it cannot be written so) */
    static String text(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
