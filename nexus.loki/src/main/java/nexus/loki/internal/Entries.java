package nexus.loki.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import nexus.alarm.AlarmEvent;

/**
 * Turns alarm events into Loki entries: the stream's labels (the static ones, plus kind and severity
 * when configured), one JSON line per event, and a timestamp in nanoseconds that is distinct within
 * its stream (Loki keeps only one of two entries with the same timestamp and line, and events of one
 * scan share their millisecond). Thread-safe.
 */
final class Entries {

    private static final JsonFactory JSON = new JsonFactory();

    private final LokiSettings settings;
    private final Map<String, Long> lastNanos;

    Entries(LokiSettings settings) {
        this(settings, new HashMap<>());
    }

    /** @param lastNanos every stream's last timestamp; shared with the shippers before and after this one */
    Entries(LokiSettings settings, Map<String, Long> lastNanos) {
        this.settings = settings;
        this.lastNanos = lastNanos;
    }

    synchronized Entry of(AlarmEvent event, long number) {
        Map<String, String> stream = new LinkedHashMap<>(settings.labels());
        String kind = event.kind().name().toLowerCase(Locale.ROOT);
        if (settings.kindLabel()) {
            stream.put("kind", kind);
        }
        if (settings.severityLabel()) {
            stream.put("severity", event.severity().name().toLowerCase(Locale.ROOT));
        }
        String key = Entry.key(stream);
        Instant time = event.time();
        long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        Long last = lastNanos.get(key);
        if (last != null && nanos <= last) {
            nanos = last + 1;
        }
        lastNanos.put(key, nanos);
        return new Entry(number, java.util.Collections.unmodifiableMap(stream), key, nanos, line(event, kind),
                event.alarm(), event.tag());
    }

    /** Entries restored from the spool keep their timestamps; new ones must come after them. */
    synchronized void seen(String streamKey, long nanos) {
        lastNanos.merge(streamKey, nanos, Math::max);
    }

    static String line(AlarmEvent e, String kind) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("event", e.type().name());
            json.writeStringField("kind", kind);
            json.writeStringField("alarm", e.alarm());
            if (e.tag() != null) {
                json.writeStringField("tag", e.tag());
            }
            if (e.value() instanceof Boolean b) {
                json.writeBooleanField("value", b);
            } else if (e.value() instanceof Number n) {
                json.writeFieldName("value");
                if (n instanceof Long l) {
                    json.writeNumber(l);
                } else if (n instanceof Float f) {
                    json.writeNumber(f);
                } else {
                    json.writeNumber(n.doubleValue());
                }
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
            millis(json, "timeToAckMs", e.timeToAck());
            millis(json, "timeInAlarmMs", e.timeInAlarm());
            json.writeNumberField("sequence", e.sequence());
            if (e.message() != null) {
                json.writeStringField("message", e.message());
            }
            json.writeEndObject();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return text.toString();
    }

    private static void millis(JsonGenerator json, String name, Duration duration) throws IOException {
        if (duration != null) {
            json.writeNumberField(name, duration.toMillis());
        }
    }
}
