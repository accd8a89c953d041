package nexus.api.http.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import nexus.query.TagInfo;
import nexus.query.TagReading;
import nexus.query.TagValue;

/** The JSON shape of tags and values. */
final class TagJson {

    private TagJson() {
    }

    /** A tag's metadata and value, with its properties when asked (a listing leaves them out). */
    static void tag(JsonGenerator json, TagReading reading, boolean properties) throws IOException {
        TagInfo tag = reading.tag();
        json.writeStartObject();
        json.writeNumberField("id", tag.id());
        json.writeStringField("path", tag.path());
        json.writeStringField("type", tag.type());
        json.writeStringField("bank", tag.bank());
        json.writeNumberField("byteOffset", tag.byteOffset());
        if (tag.type().equals("BOOL")) {
            json.writeNumberField("bitOffset", tag.bitOffset());
        }
        json.writeNumberField("length", tag.length());
        nullable(json, "unit", tag.unit());
        nullable(json, "description", tag.description());
        json.writeBooleanField("writable", tag.writable());
        nullable(json, "engLow", tag.engLow());
        nullable(json, "engHigh", tag.engHigh());
        if (properties) {
            json.writeObjectFieldStart("properties");
            for (Map.Entry<String, String> property : new TreeMap<>(tag.properties()).entrySet()) {
                json.writeStringField(property.getKey(), property.getValue());
            }
            json.writeEndObject();
        }
        value(json, reading.value());
        json.writeEndObject();
    }

    /** The value fields of a row or a tag: {@code value}, {@code quality}, {@code ts}. */
    static void value(JsonGenerator json, TagValue value) throws IOException {
        json.writeFieldName("value");
        scalar(json, value.value());
        json.writeStringField("quality", value.quality().name());
        if (value.timestamp() == 0) {
            json.writeNullField("ts");
        } else {
            json.writeStringField("ts", iso(value.timestamp()));
        }
    }

    /** Writes a cell or value without going through the object mapper for the common types. */
    static void scalar(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Double d) {
            json.writeNumber(d);
        } else if (value instanceof Float f) {
            json.writeNumber(f);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else {
            json.writeObject(value);
        }
    }

    static String iso(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L)).toString();
    }

    /** A field that may be null: written as JSON null, never left out. */
    static void nullable(JsonGenerator json, String name, Object value) throws IOException {
        if (value == null) {
            json.writeNullField(name);
        } else {
            json.writeObjectField(name, value);
        }
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
