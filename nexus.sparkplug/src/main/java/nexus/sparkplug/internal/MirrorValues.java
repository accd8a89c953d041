package nexus.sparkplug.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;

import nexus.rma.Allocation;
import nexus.rma.RmaType;
import nexus.rma.ValueCodec;

/**
 * Values of a remote edge node's metrics, into its mirror. Any Sparkplug 3.0 edge is understood, not
 * only ours: an integer of any width is taken from {@code int_value} or {@code long_value} (Eclipse
 * Tahu puts a UInt32 in {@code long_value}; the specification says {@code int_value}, where an unsigned
 * value is read unsigned), and the value must then fit its type.
 *
 * <p>A STRING longer than its allocation is cut to the longest prefix of whole UTF-8 characters that
 * fits (a mirror shows what it can; the full text stays at the edge), and {@link #put} says so.
 */
final class MirrorValues {

    private MirrorValues() {
    }

    /**
     * @return the metric's value as ValueCodec takes it (Boolean, Long, Float, Double, String), or
     *         {@code null} when the metric says {@code is_null}
     * @throws IllegalArgumentException when the metric carries no value of its datatype (the message
     *                                  names what it carries)
     */
    static Object value(Metric metric, DataType datatype) {
        if (metric.getIsNull()) {
            return null;
        }
        Metric.ValueCase held = metric.getValueCase();
        return switch (datatype) {
            case Boolean -> held == Metric.ValueCase.BOOLEAN_VALUE ? (Object) metric.getBooleanValue() : mismatch(held, datatype);
            case Int8, Int16, Int32 -> held == Metric.ValueCase.INT_VALUE ? (Object) (long) metric.getIntValue()
                    : held == Metric.ValueCase.LONG_VALUE ? (Object) metric.getLongValue() : mismatch(held, datatype);
            case UInt8, UInt16, UInt32 -> held == Metric.ValueCase.INT_VALUE ? (Object) Integer.toUnsignedLong(metric.getIntValue())
                    : held == Metric.ValueCase.LONG_VALUE ? (Object) metric.getLongValue() : mismatch(held, datatype);
            case Int64, UInt64, DateTime -> held == Metric.ValueCase.LONG_VALUE ? (Object) metric.getLongValue()
                    : held == Metric.ValueCase.INT_VALUE ? (Object) (long) metric.getIntValue() : mismatch(held, datatype);
            case Float -> held == Metric.ValueCase.FLOAT_VALUE ? (Object) metric.getFloatValue() : mismatch(held, datatype);
            case Double -> held == Metric.ValueCase.DOUBLE_VALUE ? (Object) metric.getDoubleValue() : mismatch(held, datatype);
            case String, Text, UUID -> held == Metric.ValueCase.STRING_VALUE ? (Object) metric.getStringValue()
                    : mismatch(held, datatype);
            default -> throw new IllegalArgumentException("datatype " + datatype + " is not mirrored");
        };
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

    private static Object mismatch(Metric.ValueCase held, DataType datatype) {
        throw new IllegalArgumentException("a " + datatype + " metric carries "
                + held.name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
}
