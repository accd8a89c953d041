package nexus.json;

import static nexus.json.FindJson.ALARM_FIELDS;
import static nexus.json.FindJson.FIELDS;
import static nexus.json.FindJson.LIVE_ALARM_FIELDS;
import static nexus.json.FindJson.LIVE_FIELDS;
import static nexus.json.FindJson.MAX_CURSOR;
import static nexus.json.FindJson.MAX_ITEMS;
import static nexus.json.FindJson.MAX_KEY;
import static nexus.json.FindJson.MAX_PROPERTIES;
import static nexus.json.FindJson.MAX_TEXT;
import static nexus.json.FindJson.ORDERS;
import static nexus.json.FindJson.RANGE_FIELDS;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.alarm.AlarmState;
import nexus.core.AlarmCondition;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.core.Severity;
import nexus.query.FindFilter;
import nexus.query.Quality;
import nexus.rma.RmaType;

/**
 * Reads a find filter from a JSON tree for {@link FindJson#parse(JsonNode)}, field by field, naming each
 * field it refuses.
 */
final class FilterReader {

    private FilterReader() {
    }

    static FindFilter read(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw invalid("(filter)", "is not a JSON object: send {} for every tag, or e.g. {\"paths\": [\"site1/**\"]}");
        }
        fields(json, "", FIELDS);
        List<String> paths = list(json.get("paths"), "paths", n -> glob(n));
        Map<String, Set<String>> properties = properties(json.get("properties"));
        Set<String> units = new LinkedHashSet<>(list(json.get("units"), "units", (n) -> n));
        Set<String> types = new LinkedHashSet<>(list(json.get("types"), "types", n -> pick(n, "types", names(RmaType.values()))));
        Boolean writable = bool(json.get("writable"), "writable");
        FindFilter.AlarmCriteria alarms = alarms(json.get("alarms"));
        FindFilter.Live live = live(json.get("live"));
        String order = json.has("order") ? text(json.get("order"), "order", 8) : "path";
        if (!ORDERS.contains(order)) {
            throw invalid("order", "is '" + order + "': use \"path\" or \"-path\" (descending)");
        }
        int limit = FindFilter.DEFAULT_LIMIT;
        JsonNode l = json.get("limit");
        if (l != null && !l.isNull()) {
            // 1.0 is a whole number, as JSON Schema's "integer" has it; 2.5 is not
            if (!l.isNumber() || !l.canConvertToExactIntegral() || !l.canConvertToInt() || l.intValue() < 1
                    || l.intValue() > FindFilter.MAX_LIMIT) {
                throw invalid("limit", "is " + l + ": a whole number from 1 to " + FindFilter.MAX_LIMIT);
            }
            limit = l.intValue();
        }
        JsonNode c = json.get("cursor");
        String cursor = c == null || c.isNull() ? null : text(c, "cursor", MAX_CURSOR);
        Boolean include = bool(json.get("includeAlarms"), "includeAlarms");
        return new FindFilter(paths, properties, units, types, writable, alarms, live,
                order.equals("path") ? FindFilter.Order.PATH : FindFilter.Order.PATH_DESC, limit, cursor,
                Boolean.TRUE.equals(include));
    }

    private static String glob(String glob) {
        PathScope.of(glob);
        return glob;
    }

    private static Map<String, Set<String>> properties(JsonNode node) {
        Map<String, Set<String>> properties = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return properties;
        }
        if (!node.isObject()) {
            throw invalid("properties", "is " + kind(node) + ": an object of key → value or [values], e.g."
                    + " {\"kind\": \"pump\"}");
        }
        if (node.size() > MAX_PROPERTIES) {
            throw invalid("properties", "has " + node.size() + " keys; the limit is " + MAX_PROPERTIES);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            String where = "properties." + key;
            int keyLength = characters(key);
            if (key.isEmpty() || keyLength > MAX_KEY || key.indexOf('\0') >= 0) {
                throw invalid(where, key.isEmpty() ? "has an empty key" : keyLength > MAX_KEY ? "is a key of " + keyLength
                        + " characters; the limit is " + MAX_KEY : "holds a NUL character");
            }
            JsonNode value = entry.getValue();
            Set<String> values = value.isArray() ? new LinkedHashSet<>(list(value, where, n -> n))
                    : Set.of(text(value, where, MAX_TEXT));
            properties.put(key, values);
        }
        return properties;
    }

    private static FindFilter.AlarmCriteria alarms(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        object(node, "alarms", ALARM_FIELDS);
        Boolean present = bool(node.get("present"), "alarms.present");
        Set<Severity> severities = enums(node.get("severities"), "alarms.severities", Severity.values());
        Set<AlarmCondition> conditions = enums(node.get("conditions"), "alarms.conditions", AlarmCondition.values());
        if (Boolean.FALSE.equals(present) && !(severities.isEmpty() && conditions.isEmpty())) {
            throw invalid("alarms.present", "is false (no alarms at all), so severities and conditions cannot be asked too");
        }
        return new FindFilter.AlarmCriteria(present, severities, conditions);
    }

    private static FindFilter.Live live(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        object(node, "live", LIVE_FIELDS);
        FindFilter.Range range = null;
        JsonNode value = node.get("value");
        if (value != null && !value.isNull()) {
            object(value, "live.value", RANGE_FIELDS);
            Double[] bounds = new Double[4];
            for (int i = 0; i < 4; i++) {
                bounds[i] = number(value.get(RANGE_FIELDS.get(i)), "live.value." + RANGE_FIELDS.get(i));
            }
            if (bounds[0] == null && bounds[1] == null && bounds[2] == null && bounds[3] == null) {
                throw invalid("live.value", "is empty: give at least one of gt, ge, lt, le");
            }
            range = new FindFilter.Range(bounds[0], bounds[1], bounds[2], bounds[3]);
        }
        Set<Quality> qualities = enums(node.get("qualities"), "live.qualities", Quality.values());
        FindFilter.LiveAlarms alarms = null;
        JsonNode a = node.get("alarms");
        if (a != null && !a.isNull()) {
            object(a, "live.alarms", LIVE_ALARM_FIELDS);
            Set<String> states = new LinkedHashSet<>();
            enums(a.get("states"), "live.alarms.states", AlarmState.values()).forEach(s -> states.add(s.name()));
            alarms = new FindFilter.LiveAlarms(states, bool(a.get("inAlarm"), "live.alarms.inAlarm"),
                    enums(a.get("activeSeverities"), "live.alarms.activeSeverities", Severity.values()));
        }
        return new FindFilter.Live(range, qualities, alarms);
    }

    private static void object(JsonNode node, String where, List<String> fields) {
        if (!node.isObject()) {
            throw invalid(where, "is " + kind(node) + ": an object with " + String.join(", ", fields));
        }
        fields(node, where + ".", fields);
    }

    private static void fields(JsonNode node, String prefix, List<String> fields) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw invalid(prefix + name, "is not a field: " + (prefix.isEmpty() ? "the filter" : prefix.substring(0,
                        prefix.length() - 1)) + " takes " + String.join(", ", fields));
            }
        }
    }

    private static <T> List<T> list(JsonNode node, String where, Function<String, T> item) {
        List<T> items = new ArrayList<>();
        if (node == null || node.isNull()) {
            return items;
        }
        if (!node.isArray()) {
            throw invalid(where, "is " + kind(node) + ": a list of strings, e.g. [\"x\"]");
        }
        if (node.isEmpty()) {
            throw invalid(where, "is an empty list: leave the field out to not filter by it");
        }
        if (node.size() > MAX_ITEMS) {
            throw invalid(where, "has " + node.size() + " items; the limit is " + MAX_ITEMS);
        }
        for (int i = 0; i < node.size(); i++) {
            String at = where + "[" + i + "]";
            String text = text(node.get(i), at, MAX_TEXT);
            try {
                items.add(item.apply(text));
            } catch (IllegalArgumentException e) {
                throw invalid(at, e.getMessage());
            }
        }
        return items;
    }

    private static <E extends Enum<E>> Set<E> enums(JsonNode node, String where, E[] values) {
        Set<E> set = new LinkedHashSet<>();
        for (String name : list(node, where, n -> pick(n, where, names(values)))) {
            for (E value : values) {
                if (value.name().equals(name)) {
                    set.add(value);
                }
            }
        }
        return set;
    }

    private static List<String> names(Enum<?>[] values) {
        List<String> names = new ArrayList<>();
        for (Enum<?> value : values) {
            names.add(value.name());
        }
        return names;
    }

    private static String pick(String name, String where, List<String> names) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is not one of " + String.join(", ", names));
        }
        return name;
    }

    private static String text(JsonNode node, String where, int max) {
        if (node == null || !node.isTextual()) {
            throw invalid(where, "is " + kind(node) + ": a string");
        }
        String text = node.textValue();
        if (text.isEmpty()) {
            throw invalid(where, "is empty");
        }
        int length = characters(text);
        if (length > max) {
            throw invalid(where, "is " + length + " characters long; the limit is " + max);
        }
        if (text.indexOf('\0') >= 0) {
            throw invalid(where, "holds a NUL character");
        }
        return text;
    }

    private static Boolean bool(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw invalid(where, "is " + kind(node) + ": true or false");
        }
        return node.booleanValue();
    }

    private static Double number(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            throw invalid(where, "is " + kind(node) + ": a finite number");
        }
        return node.doubleValue();
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> node.isNumber() && !Double.isFinite(node.doubleValue()) ? "a number out of range" : "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static NexusException invalid(String field, String why) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, field + ": " + why);
    }

    /** @return the text's length in characters as JSON Schema's maxLength counts them: code points, not UTF-16 units */
    private static int characters(String text) {
        return text.codePointCount(0, text.length());
    }
}
