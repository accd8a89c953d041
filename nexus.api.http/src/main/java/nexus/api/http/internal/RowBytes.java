package nexus.api.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;

import nexus.json.NexusJson;
import nexus.query.Quality;
import nexus.query.QueryResult;
import nexus.query.TagValue;

/**
 * The rows of a repeated JSON rows answer written as bytes straight to the response (issue 18 item
 * 2): every row's metadata is text {@link RowFragments} keeps, and its live value, quality and time
 * are a handful of known forms, so the generator's per-token bookkeeping (field-name state, comma
 * state, escaping checks) is work without a purpose there. The bytes are exactly those
 * {@link QueryAnswers#rows} writes through the generator; {@code RowBytesTest} compares them with the
 * old writer's.
 *
 * <p>The common live values are written here: absent, a Boolean, a Long or Integer, a Float whose text
 * {@link FloatText} writes, a finite Double ({@code Double.toString}, as Jackson writes it while its
 * fast writer is off, as in Nexus). Any other (a string, NaN, a float in exponent form) goes
 * through a generator of the same factory as the answer's, on a buffer of this writer's, so its text
 * is the generator's own, escaping and number forms included.
 *
 * <p>One per answer; not thread-safe.
 */
final class RowBytes {

    private static final byte[] VALUE = bytes(",\"value\":");
    private static final byte[] QUALITY = bytes(",\"quality\":\"");
    private static final byte[] TS = bytes("\",\"ts\":");
    private static final byte[] NULL = bytes("null");
    private static final byte[] TRUE = bytes("true");
    private static final byte[] FALSE = bytes("false");
    private static final byte[][] QUALITIES = new byte[Quality.values().length][];

    static {
        for (Quality quality : Quality.values()) {
            QUALITIES[quality.ordinal()] = bytes(quality.name());
        }
    }

    /** Room for the longest text {@link #value} writes into the buffer itself (a long's, a float's). */
    private static final int SLACK = 32;

    private final OutputStream out;
    private final byte[] buffer = new byte[32 * 1024];
    private final char[] digits = new char[FloatText.MAX_CHARS];
    private int length;
    private long lastTime;
    private byte[] lastText;

    private final JsonFactory factory;
    /** The generator for the values not written here, made at the first one; it writes into {@link #other}. */
    private JsonGenerator scratch;
    private Scratch other;

    private RowBytes(OutputStream out, JsonFactory factory) {
        this.out = out;
        this.factory = factory;
    }

    /** @return whether every row's metadata is kept text, so that {@link #write} can write the answer's rows */
    static boolean writable(List<QueryResult.Row> rows, RowFragments.Kept kept) {
        for (int r = 0; r < rows.size(); r++) {
            if (kept.rest(r, rows.get(r).cells()) == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the rows, separated by commas, as the content of the {@code rows} array; the caller has
     * flushed the generator before and writes the array's end after.
     *
     * @param firstName the first column's name, as the generator writes it (quoted, escaped)
     */
    static void write(OutputStream out, JsonFactory factory, SerializableString firstName, List<QueryResult.Row> rows,
            RowFragments.Kept kept) throws IOException {
        RowBytes writer = new RowBytes(out, factory);
        byte[] name = firstName.asQuotedUTF8();
        for (int r = 0; r < rows.size(); r++) {
            QueryResult.Row row = rows.get(r);
            if (r > 0) {
                writer.put((byte) ',');
            }
            writer.put((byte) '{');
            writer.put((byte) '"');
            writer.put(name);
            writer.put((byte) '"');
            writer.put((byte) ':');
            writer.put(kept.rest(r, row.cells()).asUnquotedUTF8());
            if (row.tag() != null) {
                writer.live(row.tag());
            }
            writer.put((byte) '}');
        }
        writer.flush();
    }

    private void live(TagValue tag) throws IOException {
        put(VALUE);
        value(tag.value());
        put(QUALITY);
        put(QUALITIES[tag.quality().ordinal()]);
        put(TS);
        long time = tag.timestamp();
        if (time == 0) {
            put(NULL);
            return;
        }
        if (lastText == null || time != lastTime) {
            lastTime = time;
            lastText = bytes(NexusJson.iso(time));
        }
        put((byte) '"');
        put(lastText);
        put((byte) '"');
    }

    private void value(Object value) throws IOException {
        ensure(SLACK);
        int n;
        if (value == null) {
            put(NULL);
        } else if (value instanceof Boolean b) {
            put(b ? TRUE : FALSE);
        } else if (value instanceof Long l) {
            ascii(Long.toString(l));
        } else if (value instanceof Integer i) {
            ascii(Integer.toString(i));
        } else if (value instanceof Float f && (n = FloatText.write(f, digits)) >= 0) {
            for (int k = 0; k < n; k++) {
                buffer[length++] = (byte) digits[k];
            }
        } else if (value instanceof Double d && Double.isFinite(d)) {
            ascii(Double.toString(d)); // Jackson's text of a double, its fast writer being off
        } else {
            generated(value);
        }
    }

    /** A value as the generator writes it: as an element of an array its generator keeps open. */
    private void generated(Object value) throws IOException {
        if (scratch == null) {
            other = new Scratch();
            scratch = factory.createGenerator(other, JsonEncoding.UTF8);
            scratch.writeStartArray();
            scratch.flush();
            other.reset();
        }
        NexusJson.scalar(scratch, value);
        scratch.flush();
        // Every element after the first starts with the array's comma.
        int skip = other.first ? 0 : 1;
        other.first = false;
        put(other.bytes(), skip, other.size() - skip);
        other.reset();
    }

    /** The generator's output, read in place. */
    private static final class Scratch extends ByteArrayOutputStream {
        boolean first = true;

        byte[] bytes() {
            return buf;
        }
    }

    private void ascii(String text) {
        for (int k = 0; k < text.length(); k++) {
            buffer[length++] = (byte) text.charAt(k);
        }
    }

    private void put(byte b) throws IOException {
        ensure(1);
        buffer[length++] = b;
    }

    private void put(byte[] bytes) throws IOException {
        put(bytes, 0, bytes.length);
    }

    private void put(byte[] bytes, int from, int count) throws IOException {
        if (count > buffer.length - length) {
            flush();
            if (count > buffer.length) {
                out.write(bytes, from, count);
                return;
            }
        }
        System.arraycopy(bytes, from, buffer, length, count);
        length += count;
    }

    private void ensure(int room) throws IOException {
        if (buffer.length - length < room) {
            flush();
        }
    }

    private void flush() throws IOException {
        if (length > 0) {
            out.write(buffer, 0, length);
            length = 0;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
