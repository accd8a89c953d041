package nexus.audit.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import nexus.core.AuditRecord;

/**
 * One journal line: an appended {@link AuditRecord} as one JSON object on one line, ending in a
 * CRC-32 of everything before it, so that a line torn by a crash or damaged on disk is recognised
 * and never read as a record. Field by field (absent: {@code null}):
 *
 * <pre>
 * {"v":1,"seq":42,"time":"2026-12-08T09:14:03.512Z","user":"alice","roles":["operator"],"source":"http 127.0.0.1",
 *  "target":"TAG","name":"site1/line9/tank2/setpoint","action":"write","before":21.5,"after":22.0,
 *  "result":"OK","refused":false,"detail":"…","crc":"5f1d3a9c"}
 * </pre>
 *
 * {@code crc} is the CRC-32 (eight lower-case hex digits) of the line's UTF-8 bytes up to, not
 * including, {@code ,"crc":}; it is always the last member. Values: booleans and numbers as JSON
 * booleans and numbers (a NaN or an infinity as a string), anything else as its text (an enum as
 * its name). JSON escapes every control character, so a record is always exactly one line.
 * Stateless and thread-safe.
 */
final class AuditLine {

    /** The format's version, the first member of every line. */
    static final int VERSION = 1;
    /** No line is longer than this many bytes: a longer record is refused, a longer line is damage. */
    static final int MAX_BYTES = 1 << 20;

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] CRC_MEMBER = ",\"crc\":\"".getBytes(StandardCharsets.US_ASCII);
    /** {@code ,"crc":"} + eight hex digits + {@code "}}. */
    private static final int CRC_TAIL = CRC_MEMBER.length + 8 + 2;

    private AuditLine() {
    }

    /**
     * @param record an appended record (with its sequence and time)
     * @return the line, ending in {@code \n}
     * @throws IllegalArgumentException when the line would be longer than {@link #MAX_BYTES}
     */
    static byte[] encode(AuditRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            JsonGenerator json = JSON.createGenerator(out);
            json.writeStartObject();
            json.writeNumberField("v", VERSION);
            json.writeNumberField("seq", record.sequence());
            json.writeStringField("time", record.time().toString());
            json.writeStringField("user", record.caller().user());
            if (!record.caller().roles().isEmpty()) {
                json.writeArrayFieldStart("roles");
                for (String role : record.caller().roles()) {
                    json.writeString(role);
                }
                json.writeEndArray();
            }
            json.writeStringField("source", record.caller().source());
            json.writeStringField("target", record.target().name());
            json.writeStringField("name", record.name());
            json.writeStringField("action", record.action());
            value(json, "before", record.before());
            value(json, "after", record.after());
            json.writeStringField("result", record.result());
            json.writeBooleanField("refused", record.refused());
            optional(json, "detail", record.detail());
            json.flush();
            CRC32 crc = new CRC32();
            crc.update(out.toByteArray());
            json.writeStringField("crc", String.format("%08x", crc.getValue()));
            json.writeEndObject();
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        out.write('\n');
        if (out.size() > MAX_BYTES) {
            throw new IllegalArgumentException("the audit record is " + out.size() + " bytes long as a journal line;"
                    + " the most is " + MAX_BYTES);
        }
        return out.toByteArray();
    }

    /**
     * Writes an audit value the way the journal and the sinks show it: booleans and numbers as such,
     * {@code null} left out, anything else as its text.
     */
    static void value(JsonGenerator json, String name, Object value) throws IOException {
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

    private static void optional(JsonGenerator json, String name, String text) throws IOException {
        if (text != null) {
            json.writeStringField(name, text);
        }
    }

    /**
     * Checks one line (without its {@code \n}): its CRC, then its JSON.
     *
     * @return the record's sequence, or -1 when the line is damaged (wrong CRC, not the format, no
     *         sequence): it must not be read as a record
     */
    static long sequence(byte[] bytes, int from, int to) {
        int length = to - from;
        if (length <= CRC_TAIL || length > MAX_BYTES || bytes[to - 1] != '}' || bytes[to - 2] != '"') {
            return -1;
        }
        int member = to - CRC_TAIL;
        for (int i = 0; i < CRC_MEMBER.length; i++) {
            if (bytes[member + i] != CRC_MEMBER[i]) {
                return -1;
            }
        }
        long stored;
        try {
            stored = Long.parseLong(new String(bytes, member + CRC_MEMBER.length, 8, StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, from, member - from);
        if (crc.getValue() != stored) {
            return -1;
        }
        return parsedSequence(bytes, from, length);
    }

    /** @return the top-level {@code seq} of a well-formed JSON object, or -1 */
    private static long parsedSequence(byte[] bytes, int from, int length) {
        long sequence = -1;
        try (JsonParser parser = JSON.createParser(bytes, from, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("seq".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                    sequence = parser.getLongValue();
                } else {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return -1;
            }
        } catch (IOException e) {
            return -1;
        }
        return sequence > 0 ? sequence : -1;
    }
}
