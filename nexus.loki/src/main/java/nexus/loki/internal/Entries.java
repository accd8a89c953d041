package nexus.loki.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import nexus.alarm.AlarmEvent;
import nexus.json.NexusJson;
import nexus.core.AuditRecord;

/**
 * Turns alarm events and audit records into Loki entries: the stream's labels (the static ones, plus
 * kind and severity when configured), one JSON line each, and a timestamp in nanoseconds that is
 * distinct within its stream (Loki keeps only one of two entries with the same timestamp and line,
 * and events of one scan share their millisecond). An audit record goes to the stream of kind
 * {@code audit} without a severity, its line starting with {@code "record":"audit"} (docs/audit.md).
 * An entry's line is built lazily (see {@link Entry}): on the sink's threads, not the publisher's.
 * Thread-safe.
 */
final class Entries {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Entries.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final String AUDIT = "audit";

    private final LokiSettings settings;
    private final Map<String, Long> lastNanos;
    /** The streams made so far, by kind and severity. Guarded by this. */
    private final Map<String, Stream> streams = new HashMap<>();

    Entries(LokiSettings settings) {
        this(settings, new HashMap<>());
    }

    /** @param lastNanos every stream's last timestamp; shared with the shippers before and after this one */
    Entries(LokiSettings settings, Map<String, Long> lastNanos) {
        this.settings = settings;
        this.lastNanos = lastNanos;
    }

    /**
     * An entry for an alarm event: its stream and timestamp now (the timestamp must follow the order
     * events are queued in), its line when the sink's thread first needs it.
     */
    synchronized Entry of(AlarmEvent event, long number) {
        String kind = event.kind().name().toLowerCase(Locale.ROOT);
        Stream stream = stream(kind, settings.severityLabel() ? event.severity().name().toLowerCase(Locale.ROOT) : null);
        return new Entry(number, stream.labels(), stream.key(), nanos(stream.key(), event.time()),
                () -> safely(() -> line(event, kind), "alarm event", event.sequence()), estimate(event), event.alarm(),
                event.tag(), Entry.Input.ALARM_EVENT);
    }

    /** An entry for an audit record, made as {@link #of(AlarmEvent, long)} makes one for an event. */
    synchronized Entry of(AuditRecord record, long number) {
        Stream stream = stream(AUDIT, null);
        boolean alarm = record.target() == AuditRecord.Target.ALARM;
        return new Entry(number, stream.labels(), stream.key(), nanos(stream.key(), record.time()),
                () -> safely(() -> line(record), "audit record", record.sequence()),
                estimate(record), alarm ? record.name() : null, alarm ? null : record.name(), Entry.Input.AUDIT_RECORD);
    }

    /** A stream's labels and their key; the few a sink has are made once. */
    private record Stream(Map<String, String> labels, String key) {
    }

    private Stream stream(String kind, String severity) {
        return streams.computeIfAbsent(severity == null ? kind : kind + '/' + severity, k -> {
            Map<String, String> labels = new LinkedHashMap<>(settings.labels());
            if (settings.kindLabel()) {
                labels.put("kind", kind);
            }
            if (severity != null) {
                labels.put("severity", severity);
            }
            return new Stream(Collections.unmodifiableMap(labels), Entry.key(labels));
        });
    }

    /**
     * Builds a line on the sink's thread. A value whose text throws must not stop that thread: the
     * entry ships with a line that says what could not be encoded, and the failure is logged.
     */
    private static String safely(java.util.function.Supplier<String> line, String input, long sequence) {
        try {
            return line.get();
        } catch (RuntimeException e) {
            String what = input + " " + sequence;
            LOG.error("Loki sink: {} cannot be encoded as JSON ({}); it is shipped without its fields", what, e.toString());
            StringWriter text = new StringWriter(128);
            try (JsonGenerator json = JSON.createGenerator(text)) {
                json.writeStartObject();
                json.writeStringField("unencodable", what);
                json.writeStringField("error", e.toString());
                json.writeEndObject();
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
            return text.toString();
        }
    }

    /** @return an event's line length, roughly: its names and texts plus the rest of the line, never built */
    static int estimate(AlarmEvent e) {
        return 160 + length(e.alarm()) + length(e.tag()) + length(e.user()) + length(e.comment()) + length(e.message());
    }

    /** @return a record's line length, roughly (values left out: their text may cost what the line does) */
    static int estimate(AuditRecord r) {
        return 200 + length(r.caller().user()) + length(String.join(",", r.caller().roles())) + length(r.caller().source())
                + length(r.name()) + length(r.action()) + length(r.result()) + length(r.detail());
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }

    /** @return the time in nanoseconds, moved past the stream's last timestamp when it is not after it */
    private long nanos(String key, Instant time) {
        long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        Long last = lastNanos.get(key);
        if (last != null && nanos <= last) {
            nanos = last + 1;
        }
        lastNanos.put(key, nanos);
        return nanos;
    }

    /** Entries restored from the spool keep their timestamps; new ones must come after them. */
    synchronized void seen(String streamKey, long nanos) {
        lastNanos.merge(streamKey, nanos, Math::max);
    }

    static String line(AlarmEvent e, String kind) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            NexusJson.eventFields(json, e, kind);
            json.writeEndObject();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return text.toString();
    }

    /**
     * An audit record's line: {@code record} and {@code kind} ({@code audit}), then the record's
     * fields as the journal names them ({@code sequence} for its {@code seq}); absent fields are left out.
     */
    static String line(AuditRecord r) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("record", AUDIT);
            json.writeStringField("kind", AUDIT);
            json.writeNumberField("sequence", r.sequence());
            json.writeStringField("user", r.caller().user());
            if (!r.caller().roles().isEmpty()) {
                json.writeArrayFieldStart("roles");
                for (String role : r.caller().roles()) {
                    json.writeString(role);
                }
                json.writeEndArray();
            }
            json.writeStringField("source", r.caller().source());
            json.writeStringField("target", r.target().name());
            json.writeStringField("name", r.name());
            json.writeStringField("action", r.action());
            value(json, "before", r.before());
            value(json, "after", r.after());
            json.writeStringField("result", r.result());
            json.writeBooleanField("refused", r.refused());
            if (r.detail() != null) {
                json.writeStringField("detail", r.detail());
            }
            json.writeEndObject();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return text.toString();
    }

    /** A value as the audit journal shows it: booleans and numbers as such, anything else as its text. */
    private static void value(JsonGenerator json, String name, Object value) throws IOException {
        if (value == null) {
            return;
        }
        json.writeFieldName(name);
        if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Float f) {
            json.writeNumber(f);
        } else if (value instanceof BigInteger i) {
            json.writeNumber(i);
        } else if (value instanceof BigDecimal d) {
            json.writeNumber(d);
        } else if (value instanceof Number n) {
            json.writeNumber(n.doubleValue());
        } else if (value instanceof Enum<?> e) {
            json.writeString(e.name());
        } else {
            json.writeString(value.toString());
        }
    }

    private static void millis(JsonGenerator json, String name, Duration duration) throws IOException {
        if (duration != null) {
            json.writeNumberField(name, duration.toMillis());
        }
    }
}
