package nexus.api.http.internal;

/**
 * A float's text as {@link Float#toString(float)} gives it, written into a caller's buffer instead of a
 * new String: the query writers write every live FLOAT32 value of an answer, and a String per value was
 * most of what a 10,000-row JSON answer allocated (issue 18 item 2).
 *
 * <p>Only the common case is written here: zero, and magnitudes from 0.00101 to 9,999,000, which
 * {@code Float.toString} writes without an exponent. There its text is the shortest decimal that reads
 * back as the same float, the closest to it of those when several are as short (the even one on a
 * tie), with at least one digit after the point. This class finds that decimal with exact arithmetic:
 * for k = 0, 1, 2, … fraction digits it takes the two k-digit decimals around the value (its
 * value × 10<sup>k</sup> rounded down and up) and keeps the first k at which one of them lies in the
 * float's rounding interval. Every product is exact in a double: a float's 24-bit significand (25 bits
 * for the interval's ends) times 5<sup>k</sup> (at most 28 bits for k ≤ 12) fits in 53 bits. Anything
 * else (NaN, infinities, exponent forms) is left to the caller's usual path ({@link #write} answers -1).
 * {@code FloatTextTest} compares the texts with {@code Float.toString} over the whole range, on the
 * running JDK.
 *
 * <p>Stateless and thread-safe; the caller owns the buffer.
 */
final class FloatText {

    /** The most characters {@link #write} writes: a sign, 7 integer digits, the point, 12 fraction digits. */
    static final int MAX_CHARS = 24;

    private static final double LOWEST = 0.00101;
    private static final double HIGHEST = 9_999_000;
    private static final int MAX_FRACTION_DIGITS = 12;
    private static final double[] POW10 = new double[MAX_FRACTION_DIGITS + 1];
    /** 10<sup>0</sup> to 10<sup>9</sup>: the digit counts of an int's decimal. */
    private static final int[] INT_POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
        1_000_000_000};
    /** More significant digits than a float's shortest text has: never written here. */
    private static final double MAX_DIGITS = 1e9;

    static {
        double p = 1;
        for (int k = 0; k <= MAX_FRACTION_DIGITS; k++) {
            POW10[k] = p;
            p *= 10;
        }
    }

    private FloatText() {
    }

    /**
     * @param value any float
     * @param out   where the text goes, from index 0; at least {@link #MAX_CHARS} long
     * @return the number of characters written, or -1 when the value is not one this class writes
     *         (nothing is then written)
     */
    static int write(float value, char[] out) {
        int bits = Float.floatToRawIntBits(value);
        boolean negative = bits < 0;
        if (value == 0) {
            return zero(negative, out);
        }
        double a = Math.abs((double) value);
        if (!(a >= LOWEST && a < HIGHEST)) {
            return -1; // NaN fails both comparisons
        }
        // The rounding interval: half the gap to each neighbour; the gap below a power of two is half.
        double ulp = Math.ulp(value);
        double high = a + ulp / 2;
        double low = (bits & 0x7F_FFFF) == 0 ? a - ulp / 4 : a - ulp / 2;
        boolean closed = (bits & 1) == 0; // round half to even: an even significand owns its interval's ends
        for (int k = 0; k <= MAX_FRACTION_DIGITS; k++) {
            double scale = POW10[k];
            double scaled = a * scale;
            double down = Math.floor(scaled);
            double up = down == scaled ? down : down + 1;
            double lowScaled = low * scale;
            double highScaled = high * scale;
            boolean downIn = closed ? down >= lowScaled : down > lowScaled;
            boolean upIn = closed ? up <= highScaled : up < highScaled;
            if (downIn || upIn) {
                double digits;
                if (down == scaled || !upIn) {
                    digits = down; // exact at k digits, or only the one below is in
                } else if (!downIn) {
                    digits = up;
                } else {
                    double below = scaled - down;
                    double above = up - scaled;
                    digits = below < above ? down : above < below ? up : ((long) down & 1) == 0 ? down : up;
                }
                return digits < MAX_DIGITS ? plain(negative, (int) digits, k, out) : -1;
            }
        }
        return -1;
    }

    private static int zero(boolean negative, char[] out) {
        int n = 0;
        if (negative) {
            out[n++] = '-';
        }
        out[n++] = '0';
        out[n++] = '.';
        out[n++] = '0';
        return n;
    }

    /**
     * Writes digits × 10<sup>-fraction</sup> as {@code Float.toString} does, at least one digit each
     * side of the point; right to left in one pass, dividing by the constant 10 only (a float's
     * shortest text has at most 9 significant digits: they fit an int).
     */
    private static int plain(boolean negative, int digits, int fraction, char[] out) {
        int length = Math.max(digitCount(digits), fraction + 1);
        int end = (negative ? 1 : 0) + length + (fraction == 0 ? 2 : 1);
        int at = end - 1;
        if (fraction == 0) {
            out[at--] = '0';
            out[at--] = '.';
        }
        int rest = digits;
        for (int d = 0; d < length; d++) {
            if (d == fraction && fraction > 0) {
                out[at--] = '.';
            }
            out[at--] = (char) ('0' + rest % 10);
            rest /= 10;
        }
        if (negative) {
            out[0] = '-';
        }
        return end;
    }

    private static int digitCount(int number) {
        int count = 1;
        while (count < INT_POW10.length && number >= INT_POW10[count]) {
            count++;
        }
        return count;
    }
}
