package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link FloatText} writes {@code Float.toString}'s text, on the JDK that runs the test, or nothing. */
class FloatTextTest {

    private final char[] out = new char[FloatText.MAX_CHARS];

    @Test
    void writesFloatToStringsTextForCommonValues() {
        for (float f : new float[] {0f, -0f, 0.25f, 1.1f, 23.7f, -3.14159f, 100f, 0.00101f, 9_998_999f, 123456.79f,
                0.1f, 0.2f, 0.3f, 9.999999f, 1.0f / 3, 2f / 3, 0.0012345678f, -42.5f}) {
            assertThat(text(f)).as("%s", f).isEqualTo(Float.toString(f));
        }
    }

    @Test
    void leavesExponentFormsNanAndInfinitiesToTheCaller() {
        for (float f : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e7f, 9_999_001f, 1e-3f,
                0.001009f, 1e-5f, Float.MIN_VALUE, Float.MAX_VALUE, -1e10f}) {
            assertThat(FloatText.write(f, out)).as("%s", f).isEqualTo(-1);
        }
    }

    /**
     * Every 127th float bit pattern (34 million, some 4.4 million of them written) against
     * {@code Float.toString}: both signs and every binade of the range. The whole range, all 2^32
     * patterns, was compared once on JDK 17.0.15 and 25 (docs/benchmarks.md).
     */
    @Test
    void writesFloatToStringsTextAcrossTheRange() {
        int written = 0;
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += 127) {
            float f = Float.intBitsToFloat((int) bits);
            int length = FloatText.write(f, out);
            if (length >= 0) {
                written++;
                String expected = Float.toString(f);
                if (!expected.contentEquals(java.nio.CharBuffer.wrap(out, 0, length))) {
                    assertThat(new String(out, 0, length)).as("bits %08x", bits).isEqualTo(expected);
                }
            }
        }
        assertThat(written).isGreaterThan(4_000_000);
    }

    private String text(float f) {
        int length = FloatText.write(f, out);
        assertThat(length).as("%s written", f).isPositive();
        return new String(out, 0, length);
    }
}
