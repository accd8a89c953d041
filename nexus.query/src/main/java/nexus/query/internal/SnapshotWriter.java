package nexus.query.internal;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import nexus.query.SnapshotFormat;

/**
 * Writes a snapshot file in one of its formats (docs/snapshot.md): a header, one line per tag, a
 * trailer; or, when the export fails part-way, an {@code error} line in place of the trailer, so a
 * reader sees why the file ends early. Both formats buffer what they write: the sink is flushed only by
 * {@link #flush()} (and {@link #failed}), never per line. Not thread-safe; flushes, never closes, the sink.
 */
abstract class SnapshotWriter {

    /** The format version of both formats. */
    static final int FORMAT = 1;

    /** The columns of a tag, in CSV order and JSON field order. */
    static final String COLUMNS = "path,type,value,quality,bank,sequence,ts";

    static SnapshotWriter of(SnapshotFormat format, OutputStream sink) throws IOException {
        return switch (format) {
            case JSONL -> new Jsonl(sink);
            case CSV -> new Csv(sink);
        };
    }

    abstract void header(long registryVersion, Instant created, long tags, String layoutHash) throws IOException;

    /**
     * @param value      Boolean, Long, Float, Double or String; null when the quality has none
     * @param writeNanos the bank's last write, nanoseconds since the epoch; 0 when unknown
     */
    abstract void tag(String path, String type, Object value, String quality, String bank, long sequence, long writeNanos)
            throws IOException;

    abstract void trailer(long tags, String layoutHash) throws IOException;

    /** Ends the file early, saying why (best effort: the sink may be what failed). */
    abstract void failed(String code, String message) throws IOException;

    abstract void flush() throws IOException;

    private long lastNanos;
    private String lastIso;

    /**
     * @return the time in ISO-8601 with nanoseconds, or null for 0 (never written); the tags of a block
     *         share their bank's write time, so the last one is kept
     */
    String iso(long epochNanos) {
        if (epochNanos == 0) {
            return null;
        }
        if (epochNanos != lastNanos || lastIso == null) {
            lastNanos = epochNanos;
            lastIso = Instant.ofEpochSecond(0, epochNanos).toString();
        }
        return lastIso;
    }

    /**
     * JSON lines; non-finite floats (JSON has none) are strings: "NaN", "Infinity", "-Infinity". Lines
     * are buffered and reach the sink when the buffer fills or the export flushes (a page at a time):
     * a flush per line made every tag its own HTTP chunk.
     */
    private static final class Jsonl extends SnapshotWriter {
        private static final JsonFactory JSON = JsonFactory.builder().build();
        private final JsonGenerator json;

        Jsonl(OutputStream sink) throws IOException {
            this.json = JSON.createGenerator(new BufferedOutputStream(sink, 1 << 16));
            json.setRootValueSeparator(null);
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        }

        @Override
        void header(long registryVersion, Instant created, long tags, String layoutHash) throws IOException {
            json.writeStartObject();
            json.writeStringField("snapshot", "nexus");
            json.writeNumberField("format", FORMAT);
            json.writeNumberField("registryVersion", registryVersion);
            json.writeStringField("created", created.toString());
            json.writeNumberField("tags", tags);
            json.writeStringField("layoutHash", layoutHash);
            end();
        }

        @Override
        void tag(String path, String type, Object value, String quality, String bank, long sequence, long writeNanos)
                throws IOException {
            json.writeStartObject();
            json.writeStringField("path", path);
            json.writeStringField("type", type);
            json.writeFieldName("value");
            if (value == null) {
                json.writeNull();
            } else if (value instanceof Boolean b) {
                json.writeBoolean(b);
            } else if (value instanceof Long l) {
                json.writeNumber(l);
            } else if (value instanceof Float f) {
                if (Float.isFinite(f)) {
                    json.writeNumber(f);
                } else {
                    json.writeString(f.toString());
                }
            } else if (value instanceof Double d) {
                if (Double.isFinite(d)) {
                    json.writeNumber(d);
                } else {
                    json.writeString(d.toString());
                }
            } else {
                json.writeString(value.toString());
            }
            json.writeStringField("quality", quality);
            json.writeStringField("bank", bank);
            json.writeNumberField("sequence", sequence);
            String ts = iso(writeNanos);
            if (ts == null) {
                json.writeNullField("ts");
            } else {
                json.writeStringField("ts", ts);
            }
            end();
        }

        @Override
        void trailer(long tags, String layoutHash) throws IOException {
            json.writeStartObject();
            json.writeBooleanField("end", true);
            json.writeNumberField("tags", tags);
            json.writeStringField("layoutHash", layoutHash);
            end();
        }

        @Override
        void failed(String code, String message) throws IOException {
            json.writeStartObject();
            json.writeStringField("error", code);
            json.writeStringField("detail", message);
            end();
            flush();
        }

        private void end() throws IOException {
            json.writeEndObject();
            json.writeRaw('\n');
        }

        @Override
        void flush() throws IOException {
            json.flush(); // the generator's buffer, then the BufferedOutputStream, then the sink
        }
    }

    /** CSV; see {@link CsvCells} for what is neutralised. */
    private static final class Csv extends SnapshotWriter {
        private final BufferedWriter out;

        Csv(OutputStream sink) {
            this.out = new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8), 1 << 16);
        }

        @Override
        void header(long registryVersion, Instant created, long tags, String layoutHash) throws IOException {
            out.write("#nexus-snapshot,format=" + FORMAT + ",registryVersion=" + registryVersion + ",created=" + created
                    + ",tags=" + tags + ",layoutHash=" + layoutHash + "\r\n");
            out.write(COLUMNS + "\r\n");
        }

        @Override
        void tag(String path, String type, Object value, String quality, String bank, long sequence, long writeNanos)
                throws IOException {
            out.write(CsvCells.path(path));
            out.write(',');
            out.write(type);
            out.write(',');
            if (value instanceof String text) {
                out.write(CsvCells.text(text));
            } else if (value instanceof Number) {
                out.write(CsvCells.number(value.toString()));
            } else if (value != null) {
                out.write(value.toString()); // true, false
            }
            out.write(',');
            out.write(quality);
            out.write(',');
            out.write(CsvCells.text(bank));
            out.write(',');
            out.write(Long.toString(sequence));
            out.write(',');
            String ts = iso(writeNanos);
            if (ts != null) {
                out.write(ts);
            }
            out.write("\r\n");
        }

        @Override
        void trailer(long tags, String layoutHash) throws IOException {
            out.write("#end,tags=" + tags + ",layoutHash=" + layoutHash + "\r\n");
        }

        @Override
        void failed(String code, String message) throws IOException {
            out.write("#error," + code + "," + CsvCells.text(message) + "\r\n");
            flush();
        }

        @Override
        void flush() throws IOException {
            out.flush();
        }
    }
}
