package nexus.loki.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The body of a push, Loki's JSON format:
 * {@code {"streams": [{"stream": {labels}, "values": [["<ns>", "<line>", {"alarm": …, "tag": …}], …]}]}}
 * (each metadata member only when the entry has it),
 * entries grouped by stream in the order they came, timestamps as strings of nanoseconds, gzip-compressed.
 */
final class PushBody {

    private static final JsonFactory JSON = new JsonFactory();

    private PushBody() {
    }

    /** @param metadata whether to send alarm and tag as structured metadata */
    static byte[] gzip(List<Entry> entries, boolean metadata) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + entries.size() * 128);
        try (OutputStream gzip = new GZIPOutputStream(bytes, 8192)) {
            write(gzip, entries, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void write(OutputStream out, List<Entry> entries, boolean metadata) throws IOException {
        Map<String, List<Entry>> streams = new LinkedHashMap<>();
        for (Entry entry : entries) {
            streams.computeIfAbsent(entry.streamKey(), k -> new ArrayList<>()).add(entry);
        }
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeArrayFieldStart("streams");
            for (List<Entry> stream : streams.values()) {
                json.writeStartObject();
                json.writeObjectFieldStart("stream");
                for (Map.Entry<String, String> label : stream.get(0).stream().entrySet()) {
                    json.writeStringField(label.getKey(), label.getValue());
                }
                json.writeEndObject();
                json.writeArrayFieldStart("values");
                for (Entry entry : stream) {
                    json.writeStartArray();
                    json.writeString(Long.toString(entry.nanos()));
                    json.writeString(entry.line());
                    if (metadata) {
                        json.writeStartObject();
                        if (entry.alarm() != null) {
                            json.writeStringField("alarm", entry.alarm());
                        }
                        if (entry.tag() != null) {
                            json.writeStringField("tag", entry.tag());
                        }
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }
}
