package nexus.json;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON Schema (draft 2020-12) check of the keywords the find filter's schema uses, and only those —
 * no validator is on this build path. A keyword it does not know fails the check, so the schema
 * cannot grow a rule this test silently ignores.
 */
final class SchemaCheck {

    private static final java.util.Set<String> KNOWN = java.util.Set.of("$schema", "$id", "title", "description", "default",
            "type", "properties", "additionalProperties", "propertyNames", "minProperties", "maxProperties", "required",
            "items", "minItems", "maxItems", "enum", "const", "minLength", "maxLength", "pattern", "minimum", "maximum",
            "oneOf", "anyOf", "not", "if", "then");

    private SchemaCheck() {
    }

    static boolean valid(JsonNode schema, JsonNode value) {
        for (Iterator<String> keys = schema.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (!KNOWN.contains(key)) {
                throw new IllegalStateException("the schema uses '" + key + "', which this check does not know");
            }
        }
        if (schema.has("type") && !type(schema.get("type").asText(), value)) {
            return false;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            return false;
        }
        if (schema.has("const") && !schema.get("const").equals(value)) {
            return false;
        }
        if (value.isTextual()) {
            String text = value.textValue();
            int length = text.codePointCount(0, text.length());
            if (schema.has("minLength") && length < schema.get("minLength").asInt()
                    || schema.has("maxLength") && length > schema.get("maxLength").asInt()
                    || schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
                return false;
            }
        }
        if (value.isNumber() && (schema.has("minimum") && value.doubleValue() < schema.get("minimum").asDouble()
                || schema.has("maximum") && value.doubleValue() > schema.get("maximum").asDouble())) {
            return false;
        }
        if (value.isArray()) {
            if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()
                    || schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                return false;
            }
            for (JsonNode item : value) {
                if (schema.has("items") && !valid(schema.get("items"), item)) {
                    return false;
                }
            }
        }
        if (value.isObject() && !object(schema, value)) {
            return false;
        }
        if (schema.has("oneOf")) {
            int passed = 0;
            for (JsonNode option : schema.get("oneOf")) {
                passed += valid(option, value) ? 1 : 0;
            }
            if (passed != 1) {
                return false;
            }
        }
        if (schema.has("anyOf")) {
            boolean any = false;
            for (JsonNode option : schema.get("anyOf")) {
                any |= valid(option, value);
            }
            if (!any) {
                return false;
            }
        }
        if (schema.has("not") && valid(schema.get("not"), value)) {
            return false;
        }
        return !schema.has("if") || !valid(schema.get("if"), value) || !schema.has("then") || valid(schema.get("then"), value);
    }

    private static boolean object(JsonNode schema, JsonNode value) {
        if (schema.has("minProperties") && value.size() < schema.get("minProperties").asInt()
                || schema.has("maxProperties") && value.size() > schema.get("maxProperties").asInt()) {
            return false;
        }
        if (schema.has("required")) {
            for (JsonNode name : schema.get("required")) {
                if (!value.has(name.asText())) {
                    return false;
                }
            }
        }
        JsonNode properties = schema.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (schema.has("propertyNames") && !valid(schema.get("propertyNames"),
                    com.fasterxml.jackson.databind.node.TextNode.valueOf(field.getKey()))) {
                return false;
            }
            JsonNode rule = properties.get(field.getKey());
            if (rule == null) {
                JsonNode additional = schema.get("additionalProperties");
                if (additional == null) {
                    continue;
                }
                if (additional.isBoolean() ? !additional.booleanValue() : !valid(additional, field.getValue())) {
                    return false;
                }
            } else if (!valid(rule, field.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean type(String type, JsonNode value) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "number" -> value.isNumber();
            case "integer" -> value.isIntegralNumber() || value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue());
            case "null" -> value.isNull();
            default -> throw new IllegalStateException("unknown type " + type);
        };
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode v : values) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
