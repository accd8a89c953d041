package nexus.rma;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * Decodes and encodes values at allocations. Buffers are read and written with absolute indexes
 * and must be little-endian; {@code index} is where the allocation's first byte sits in the buffer
 * (the allocation's byte offset minus the offset the buffer was read from).
 *
 * <p>The primitive getters allocate nothing; {@link #decode} boxes its result. Encoding checks that
 * the value fits its type and throws {@code INVALID_ARGUMENT} naming the allocation and the limit
 * before it touches the buffer.
 */
public final class ValueCodec {

    private ValueCodec() {
    }

    /** @return the bit {@code bit} of the byte at {@code index} */
    public static boolean getBool(ByteBuffer buffer, int index, int bit) {
        return (buffer.get(index) & (1 << bit)) != 0;
    }

    /**
     * @return the integer of {@code type} at {@code index}, sign- or zero-extended to a long
     * @throws IllegalArgumentException if {@code type} is not an integer type
     */
    public static long getLong(ByteBuffer buffer, int index, RmaType type) {
        return switch (type) {
            case INT8 -> buffer.get(index);
            case INT16 -> buffer.getShort(index);
            case INT32 -> buffer.getInt(index);
            case INT64 -> buffer.getLong(index);
            case UINT8 -> buffer.get(index) & 0xFFL;
            case UINT16 -> buffer.getShort(index) & 0xFFFFL;
            case UINT32 -> buffer.getInt(index) & 0xFFFF_FFFFL;
            default -> throw new IllegalArgumentException(type + " is not an integer type");
        };
    }

    /**
     * @return the float of {@code type} at {@code index}
     * @throws IllegalArgumentException if {@code type} is not FLOAT32 or FLOAT64
     */
    public static double getDouble(ByteBuffer buffer, int index, RmaType type) {
        return switch (type) {
            case FLOAT32 -> buffer.getFloat(index);
            case FLOAT64 -> buffer.getDouble(index);
            default -> throw new IllegalArgumentException(type + " is not a float type");
        };
    }

    /** @return the UTF-8 text of the {@code length} bytes at {@code index}, up to the first NUL */
    public static String getString(ByteBuffer buffer, int index, int length) {
        int end = index;
        while (end < index + length && buffer.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - index];
        buffer.get(index, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * @return the value at the allocation: Boolean (BOOL), Long (integers), Float (FLOAT32),
     *         Double (FLOAT64) or String (STRING)
     */
    public static Object decode(ByteBuffer buffer, int index, Allocation allocation) {
        return decode(buffer, index, allocation.type(), allocation.bitOffset(), allocation.length());
    }

    /** As {@link #decode(ByteBuffer, int, Allocation)}, from the allocation's parts (no object needed). */
    public static Object decode(ByteBuffer buffer, int index, RmaType type, int bit, int length) {
        return switch (type) {
            case BOOL -> getBool(buffer, index, bit);
            case FLOAT32 -> buffer.getFloat(index);
            case FLOAT64 -> buffer.getDouble(index);
            case STRING -> getString(buffer, index, length);
            default -> getLong(buffer, index, type);
        };
    }

    /**
     * Writes {@code value} at {@code index}. BOOL changes only its bit of the byte at {@code index};
     * STRING writes all n bytes (the text, then NUL padding).
     *
     * @param value Boolean for BOOL; an integral Number (Long, Integer, BigInteger, a Double
     *              without fraction…) for integers; any Number for floats; a String for STRING
     * @throws NexusException INVALID_ARGUMENT when the value has the wrong kind or does not fit
     */
    public static void encode(Allocation allocation, Object value, ByteBuffer buffer, int index) {
        RmaType type = allocation.type();
        if (value == null) {
            throw invalid(allocation, "no value given");
        }
        switch (type) {
            case BOOL -> {
                int mask = 1 << allocation.bitOffset();
                byte old = buffer.get(index);
                buffer.put(index, (byte) (toBool(allocation, value) ? old | mask : old & ~mask));
            }
            case FLOAT32 -> {
                double d = toDouble(allocation, value);
                if (Double.isFinite(d) && Math.abs(d) > Float.MAX_VALUE) {
                    throw invalid(allocation, d + " is outside the FLOAT32 range (±" + Float.MAX_VALUE + ")");
                }
                buffer.putFloat(index, (float) d);
            }
            case FLOAT64 -> buffer.putDouble(index, toDouble(allocation, value));
            case STRING -> {
                if (!(value instanceof String text)) {
                    throw invalid(allocation, "STRING takes text, not " + describe(value));
                }
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                if (bytes.length > allocation.length()) {
                    throw invalid(allocation, "the text is " + bytes.length + " bytes of UTF-8; STRING("
                            + allocation.length() + ") holds at most " + allocation.length());
                }
                buffer.put(index, bytes);
                for (int i = bytes.length; i < allocation.length(); i++) {
                    buffer.put(index + i, (byte) 0);
                }
            }
            default -> {
                long v = toLong(allocation, value);
                switch (type) {
                    case INT8, UINT8 -> buffer.put(index, (byte) v);
                    case INT16, UINT16 -> buffer.putShort(index, (short) v);
                    case INT32, UINT32 -> buffer.putInt(index, (int) v);
                    default -> buffer.putLong(index, v);
                }
            }
        }
    }

    /**
     * Encodes a value into a new little-endian byte array of the allocation's length (for a write
     * through {@link RmaBackend#write(int, int, byte[], int, int)}); not for BOOL, whose write is a
     * single bit.
     */
    public static byte[] encode(Allocation allocation, Object value) {
        ByteBuffer buffer = ByteBuffer.allocate(allocation.length()).order(ByteOrder.LITTLE_ENDIAN);
        encode(allocation, value, buffer, 0);
        return buffer.array();
    }

    /**
     * Parses an operator's text into a value for the type: {@code true}/{@code false} (or 1/0) for
     * BOOL, decimal integers, decimal or scientific floats (and {@code NaN}, {@code Infinity}),
     * STRING as it is.
     *
     * @throws NexusException INVALID_ARGUMENT when the text is not a value of the type
     */
    public static Object parse(Allocation allocation, String text) {
        String t = text.strip();
        RmaType type = allocation.type();
        try {
            return switch (type) {
                case BOOL -> switch (t.toLowerCase(Locale.ROOT)) {
                    case "true", "1" -> Boolean.TRUE;
                    case "false", "0" -> Boolean.FALSE;
                    default -> throw invalid(allocation, "BOOL takes true or false, not '" + text + "'");
                };
                case FLOAT32, FLOAT64 -> Double.parseDouble(t);
                case STRING -> text;
                default -> new BigInteger(t);
            };
        } catch (NumberFormatException e) {
            throw invalid(allocation, "'" + text + "' is not " + (type.isInteger() ? "an integer" : "a number"));
        }
    }

    /**
     * @return the value of a BOOL write
     * @throws NexusException INVALID_ARGUMENT unless the value is a Boolean
     */
    public static boolean toBool(Allocation allocation, Object value) {
        if (value instanceof Boolean bool) {
            return bool;
        }
        throw invalid(allocation, "BOOL takes true or false, not " + (value == null ? "nothing" : describe(value)));
    }

    private static double toDouble(Allocation allocation, Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw invalid(allocation, allocation.type() + " takes a number, not " + describe(value));
    }

    private static long toLong(Allocation allocation, Object value) {
        RmaType type = allocation.type();
        BigInteger integer;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            integer = BigInteger.valueOf(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            integer = big;
        } else if (value instanceof Number number) {
            double d = number.doubleValue();
            if (!Double.isFinite(d)) {
                throw invalid(allocation, d + " is not a finite number: " + type + " takes an integer");
            }
            BigDecimal decimal = value instanceof BigDecimal bd ? bd : new BigDecimal(d);
            try {
                integer = decimal.toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw invalid(allocation, value + " has a fraction: " + type + " takes an integer");
            }
        } else {
            throw invalid(allocation, type + " takes an integer, not " + describe(value));
        }
        if (integer.compareTo(BigInteger.valueOf(type.minValue())) < 0
                || integer.compareTo(BigInteger.valueOf(type.maxValue())) > 0) {
            throw invalid(allocation, integer + " does not fit " + type + " (" + type.minValue() + ".."
                    + type.maxValue() + ")");
        }
        return integer.longValue();
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return "the text '" + s + "'";
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Number) {
            return "the number " + value;
        }
        if (value instanceof java.util.Map) {
            return "an object";
        }
        return value instanceof java.util.Collection ? "a list" : "a value of another kind";
    }

    private static NexusException invalid(Allocation allocation, String why) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, "cannot write " + allocation + ": " + why);
    }
}
