package nexus.api.http.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;


/** Values as a client sends them in JSON (the shapes the node writes are {@link nexus.json.NexusJson}'s). */
final class TagJson {

    private TagJson() {
    }

    /**
     * @return the Java value of a JSON value for a write: Boolean, Long, BigInteger, BigDecimal (every
     *         decimal, kept exact), String, null; an empty List or Map for an array or object, so that the
     *         tag service's refusal can say which it was
     */
    static Object javaValue(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return node == null || node.isNull() ? null : node.isArray() ? List.of() : Map.of();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.isBigDecimal() ? node.decimalValue() : new BigDecimal(node.asText());
        }
        return node.asText();
    }
}
