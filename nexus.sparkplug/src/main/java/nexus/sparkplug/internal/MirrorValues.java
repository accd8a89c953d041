package nexus.sparkplug.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import nexus.rma.Allocation;
import nexus.rma.RmaType;
import nexus.rma.ValueCodec;

/**
 * Values of a remote edge node's metrics (read by {@link DataTypes#value}) into its mirror, where they
 * must fit their type.
 *
 * <p>A STRING longer than its allocation is cut to the longest prefix of whole UTF-8 characters that
 * fits (a mirror shows what it can; the full text stays at the edge), and {@link #put} says so.
 */
final class MirrorValues {

    private MirrorValues() {
    }

    /**
     * Encodes a value into a draft of the mirror bank at its allocation (bank 0: the draft's index is
     * the byte offset).
     *
     * @return whether a STRING was cut to fit
     * @throws nexus.core.NexusException INVALID_ARGUMENT when the value does not fit the type (e.g. 300
     *                                   for an Int8); the draft is then unchanged
     */
    static boolean put(ByteBuffer draft, Allocation allocation, Object value) {
        Object fitting = value;
        boolean cut = false;
        if (allocation.type() == RmaType.STRING && value instanceof String text) {
            fitting = cut(text, allocation.length());
            cut = fitting != text;
        }
        ValueCodec.encode(allocation, fitting, draft, allocation.byteOffset());
        return cut;
    }

    /** @return the text itself when it fits {@code bytes} of UTF-8, else its longest fitting prefix of whole characters */
    static String cut(String text, int bytes) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= bytes) {
            return text;
        }
        int end = bytes;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8);
    }

}
