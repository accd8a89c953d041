package nexus.query.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Tag;
import nexus.rma.RmaType;

/**
 * What a value must be to be written to a tag, decided in one function before anything touches
 * RMA: the type and range rules of {@link nexus.query.TagService#write}, the same for every
 * front-end. The value is what a front-end parsed from its client: Boolean, Long, BigInteger,
 * BigDecimal (every decimal, kept exact), Double, String, null, or a Map/List for objects and arrays
 * (refused with a message that names them).
 *
 * <table>
 * <caption>The rules per type</caption>
 * <tr><th>Type</th><th>Takes</th><th>Refused</th></tr>
 * <tr><td>BOOL</td><td>true, false</td><td>numbers (also 1/0), text</td></tr>
 * <tr><td>INT8 … INT64, UINT8 … UINT32</td><td>a whole number in the type's range; a decimal
 * without fraction counts ({@code 1e3} is 1000, {@code 2.0} is 2)</td><td>a fraction ({@code 1.5}),
 * a number outside the range, text</td></tr>
 * <tr><td>FLOAT32, FLOAT64</td><td>any number the type can hold, rounded to the nearest value of
 * the type; subnormal values are kept</td><td>beyond the largest finite value (it would become
 * Infinity), a non-zero value so small it would become 0, text</td></tr>
 * <tr><td>STRING(n)</td><td>text of at most n bytes of UTF-8</td><td>longer text, a NUL character
 * (the field is NUL-padded: a NUL would cut the text), an unpaired surrogate (not Unicode text),
 * numbers</td></tr>
 * </table>
 *
 * <p>Numbers must also lie within the tag's engineering range when it has one. Every refusal is
 * {@code INVALID_ARGUMENT} naming the tag, its type and the limit.
 */
final class WriteRules {

    private WriteRules() {
    }

    /**
     * @return the value to write: Boolean (BOOL), Long (integers), Float (FLOAT32), Double (FLOAT64)
     *         or String (STRING)
     * @throws NexusException INVALID_ARGUMENT when the value is not one the tag can hold
     */
    static Object checked(Tag tag, Object value) {
        RmaType type = tag.allocation().type();
        if (value == null) {
            throw refused(tag, "no value given (null): send " + expected(tag));
        }
        Object result = switch (type) {
            case BOOL -> {
                if (value instanceof Boolean b) {
                    yield b;
                }
                throw refused(tag, "BOOL takes true or false, not " + describe(value));
            }
            case STRING -> text(tag, value);
            case FLOAT32, FLOAT64 -> floating(tag, type, decimal(tag, value));
            default -> integer(tag, type, decimal(tag, value));
        };
        if (value instanceof Number) {
            engineeringRange(tag, decimal(tag, value));
        }
        return result;
    }

    private static String text(Tag tag, Object value) {
        if (!(value instanceof String text)) {
            throw refused(tag, "STRING takes text, not " + describe(value));
        }
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            throw refused(tag, "the text has a NUL character (U+0000) at position " + nul + ": STRING values are"
                    + " NUL-padded, so a NUL would cut the text there");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw refused(tag, "the text has an unpaired surrogate (\\u" + Integer.toHexString(c) + ") at position " + i
                        + ": it is not Unicode text and has no UTF-8 form");
            }
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        int length = tag.allocation().length();
        if (bytes > length) {
            throw refused(tag, "the text is " + bytes + " bytes of UTF-8; STRING(" + length + ") holds at most " + length);
        }
        return text;
    }

    private static BigDecimal decimal(Tag tag, Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw refused(tag, d + " is not a number " + tag.allocation().type() + " can hold");
            }
            return new BigDecimal(d);
        }
        throw refused(tag, tag.allocation().type() + " takes a number, not " + describe(value));
    }

    private static Long integer(Tag tag, RmaType type, BigDecimal value) {
        String range = type + "'s range " + type.minValue() + ".." + type.maxValue();
        BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        if (stripped.scale() > 0) {
            throw refused(tag, shown(value) + " has a fraction: " + type + " takes a whole number");
        }
        // Digits before the point, known without building the number: 1e999999999 stays cheap.
        if (stripped.precision() - stripped.scale() > 20) {
            throw refused(tag, shown(value) + " is outside " + range);
        }
        BigInteger whole = stripped.toBigIntegerExact();
        if (whole.compareTo(BigInteger.valueOf(type.minValue())) < 0 || whole.compareTo(BigInteger.valueOf(type.maxValue())) > 0) {
            throw refused(tag, whole + " is outside " + range);
        }
        return whole.longValue();
    }

    private static Object floating(Tag tag, RmaType type, BigDecimal value) {
        boolean single = type == RmaType.FLOAT32;
        // Rounded to the nearest value of the type: beyond the largest finite one that is Infinity.
        double d = value.doubleValue();
        if (single ? Float.isInfinite((float) d) : Double.isInfinite(d)) {
            throw refused(tag, shown(value) + " is outside " + type + "'s range ±"
                    + (single ? String.valueOf(Float.MAX_VALUE) : String.valueOf(Double.MAX_VALUE)));
        }
        if ((single ? (float) d == 0f : d == 0d) && value.signum() != 0) {
            throw refused(tag, shown(value) + " is too small for " + type + ": it would be stored as 0; the smallest"
                    + " non-zero " + type + " is ±" + (single ? String.valueOf(Float.MIN_VALUE) : String.valueOf(Double.MIN_VALUE)));
        }
        return single ? (Object) (float) d : (Object) d;
    }

    /** A number as the client wrote it, in plain digits unless that would be long (1E+400 stays short). */
    private static String shown(BigDecimal value) {
        String text = Math.abs(value.scale()) > 30 ? value.toString() : value.toPlainString();
        return text.length() > 40 ? text.substring(0, 20) + "…(" + text.length() + " characters)" : text;
    }

    private static void engineeringRange(Tag tag, BigDecimal v) {
        if (tag.engLow() != null && v.compareTo(BigDecimal.valueOf(tag.engLow())) < 0
                || tag.engHigh() != null && v.compareTo(BigDecimal.valueOf(tag.engHigh())) > 0) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "cannot write " + tag.path() + ": " + shown(v)
                    + " is outside its engineering range " + (tag.engLow() == null ? "" : number(tag.engLow())) + ".."
                    + (tag.engHigh() == null ? "" : number(tag.engHigh())) + (tag.unit() == null ? "" : " " + tag.unit()));
        }
    }

    /** A range end as an operator wrote it: {@code 100}, not {@code 100.0}. */
    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }

    private static String expected(Tag tag) {
        RmaType type = tag.allocation().type();
        return switch (type) {
            case BOOL -> "true or false";
            case STRING -> "text of at most " + tag.allocation().length() + " bytes";
            case FLOAT32, FLOAT64 -> "a number";
            default -> "a whole number from " + type.minValue() + " to " + type.maxValue();
        };
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return "the text \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Number) {
            return "the number " + value;
        }
        if (value instanceof Map) {
            return "an object";
        }
        return value instanceof Collection ? "a list" : "a value of another kind";
    }

    private static NexusException refused(Tag tag, String why) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, "cannot write " + tag.path() + " (" + type(tag) + "): " + why);
    }

    private static String type(Tag tag) {
        RmaType type = tag.allocation().type();
        return type == RmaType.STRING ? "STRING(" + tag.allocation().length() + ")" : type.name();
    }
}
