package nexus.json;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmEvent;
import nexus.query.TagInfo;
import nexus.query.TagReading;
import nexus.query.TagValue;

/**
 * Writes tags, values, alarms and alarm events as JSON with Jackson's streaming generator (no object
 * mapper, no intermediate tree). Stateless and thread-safe.
 *
 * @since 1.0
 */
public final class NexusJson {

    private NexusJson() {
    }

    /** A tag's metadata and value as one object, with its properties when asked (a listing leaves them out). */
    public static void tag(JsonGenerator json, TagReading reading, boolean properties) throws IOException {
        json.writeStartObject();
        tagFields(json, reading, properties);
        json.writeEndObject();
    }

    /**
     * The fields of {@link #tag}, into an object the caller opened and closes (to add fields of its own).
     *
     * @since 1.1
     */
    public static void tagFields(JsonGenerator json, TagReading reading, boolean properties) throws IOException {
        TagInfo tag = reading.tag();
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
    }

    /** The value fields of a row, a tag or a stream item: {@code value}, {@code quality}, {@code ts}. */
    public static void value(JsonGenerator json, TagValue value) throws IOException {
        json.writeFieldName("value");
        scalar(json, value.value());
        json.writeStringField("quality", value.quality().name());
        if (value.timestamp() == 0) {
            json.writeNullField("ts");
        } else {
            json.writeStringField("ts", iso(value.timestamp()));
        }
    }

    /** Writes a cell or value without going through an object mapper for the common types. */
    public static void scalar(JsonGenerator json, Object value) throws IOException {
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
            json.writeObject(value); // numbers, byte[] (base64); anything else needs the generator's codec
        }
    }

    /**
     * @return an instant in nanoseconds since the Unix epoch as ISO-8601 UTC text. The rows of one
     *         block read share their bank's write time, so the text of the last instant asked on
     *         this thread is kept and given again: one text per block, not per row.
     */
    public static String iso(long epochNanos) {
        Object[] last = LAST.get();
        if (last != null && (Long) last[0] == epochNanos) {
            return (String) last[1];
        }
        String text = Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L))
                .toString();
        LAST.set(new Object[] {epochNanos, text});
        return text;
    }

    /**
     * Per thread: the last instant {@link #iso} wrote and its text. Platform classes only, so that the
     * request threads of the HTTP server, which outlive this bundle, never hold its class loader.
     */
    private static final ThreadLocal<Object[]> LAST = new ThreadLocal<>();

    /** A field that may be null: written as JSON null, never left out. */
    public static void nullable(JsonGenerator json, String name, Object value) throws IOException {
        json.writeFieldName(name);
        scalar(json, value);
    }

    /**
     * One alarm as an object, as {@code GET /api/v1/alarms} lists it; {@code now} for the time in alarm.
     * {@code quality} is the watched tag's ({@code GOOD}, or why the alarm cannot be evaluated, said in
     * {@code qualityDetail}, else null).
     */
    public static void alarm(JsonGenerator json, Alarm alarm, Instant now) throws IOException {
        var d = alarm.definition();
        json.writeStartObject();
        json.writeStringField("name", alarm.name());
        json.writeStringField("tag", alarm.tag());
        json.writeStringField("condition", d.condition().name());
        json.writeFieldName("limit");
        scalar(json, d.limit());
        json.writeFieldName("deadband");
        scalar(json, d.deadband());
        json.writeStringField("severity", d.severity().name());
        json.writeStringField("state", alarm.state().name());
        json.writeBooleanField("enabled", alarm.enabled());
        json.writeBooleanField("active", alarm.active());
        json.writeBooleanField("acked", alarm.acked());
        json.writeBooleanField("latched", alarm.latched());
        json.writeBooleanField("shelved", alarm.shelved());
        json.writeBooleanField("suppressed", alarm.suppressed());
        json.writeBooleanField("outOfService", alarm.outOfService());
        json.writeNumberField("flags", alarm.flags());
        json.writeFieldName("value");
        scalar(json, alarm.value());
        json.writeStringField("quality", alarm.quality().name());
        nullable(json, "qualityDetail", alarm.qualityDetail());
        instant(json, "activatedAt", alarm.activatedAt());
        instant(json, "ackedAt", alarm.ackedAt());
        instant(json, "clearedAt", alarm.clearedAt());
        instant(json, "shelvedUntil", alarm.shelvedUntil());
        nullable(json, "ackUser", alarm.ackUser());
        nullable(json, "ackComment", alarm.ackComment());
        if (alarm.shelved()) {
            json.writeBooleanField("oneShot", alarm.oneShot());
            nullable(json, "shelveUser", alarm.shelveUser());
            nullable(json, "shelveReason", alarm.shelveReason());
        }
        millis(json, "timeToAckMs", alarm.timeToAck());
        millis(json, "timeInAlarmMs", alarm.timeInAlarm(now));
        json.writeArrayFieldStart("unknown");
        for (String name : alarm.unknown().stream().sorted().toList()) {
            json.writeString(name);
        }
        json.writeEndArray();
        nullable(json, "message", d.message());
        json.writeBooleanField("requiresAck", d.requiresAck());
        json.writeBooleanField("latching", d.latching());
        json.writeNumberField("onDelayMs", d.onDelayMillis());
        json.writeNumberField("offDelayMs", d.offDelayMillis());
        json.writeNumberField("maxShelveSeconds", d.maxShelveSeconds());
        json.writeNumberField("sequence", alarm.sequence());
        json.writeEndObject();
    }

    /**
     * The fields of an alarm event (no braces, so that a caller adds its own): {@code event},
     * {@code kind}, {@code alarm}, {@code tag}, {@code value}, {@code severity}, {@code before},
     * {@code after}, {@code user}, {@code comment}, {@code timeToAckMs}, {@code timeInAlarmMs},
     * {@code sequence} (the alarm's own counter), {@code message}; absent ones are left out.
     *
     * @param kind how the event is labelled: {@code alarm} for a transition, {@code audit} for an action
     */
    public static void eventFields(JsonGenerator json, AlarmEvent e, String kind) throws IOException {
        json.writeStringField("event", e.type().name());
        json.writeStringField("kind", kind);
        json.writeStringField("alarm", e.alarm());
        if (e.tag() != null) {
            json.writeStringField("tag", e.tag());
        }
        if (e.value() instanceof Boolean || e.value() instanceof Number) {
            json.writeFieldName("value");
            scalar(json, e.value() instanceof Number n && !(n instanceof Long || n instanceof Float) ? n.doubleValue() : e.value());
        }
        json.writeStringField("severity", e.severity().name());
        json.writeStringField("before", e.before().name());
        json.writeStringField("after", e.after().name());
        if (e.user() != null) {
            json.writeStringField("user", e.user());
        }
        if (e.comment() != null) {
            json.writeStringField("comment", e.comment());
        }
        if (e.timeToAck() != null) {
            json.writeNumberField("timeToAckMs", e.timeToAck().toMillis());
        }
        if (e.timeInAlarm() != null) {
            json.writeNumberField("timeInAlarmMs", e.timeInAlarm().toMillis());
        }
        json.writeNumberField("sequence", e.sequence());
        if (e.message() != null) {
            json.writeStringField("message", e.message());
        }
    }

    private static void instant(JsonGenerator json, String name, Instant instant) throws IOException {
        if (instant == null) {
            json.writeNullField(name);
        } else {
            json.writeStringField(name, instant.toString());
        }
    }

    private static void millis(JsonGenerator json, String name, Duration duration) throws IOException {
        if (duration == null) {
            json.writeNullField(name);
        } else {
            json.writeNumberField(name, duration.toMillis());
        }
    }
}
