package nexus.stream.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmEvent;
import nexus.json.NexusJson;

/**
 * The alarm feed's messages of docs/streams.md ({@code alarms} and {@code alarm}) as JSON text, and
 * the resume id ({@code <run>:<sequence>}) that Server-Sent Events send as {@code id:}. Stateless.
 */
final class AlarmMessages {

    /** With a codec, so that a request id (any JSON scalar) is echoed as the client sent it. */
    private static final JsonFactory JSON = new ObjectMapper().getFactory();

    private AlarmMessages() {
    }

    /**
     * The first message of a subscription that starts from the current list.
     *
     * @param gap why a resume was not possible (plain words), or null for a new subscription
     */
    static String list(JsonNode requestId, String subscription, String run, long sequence, List<Alarm> alarms,
            String gap, Instant now) {
        return write(json -> {
            first(json, requestId, subscription, run, sequence, false);
            if (gap != null) {
                json.writeStringField("gap", gap);
            }
            json.writeArrayFieldStart("alarms");
            for (Alarm alarm : alarms) {
                NexusJson.alarm(json, alarm, now);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** The first message of a subscription that resumes after {@code sequence}: the missed events follow. */
    static String resumed(JsonNode requestId, String subscription, String run, long sequence) {
        return write(json -> {
            first(json, requestId, subscription, run, sequence, true);
            json.writeEndObject();
        });
    }

    /** One {@code alarm} message: the event's feed position and time, and the event encoded once per entry. */
    static String alarm(String subscription, long seq, String run, AlarmRing.Entry entry) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("type", "alarm");
            json.writeStringField("subscription", subscription);
            json.writeNumberField("seq", seq);
            json.writeStringField("run", run);
            json.writeNumberField("sequence", entry.sequence());
            json.writeStringField("time", entry.event().time().toString());
            json.writeFieldName("event");
            json.writeRawValue(entry.json());
            json.writeEndObject();
        });
    }

    /**
     * The {@code event} object: the fields of the lines shipped to Loki, with the same {@code kind}
     * ({@code alarm} for a transition, {@code audit} for an operator's action).
     */
    static String event(AlarmEvent event) {
        return write(json -> {
            json.writeStartObject();
            NexusJson.eventFields(json, event, event.kind().name().toLowerCase(Locale.ROOT));
            json.writeEndObject();
        });
    }

    /** @return the id of a message at this feed position, as Server-Sent Events carry it ({@code Last-Event-ID}) */
    static String resumeId(String run, long sequence) {
        return run + ":" + sequence;
    }

    private static void first(JsonGenerator json, JsonNode requestId, String subscription, String run, long sequence,
            boolean resumed) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "alarms");
        if (requestId != null && !requestId.isNull() && !requestId.isMissingNode()) {
            json.writeFieldName("id");
            json.writeTree(requestId);
        }
        json.writeStringField("subscription", subscription);
        json.writeNumberField("seq", 1);
        json.writeStringField("run", run);
        json.writeNumberField("sequence", sequence);
        json.writeBooleanField("resumed", resumed);
    }

    private static String write(Body body) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail: only a bug gets here
        }
        return text.toString();
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }
}
