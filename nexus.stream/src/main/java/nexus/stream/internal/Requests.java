package nexus.stream.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.core.ErrorCode;
import nexus.query.Deadband;

/**
 * Reads the client's messages (docs/streams.md, "Messages from the client") strictly: one JSON object
 * with a known {@code type}, only the fields of that type, each of its kind and within its limits.
 * Whatever is wrong is refused with a message naming the field and saying what it takes. Thread-safe.
 */
final class Requests {

    /** The longest request id, in characters. */
    static final int ID_MAX = 64;
    /** How deep a message may nest arrays and objects: a request needs 3; deeper is hostile, refused while parsing. */
    static final int DEPTH_MAX = 16;
    /** The longest string in a message, in characters (a message is at most 64 KiB anyway). */
    static final int STRING_MAX = 64 * 1024;

    /**
     * Strict, and bounded: a hostile message (5,000 nested arrays, say) fails at once with a
     * {@link StreamConstraintsException} instead of costing the parser stack and time.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(DEPTH_MAX).maxStringLength(STRING_MAX)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> SUBSCRIBE = Set.of("type", "id", "sql", "params", "paths", "samplingMs", "deadband",
            "queueSize", "maxRate", "alarms", "resume");
    private static final Set<String> TAG_ONLY = Set.of("sql", "params", "paths", "samplingMs", "deadband", "queueSize",
            "maxRate");

    /** A client message, checked. */
    sealed interface Request permits SubscribeTags, SubscribeAlarms, Unsubscribe, Ping {
        /** @return the request id, or null when the message had none */
        JsonNode id();
    }

    record SubscribeTags(JsonNode id, TagRequest tags) implements Request {
    }

    /** @param resume the {@code resume} object, or null */
    record SubscribeAlarms(JsonNode id, JsonNode alarms, JsonNode resume) implements Request {
    }

    record Unsubscribe(JsonNode id, String subscription) implements Request {
    }

    record Ping(JsonNode id) implements Request {
    }

    /** A message refused: what the {@code error} answer says. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final transient JsonNode id;
        final ErrorCode code;

        Refused(JsonNode id, ErrorCode code, String message) {
            super(message, null, false, false);
            this.id = id;
            this.code = code;
        }
    }

    private final StreamLimits limits;

    Requests(StreamLimits limits) {
        this.limits = limits;
    }

    /**
     * @return the checked request
     * @throws Refused for a message that is not JSON, not an object, of an unknown type, with an
     *                 unknown field or a field of the wrong kind or outside its limits
     */
    Request parse(String text) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new Refused(null, ErrorCode.INVALID_ARGUMENT, "the message is not JSON the node reads: it nests arrays"
                    + " and objects deeper than " + DEPTH_MAX + " levels, or holds a string or number too long to be a"
                    + " request: send one JSON object per message (docs/streams.md)");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new Refused(null, ErrorCode.INVALID_ARGUMENT, "the message is not JSON (" + e.getOriginalMessage()
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + "): send one JSON object per message");
        }
        if (root == null || !root.isObject()) {
            throw new Refused(null, ErrorCode.INVALID_ARGUMENT, "a message is a JSON object with a 'type'");
        }
        JsonNode id = id(root.get("id"));
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            throw invalid(id, "'type' is missing or not a string: it is one of subscribe, unsubscribe, ping");
        }
        return switch (type.textValue()) {
            case "subscribe" -> subscribe(id, root);
            case "unsubscribe" -> {
                only(id, root, "unsubscribe", Set.of("type", "id", "subscription"));
                JsonNode subscription = root.get("subscription");
                if (subscription == null || !subscription.isTextual()) {
                    throw invalid(id, "'subscription' is missing or not a string: name the subscription to end, e.g. \"s1\"");
                }
                yield new Unsubscribe(id, subscription.textValue());
            }
            case "ping" -> {
                only(id, root, "ping", Set.of("type", "id"));
                yield new Ping(id);
            }
            default -> throw invalid(id, "unknown message type '" + type.textValue()
                    + "': it is one of subscribe, unsubscribe, ping");
        };
    }

    private static JsonNode id(JsonNode id) {
        if (id == null || id.isNull()) {
            return null;
        }
        boolean text = id.isTextual() && id.textValue().length() <= ID_MAX;
        if (!text && !(id.isIntegralNumber() && id.canConvertToLong())) {
            throw new Refused(null, ErrorCode.INVALID_ARGUMENT, "'id' is a string of at most " + ID_MAX
                    + " characters or a whole number (within a 64-bit integer), echoed in the answers");
        }
        return id;
    }

    private Request subscribe(JsonNode id, JsonNode root) {
        only(id, root, "subscribe", SUBSCRIBE);
        int kinds = (root.has("sql") ? 1 : 0) + (root.has("paths") ? 1 : 0) + (root.has("alarms") ? 1 : 0);
        if (kinds != 1) {
            throw invalid(id, "a subscribe names exactly one of 'sql', 'paths' and 'alarms'");
        }
        if (root.has("alarms")) {
            for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (TAG_ONLY.contains(name)) {
                    throw invalid(id, "'" + name + "' applies to tag subscriptions ('sql' or 'paths'), not to 'alarms'");
                }
            }
            JsonNode resume = root.get("resume");
            return new SubscribeAlarms(id, root.get("alarms"), resume == null || resume.isNull() ? null : resume);
        }
        if (root.has("resume")) {
            throw invalid(id, "'resume' applies to alarm subscriptions only");
        }
        if (root.has("params") && !root.has("sql")) {
            throw invalid(id, "'params' are the values of a query's placeholders: they go with 'sql'");
        }
        String sql = null;
        List<Object> params = List.of();
        List<String> paths = null;
        if (root.has("sql")) {
            JsonNode text = root.get("sql");
            if (!text.isTextual() || text.textValue().isBlank()) {
                throw invalid(id, "'sql' is a SELECT statement as a string");
            }
            sql = text.textValue();
            params = params(id, root.get("params"));
        } else {
            paths = paths(id, root.get("paths"));
        }
        int sampling = integer(id, root, "samplingMs", limits.samplingDefaultMs(), limits.samplingMinMs(),
                StreamLimits.SAMPLING_MAX_MS, limits.samplingMinMs() + " (sampling.min.ms) to " + StreamLimits.SAMPLING_MAX_MS);
        int queueSize = integer(id, root, "queueSize", 1, 1, limits.queueMax(), "1 to " + limits.queueMax() + " (queue.max)");
        double maxRate = 0;
        JsonNode rate = root.get("maxRate");
        if (rate != null) {
            double value = rate.isNumber() ? rate.doubleValue() : Double.NaN;
            if (!(value >= StreamLimits.MIN_RATE) || value > StreamLimits.MAX_RATE) {
                throw invalid(id, "'maxRate' is a number of data messages per second, from " + StreamLimits.MIN_RATE
                        + " (one message per 100 s) to " + StreamLimits.MAX_RATE);
            }
            maxRate = value;
        }
        return new SubscribeTags(id, new TagRequest(id, sql, params, paths, sampling, deadband(id, root.get("deadband")),
                queueSize, maxRate));
    }

    private static List<Object> params(JsonNode id, JsonNode params) {
        if (params == null) {
            return List.of();
        }
        if (!params.isArray()) {
            throw invalid(id, "'params' is an array of values for the query's placeholders");
        }
        List<Object> values = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            JsonNode value = params.get(i);
            if (value.isNull()) {
                values.add(null);
            } else if (value.isTextual()) {
                values.add(value.textValue());
            } else if (value.isIntegralNumber() && value.canConvertToLong()) {
                values.add(value.longValue());
            } else if (value.isNumber()) {
                values.add(value.doubleValue());
            } else if (value.isBoolean()) {
                values.add(value.booleanValue());
            } else {
                throw invalid(id, "'params[" + i + "]' is an array or object: a placeholder takes a string, number,"
                        + " boolean or null");
            }
        }
        return values;
    }

    private List<String> paths(JsonNode id, JsonNode paths) {
        if (!paths.isArray() || paths.isEmpty()) {
            throw invalid(id, "'paths' is a non-empty array of tag paths");
        }
        if (paths.size() > limits.itemsMax()) {
            throw invalid(id, "'paths' names " + paths.size() + " tags; a subscription follows at most "
                    + limits.itemsMax() + " (items.max)");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < paths.size(); i++) {
            JsonNode path = paths.get(i);
            if (!path.isTextual()) {
                throw invalid(id, "'paths[" + i + "]' is not a string: a tag path is a string such as \"site1/area1/temp\"");
            }
            unique.add(path.textValue());
        }
        return List.copyOf(unique);
    }

    private static Deadband deadband(JsonNode id, JsonNode deadband) {
        if (deadband == null || deadband.isNull()) {
            return Deadband.NONE;
        }
        if (!deadband.isObject() || deadband.size() != 1 || !(deadband.has("absolute") || deadband.has("percent"))) {
            throw invalid(id, "'deadband' is {\"absolute\": d} or {\"percent\": p}");
        }
        boolean absolute = deadband.has("absolute");
        JsonNode band = absolute ? deadband.get("absolute") : deadband.get("percent");
        if (!band.isNumber()) {
            throw invalid(id, "'deadband." + (absolute ? "absolute" : "percent") + "' is a number, not " + band);
        }
        try {
            return absolute ? new Deadband(band.doubleValue(), 0) : new Deadband(0, band.doubleValue());
        } catch (IllegalArgumentException e) {
            throw invalid(id, "'deadband." + (absolute ? "absolute" : "percent") + "': " + e.getMessage());
        }
    }

    private static int integer(JsonNode id, JsonNode root, String field, int absent, int min, int max, String range) {
        JsonNode value = root.get(field);
        if (value == null) {
            return absent;
        }
        if (!whole(value) || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw invalid(id, "'" + field + "' is " + value + "; it is a whole number from " + range);
        }
        return value.intValue();
    }

    /** @return whether the value is a whole number, also when written with a fraction part ({@code 100.0}) */
    private static boolean whole(JsonNode value) {
        if (value.isIntegralNumber()) {
            return true;
        }
        double number = value.isNumber() ? value.doubleValue() : Double.NaN;
        return Double.isFinite(number) && number == Math.rint(number);
    }

    private static void only(JsonNode id, JsonNode root, String type, Set<String> fields) {
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw invalid(id, "unknown field '" + name + "' in a " + type + " message; its fields are "
                        + String.join(", ", fields.stream().sorted().toList()));
            }
        }
    }

    private static Refused invalid(JsonNode id, String message) {
        return new Refused(id, ErrorCode.INVALID_ARGUMENT, message);
    }
}
