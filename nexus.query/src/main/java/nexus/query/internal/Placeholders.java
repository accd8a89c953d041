package nexus.query.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** The placeholder values of a query as JDBC binds them (SQLite holds integers, floats, text and NULL). */
final class Placeholders {

    private Placeholders() {
    }

    /**
     * The placeholder values as JDBC binds them: Long, Double, String or null, one per placeholder.
     *
     * @throws NexusException INVALID_ARGUMENT when the count differs from the SQL's placeholders or a
     *                        value is not a scalar SQLite can hold, naming its index
     */
    static List<Object> bindable(int placeholders, List<Object> params) {
        if (params.size() != placeholders) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the SQL has " + placeholders + " placeholder"
                    + (placeholders == 1 ? "" : "s") + " (?) but params has " + params.size() + " value"
                    + (params.size() == 1 ? "" : "s") + ": send one value per placeholder, in order");
        }
        List<Object> values = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            values.add(bindable(i, params.get(i)));
        }
        return values;
    }

    private static Object bindable(int index, Object value) {
        String at = "params[" + index + "]";
        if (value == null || value instanceof String || value instanceof Long) {
            return value;
        }
        if (value instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() < 64) {
                return big.longValue();
            }
            String digits = big.toString();
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, at + " is " + (digits.length() > 40
                    ? digits.substring(0, 20) + "…(" + digits.length() + " digits)" : digits) + ": whole numbers must fit 64 bits ("
                    + Long.MIN_VALUE + ".." + Long.MAX_VALUE + ")");
        }
        if (value instanceof BigDecimal decimal) {
            double d = decimal.doubleValue();
            if (Double.isInfinite(d)) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, at + " is " + shown(decimal) + ": beyond the range of a"
                        + " 64-bit float (±" + Double.MAX_VALUE + ")");
            }
            if (d == 0 && decimal.signum() != 0) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, at + " is " + shown(decimal) + ": too small for a 64-bit"
                        + " float, it would be 0 (the smallest is ±" + Double.MIN_VALUE + ")");
            }
            return d;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, at + " is not a finite number");
            }
            return d;
        }
        String kind = value instanceof Map ? "an object"
                : value instanceof Collection || value.getClass().isArray() ? "a list" : "a value of another kind";
        throw new NexusException(ErrorCode.INVALID_ARGUMENT, at + " is " + kind
                + ": a parameter is a string, a number, true, false or null");
    }

    private static String shown(BigDecimal decimal) {
        String text = decimal.toString();
        return text.length() > 40 ? text.substring(0, 20) + "…(" + text.length() + " characters)" : text;
    }
}
