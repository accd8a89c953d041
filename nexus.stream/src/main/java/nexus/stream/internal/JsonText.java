package nexus.stream.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;

/** Small pieces of JSON text that the engine's messages are assembled from. */
final class JsonText {

    private JsonText() {
    }

    /** @return the text as a JSON string literal, quotes included; {@code null} as JSON null */
    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, out);
        return out.append('"').toString();
    }

    /** @return a client's request id as JSON (its string or number as sent), {@code null} as JSON null */
    static String id(JsonNode id) {
        return id == null || id.isNull() ? "null" : id.toString();
    }

    /**
     * @return the number of bytes the text takes in UTF-8 (what the outbound buffer counts), without
     *         encoding it
     */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
