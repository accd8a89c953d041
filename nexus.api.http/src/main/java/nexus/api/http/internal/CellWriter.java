package nexus.api.http.internal;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonGeneratorImpl;

import nexus.json.NexusJson;
import nexus.query.Quality;
import nexus.query.TagValue;

/**
 * Writes the cells and live values of one query answer without allocating per row (issue 18 item 2):
 * the bytes are those of {@link NexusJson#scalar} and {@link NexusJson#value}, but a FLOAT32 value's
 * text goes through {@link FloatText} into a buffer of this writer's (JSON only: CBOR writes floats as
 * 4 bytes), field and quality names are encoded once for the process, and the time text of a block's
 * rows, which share their bank's write time, is made and (in JSON) encoded once per block.
 *
 * <p>One per answer; not thread-safe.
 */
final class CellWriter {

    static final SerializedString VALUE = new SerializedString("value");
    static final SerializedString QUALITY = new SerializedString("quality");
    static final SerializedString TS = new SerializedString("ts");
    private static final SerializedString[] QUALITIES = new SerializedString[Quality.values().length];

    static {
        for (Quality quality : Quality.values()) {
            QUALITIES[quality.ordinal()] = new SerializedString(quality.name());
        }
    }

    private final JsonGenerator json;
    private final boolean text;
    private final char[] digits = new char[FloatText.MAX_CHARS];
    private long lastTime;
    private SerializableString lastText;

    CellWriter(JsonGenerator json) {
        this.json = json;
        // Jackson's JSON generators write a number as its text, and a SerializedString as bytes made once;
        // other formats (CBOR) encode numbers their own way and gain nothing from the pre-encoded text.
        this.text = json instanceof JsonGeneratorImpl;
    }

    /** A cell or a live value, as {@link NexusJson#scalar} writes it. */
    void scalar(Object value) throws IOException {
        if (value instanceof Float f && text) {
            int length = FloatText.write(f, digits);
            if (length >= 0) {
                json.writeRawValue(digits, 0, length);
                return;
            }
        }
        NexusJson.scalar(json, value);
    }

    /** The live fields {@code value}, {@code quality} and {@code ts}, as {@link NexusJson#value} writes them. */
    void live(TagValue value) throws IOException {
        json.writeFieldName(VALUE);
        scalar(value.value());
        json.writeFieldName(QUALITY);
        quality(value.quality());
        json.writeFieldName(TS);
        if (value.timestamp() == 0) {
            json.writeNull();
        } else if (text) {
            json.writeString(time(value.timestamp()));
        } else {
            json.writeString(NexusJson.iso(value.timestamp()));
        }
    }

    void quality(Quality quality) throws IOException {
        json.writeString(QUALITIES[quality.ordinal()]);
    }

    /** @return the ISO-8601 text of a time other than 0, encoded once while the rows repeat it */
    SerializableString time(long epochNanos) {
        if (lastText == null || epochNanos != lastTime) {
            lastTime = epochNanos;
            lastText = new SerializedString(NexusJson.iso(epochNanos));
        }
        return lastText;
    }
}
