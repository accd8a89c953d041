package nexus.sparkplug.internal;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;

import nexus.rma.RmaType;

/**
 * RMA types as Sparkplug B datatypes (specification 3.0, 6.4.16) and values in and out of a
 * metric: signed integers up to 32 bits travel in {@code int_value} as two's complement, 64-bit
 * ones in {@code long_value}, unsigned 32-bit values in {@code int_value} read back unsigned.
 */
final class DataTypes {

    private DataTypes() {
    }

    /** @return the Sparkplug datatype a tag of this RMA type is published as */
    static DataType of(RmaType type) {
        return switch (type) {
            case BOOL -> DataType.Boolean;
            case INT8 -> DataType.Int8;
            case INT16 -> DataType.Int16;
            case INT32 -> DataType.Int32;
            case INT64 -> DataType.Int64;
            case UINT8 -> DataType.UInt8;
            case UINT16 -> DataType.UInt16;
            case UINT32 -> DataType.UInt32;
            case FLOAT32 -> DataType.Float;
            case FLOAT64 -> DataType.Double;
            case STRING -> DataType.String;
        };
    }

    /**
     * Sets a metric's value, or {@code is_null} for {@code null}.
     *
     * @param value a tag value as read: Boolean, Long, Float, Double or String
     * @throws IllegalArgumentException when the value does not suit the datatype
     */
    static Metric.Builder setValue(Metric.Builder metric, DataType type, Object value) {
        if (value == null) {
            return metric.setIsNull(true);
        }
        switch (type) {
            case Boolean -> metric.setBooleanValue(bool(value));
            case Int8, Int16, Int32, UInt8, UInt16, UInt32 -> metric.setIntValue((int) number(value).longValue());
            case Int64, UInt64, DateTime -> metric.setLongValue(number(value).longValue());
            case Float -> metric.setFloatValue(number(value).floatValue());
            case Double -> metric.setDoubleValue(number(value).doubleValue());
            case String, Text, UUID -> metric.setStringValue(value.toString());
            default -> throw new IllegalArgumentException("datatype " + type + " is not one RMA Nexus publishes");
        }
        return metric;
    }

    /**
     * Reads a metric's value, from any Sparkplug 3.0 peer, not only RMA Nexus: an integer of any width
     * is taken from {@code int_value} or {@code long_value} (Eclipse Tahu 1.0.14 puts a UInt32 in
     * {@code long_value}; the specification says {@code int_value}, where an unsigned value is read
     * unsigned). Nothing is narrowed: a value outside its type's range (300 for an Int8) comes back as
     * sent, for whoever writes it (the tag service, a mirror) to refuse rather than wrap around. The
     * edge's commands and the host's mirror read values here alike.
     *
     * @return the metric's value as Java: Boolean, Long (every integer type and DateTime), Float,
     *         Double or String; {@code null} when the metric says {@code is_null}
     * @throws IllegalArgumentException when the metric carries no value of its datatype (the message
     *                                  names what it carries), or the datatype is one RMA Nexus does not map
     */
    static Object value(Metric metric, DataType type) {
        if (metric.getIsNull()) {
            return null;
        }
        Metric.ValueCase held = metric.getValueCase();
        return switch (type) {
            case Boolean -> held == Metric.ValueCase.BOOLEAN_VALUE ? (Object) metric.getBooleanValue() : mismatch(held, type);
            case Int8, Int16, Int32 -> held == Metric.ValueCase.INT_VALUE ? (Object) (long) metric.getIntValue()
                    : held == Metric.ValueCase.LONG_VALUE ? (Object) metric.getLongValue() : mismatch(held, type);
            case UInt8, UInt16, UInt32 -> held == Metric.ValueCase.INT_VALUE ? (Object) Integer.toUnsignedLong(metric.getIntValue())
                    : held == Metric.ValueCase.LONG_VALUE ? (Object) metric.getLongValue() : mismatch(held, type);
            case Int64, UInt64, DateTime -> held == Metric.ValueCase.LONG_VALUE ? (Object) metric.getLongValue()
                    : held == Metric.ValueCase.INT_VALUE ? (Object) (long) metric.getIntValue() : mismatch(held, type);
            case Float -> held == Metric.ValueCase.FLOAT_VALUE ? (Object) metric.getFloatValue() : mismatch(held, type);
            case Double -> held == Metric.ValueCase.DOUBLE_VALUE ? (Object) metric.getDoubleValue() : mismatch(held, type);
            case String, Text, UUID -> held == Metric.ValueCase.STRING_VALUE ? (Object) metric.getStringValue()
                    : mismatch(held, type);
            default -> throw new IllegalArgumentException("datatype " + type + " is not one RMA Nexus maps to a tag");
        };
    }

    private static Object mismatch(Metric.ValueCase held, DataType type) {
        throw new IllegalArgumentException("a " + type + " metric carries "
                + held.name().toLowerCase(java.util.Locale.ROOT));
    }

    private static boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("a Boolean metric needs true or false, not " + value);
    }

    private static Number number(Object value) {
        if (value instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("a numeric metric needs a number, not " + value);
    }
}
