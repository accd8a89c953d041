package nexus.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.FindFilter;
import nexus.query.FindPlan;
import nexus.query.FindResult;
import nexus.query.TagReading;

/**
 * The JSON forms of find ({@link nexus.query.FindService}), for every front-end that offers it (the
 * HTTP API's {@code POST /api/v1/find}, the AI adapter's {@code find_tags}): the filter in, the result
 * and the plan out, each written once.
 *
 * <p>The filter is read strictly: an unknown field, a value of
 * the wrong type, an empty list, a value over its bound, a malformed glob or a limit out of range is
 * {@code INVALID_ARGUMENT} whose message starts with the field's path ({@code properties.area},
 * {@code live.value.gt}, {@code paths[2]}) and says what is wrong. {@link #SCHEMA} (JSON Schema draft
 * 2020-12) describes the same form; {@code docs/find.md} explains it. Thread-safe.
 *
 * @since 1.1
 */
public final class FindJson {

    /** The resource holding the filter's JSON Schema. */
    public static final String SCHEMA = "/nexus/json/find-filter.schema.json";

    /** The longest glob, value, unit or type, in characters. */
    public static final int MAX_TEXT = 1_024;

    /** The longest property key, in characters. */
    public static final int MAX_KEY = 128;

    /** The most items of a list, and values of a property. */
    public static final int MAX_ITEMS = 100;

    /** The most property keys. */
    public static final int MAX_PROPERTIES = 32;

    /** The longest cursor, in characters. */
    public static final int MAX_CURSOR = 4_096;

    static final List<String> FIELDS = List.of("paths", "properties", "units", "types", "writable", "alarms", "live", "order",
            "limit", "cursor", "includeAlarms");
    static final List<String> ALARM_FIELDS = List.of("present", "severities", "conditions");
    static final List<String> LIVE_FIELDS = List.of("value", "qualities", "alarms");
    static final List<String> RANGE_FIELDS = List.of("gt", "ge", "lt", "le");
    static final List<String> LIVE_ALARM_FIELDS = List.of("states", "inAlarm", "activeSeverities");
    /** {@code order}'s values: by path, ascending or descending. */
    static final List<String> ORDERS = List.of("path", "-path");

    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private FindJson() {
    }

    /**
     * @return the filter this JSON text holds
     * @throws NexusException INVALID_ARGUMENT for malformed JSON, or as {@link #parse(JsonNode)}
     */
    public static FindFilter parse(String json) {
        try {
            return parse(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the filter is not well-formed JSON: "
                    + e.getOriginalMessage());
        }
    }

    /** @return the filter this map (a JSON object as maps, lists, strings, numbers, booleans) holds */
    public static FindFilter parse(Map<String, ?> object) {
        return parse(JSON.<JsonNode>valueToTree(object));
    }

    /**
     * @return the filter this JSON object holds
     * @throws NexusException INVALID_ARGUMENT naming the field and what is wrong with it
     */
    public static FindFilter parse(JsonNode json) {
        return FilterReader.read(json);
    }

    /** @return the filter's JSON Schema (draft 2020-12), as the resource holds it */
    public static byte[] schema() {
        try (InputStream in = FindJson.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA + " is missing from the bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(SCHEMA + " cannot be read", e);
        }
    }

    /**
     * Writes a page of find as one object: {@code rows} (each a tag as {@link NexusJson#tag} writes it,
     * plus {@code alarms} when the filter asked), {@code cursor}, {@code examined}, {@code matched},
     * {@code registryVersion}.
     */
    public static void result(JsonGenerator json, FindResult result) throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("rows");
        for (FindResult.Row row : result.rows()) {
            json.writeStartObject();
            NexusJson.tagFields(json, new TagReading(row.tag(), row.value()), false);
            if (row.alarms() != null) {
                json.writeArrayFieldStart("alarms");
                for (FindResult.TagAlarm alarm : row.alarms()) {
                    json.writeStartObject();
                    json.writeStringField("name", alarm.name());
                    json.writeStringField("severity", alarm.severity().name());
                    json.writeStringField("state", alarm.state());
                    json.writeBooleanField("inAlarm", alarm.inAlarm());
                    json.writeBooleanField("acked", alarm.acked());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        NexusJson.nullable(json, "cursor", result.cursor());
        json.writeNumberField("examined", result.examined());
        json.writeNumberField("matched", result.matched());
        json.writeNumberField("registryVersion", result.registryVersion());
        json.writeEndObject();
    }

    /**
     * Writes a find plan as one object: {@code sql}, {@code params}, {@code readPlan} (as the query
     * API's explain answers it: the generator needs a codec, such as an {@code ObjectMapper}'s),
     * {@code liveFilter}.
     */
    public static void plan(JsonGenerator json, FindPlan plan) throws IOException {
        json.writeStartObject();
        json.writeStringField("sql", plan.sql());
        json.writeArrayFieldStart("params");
        for (Object param : plan.params()) {
            NexusJson.scalar(json, param);
        }
        json.writeEndArray();
        json.writeFieldName("readPlan");
        json.writeObject(plan.readPlan());
        json.writeStringField("liveFilter", plan.liveFilter());
        json.writeEndObject();
    }
}
