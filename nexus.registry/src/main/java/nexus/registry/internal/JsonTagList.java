package nexus.registry.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import nexus.registry.AlarmDefinition;
import nexus.registry.Problem.Kind;
import nexus.registry.Tag;
import nexus.rma.RmaType;

/**
 * Tag lists in JSON (docs/registry.md):
 * {@code {"banks": [{"name", "size"}], "tags": [{"path", "type", "bank", ...}], "alarms": [...]}}.
 * Every tag and alarm is read with the line and column where its object starts.
 */
final class JsonTagList {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonTagList() {
    }

    static TagList read(Path file, ListProblems problems) throws IOException {
        String name = file.getFileName().toString();
        TagList list = new TagList(file.toString());
        try (JsonParser parser = JSON.getFactory().createParser(Files.newInputStream(file))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                problems.add(Kind.MALFORMED, "a tag list is a JSON object with banks, tags and alarms", place(name, parser.currentTokenLocation()));
                return list;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String section = parser.currentName();
                JsonToken token = parser.nextToken();
                if (token != JsonToken.START_ARRAY) {
                    if (token.isStructStart()) {
                        parser.skipChildren();
                    }
                    if (List.of("banks", "tags", "alarms").contains(section)) {
                        problems.add(Kind.MALFORMED, "'" + section + "' must be an array", place(name, parser.currentTokenLocation()));
                    }
                    continue;
                }
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    TagList.Place at = place(name, parser.currentTokenLocation());
                    JsonNode node = JSON.readTree(parser);
                    switch (section) {
                        case "banks" -> list.banks.add(bank(node, at, problems));
                        case "tags" -> list.tags.add(tag(node, at, problems));
                        case "alarms" -> list.alarms.add(alarm(node, at, problems));
                        default -> { }
                    }
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            problems.add(Kind.MALFORMED, "not valid JSON: " + e.getOriginalMessage(),
                    at == null ? new TagList.Place(name, 0, 0) : place(name, at));
        }
        return list;
    }

    private static TagList.Place place(String file, JsonLocation location) {
        return new TagList.Place(file, location.getLineNr(), location.getColumnNr());
    }

    private static TagList.BankSpec bank(JsonNode node, TagList.Place at, ListProblems problems) {
        TagList.BankSpec bank = new TagList.BankSpec();
        bank.place = at;
        bank.name = text(node, "name");
        Integer size = integer(node, "size", at, problems);
        bank.size = size == null ? 0 : size;
        return bank;
    }

    private static TagList.TagSpec tag(JsonNode node, TagList.Place at, ListProblems problems) {
        TagList.TagSpec tag = new TagList.TagSpec();
        tag.place = at;
        tag.path = text(node, "path");
        TagList.parseType(tag, text(node, "type"), integer(node, "length", at, problems));
        tag.bank = text(node, "bank");
        tag.byteOffset = integer(node, "byteOffset", at, problems);
        Integer bit = integer(node, "bitOffset", at, problems);
        tag.bitOffset = bit == null ? 0 : bit;
        tag.unit = text(node, "unit");
        tag.description = text(node, "description");
        tag.writable = bool(node, "writable", false, at, problems);
        tag.engLow = number(node, "engLow", at, problems);
        tag.engHigh = number(node, "engHigh", at, problems);
        writeRoles(node, tag, at, problems);
        JsonNode properties = node.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            tag.properties.put(property.getKey(), property.getValue().asText());
        }
        return tag;
    }

    /** {@code "writeRoles": ["operator", "shift_lead"]}; the CSV spelling is refused, not ignored. */
    private static void writeRoles(JsonNode node, TagList.TagSpec tag, TagList.Place at, ListProblems problems) {
        if (node.has("write_roles")) {
            problems.add(Kind.MALFORMED, "write_roles is the CSV column; in JSON the member is writeRoles,"
                    + " an array of role names", at);
        }
        JsonNode roles = node.get("writeRoles");
        if (roles == null || roles.isNull()) {
            return;
        }
        if (!roles.isArray()) {
            problems.add(Kind.MALFORMED, "writeRoles " + shortened(roles) + " is not an array of role names,"
                    + " e.g. [\"operator\", \"shift_lead\"]", at);
            return;
        }
        for (JsonNode role : roles) {
            if (role.isTextual()) {
                problems.writeRole(role.textValue(), tag.writeRoles, "writeRoles", at);
            } else {
                problems.add(Kind.MALFORMED, "writeRoles holds " + shortened(role) + ", which is not a role name"
                        + " in quotes", at);
            }
        }
    }

    private static String shortened(JsonNode value) {
        String text = value.toString();
        return text.length() > 70 ? text.substring(0, 70) + "…" : text;
    }

    private static TagList.AlarmSpec alarm(JsonNode node, TagList.Place at, ListProblems problems) {
        TagList.AlarmSpec alarm = new TagList.AlarmSpec();
        alarm.place = at;
        alarm.name = text(node, "name");
        alarm.tag = text(node, "tag");
        alarm.contributed = bool(node, "contributed", false, at, problems);
        alarm.condition = text(node, "condition");
        alarm.limit = number(node, "limit", at, problems);
        Double deadband = number(node, "deadband", at, problems);
        alarm.deadband = deadband == null ? 0 : deadband;
        String severity = text(node, "severity");
        alarm.severity = severity == null ? "MEDIUM" : severity;
        alarm.requiresAck = bool(node, "requiresAck", true, at, problems);
        alarm.latching = bool(node, "latching", false, at, problems);
        alarm.onDelayMillis = longValue(node, "onDelayMs", at, problems);
        alarm.offDelayMillis = longValue(node, "offDelayMs", at, problems);
        alarm.maxShelveSeconds = longValue(node, "maxShelveSeconds", at, problems);
        alarm.message = text(node, "message");
        alarm.flagBank = text(node, "flagBank");
        alarm.flagByte = integer(node, "flagByte", at, problems);
        return alarm;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Integer integer(JsonNode node, String field, TagList.Place at, ListProblems problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            problems.add(Kind.MALFORMED, field + " " + value + " is not a whole number", at);
            return null;
        }
        return value.intValue();
    }

    private static long longValue(JsonNode node, String field, TagList.Place at, ListProblems problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            problems.add(Kind.MALFORMED, field + " " + value + " is not a whole number of 0 or more", at);
            return 0;
        }
        return value.longValue();
    }

    private static Double number(JsonNode node, String field, TagList.Place at, ListProblems problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            problems.add(Kind.MALFORMED, field + " " + value + " is not a number", at);
            return null;
        }
        return value.doubleValue();
    }

    private static boolean bool(JsonNode node, String field, boolean absent, TagList.Place at, ListProblems problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            problems.add(Kind.MALFORMED, field + " " + value + " is not true or false", at);
            return absent;
        }
        return value.booleanValue();
    }

    /** Writes a registry's content as JSON, every address explicit. */
    static void write(RegistryContent content, Writer out) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        List<Map<String, Object>> banks = new ArrayList<>();
        content.banks().forEach(b -> {
            Map<String, Object> bank = new LinkedHashMap<>();
            bank.put("name", b.name());
            bank.put("size", b.size());
            banks.add(bank);
        });
        List<Map<String, Object>> tags = new ArrayList<>();
        for (Tag t : content.tags()) {
            Map<String, Object> tag = new LinkedHashMap<>();
            tag.put("path", t.path());
            tag.put("type", t.allocation().type().name());
            if (t.allocation().type() == RmaType.STRING) {
                tag.put("length", t.allocation().length());
            }
            tag.put("bank", content.banks().get(t.allocation().bank()).name());
            tag.put("byteOffset", t.allocation().byteOffset());
            if (t.allocation().type() == RmaType.BOOL) {
                tag.put("bitOffset", t.allocation().bitOffset());
            }
            putIfPresent(tag, "unit", t.unit());
            putIfPresent(tag, "description", t.description());
            tag.put("writable", t.writable());
            putIfPresent(tag, "engLow", t.engLow());
            putIfPresent(tag, "engHigh", t.engHigh());
            if (!t.writeRoles().isEmpty()) {
                tag.put("writeRoles", List.copyOf(t.writeRoles()));
            }
            if (!t.properties().isEmpty()) {
                tag.put("properties", new java.util.TreeMap<>(t.properties()));
            }
            tags.add(tag);
        }
        Map<Long, String> paths = new java.util.HashMap<>();
        content.tags().forEach(t -> paths.put(t.id(), t.path()));
        List<Map<String, Object>> alarms = new ArrayList<>();
        for (AlarmDefinition a : content.alarms()) {
            Map<String, Object> alarm = new LinkedHashMap<>();
            alarm.put("name", a.name());
            if (a.contributed()) {
                alarm.put("tag", a.tagPath());
                alarm.put("contributed", true);
            } else {
                alarm.put("tag", paths.get(a.tagId()));
            }
            alarm.put("condition", a.condition().name());
            putIfPresent(alarm, "limit", a.limit());
            alarm.put("deadband", a.deadband());
            alarm.put("severity", a.severity().name());
            alarm.put("requiresAck", a.requiresAck());
            alarm.put("latching", a.latching());
            alarm.put("onDelayMs", a.onDelayMillis());
            alarm.put("offDelayMs", a.offDelayMillis());
            alarm.put("maxShelveSeconds", a.maxShelveSeconds());
            putIfPresent(alarm, "message", a.message());
            alarm.put("flagBank", content.banks().get(a.flags().bank()).name());
            alarm.put("flagByte", a.flags().byteOffset());
            alarms.add(alarm);
        }
        document.put("banks", banks);
        document.put("tags", tags);
        document.put("alarms", alarms);
        JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, document);
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
