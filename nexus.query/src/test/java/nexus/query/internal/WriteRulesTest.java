package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Tag;
import nexus.rma.Allocation;
import nexus.rma.RmaType;

/**
 * Every type with its boundary values, as a front-end parses them from its client: the same cases and
 * messages as the HTTP front-end's rules had, so a write is refused alike whichever way it came.
 */
class WriteRulesTest {

    private static Tag tag(RmaType type) {
        return tag(type, null, null);
    }

    private static Tag tag(RmaType type, Double low, Double high) {
        int length = type == RmaType.STRING ? 8 : Math.max(1, type.size());
        return new Tag(1, "p/" + type.name().toLowerCase(java.util.Locale.ROOT),
                new Allocation(0, 0, 0, type, length), "u", null, true, low, high, null);
    }

    /** The value a JSON literal becomes in a front-end (as Jackson parses it), checked for the tag. */
    private static Object write(Tag tag, String json) {
        return WriteRules.checked(tag, parsed(json));
    }

    /**
     * What a front-end hands the tag service for a JSON literal: Boolean, Long (BigInteger beyond 64
     * bits), BigDecimal for any other number, String, null, an empty Map or List for containers.
     */
    static Object parsed(String json) {
        return switch (json) {
            case "null" -> null;
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> {
                if (json.startsWith("{")) {
                    yield Map.of();
                }
                if (json.startsWith("[")) {
                    yield List.of();
                }
                if (json.startsWith("\"")) {
                    yield unquoted(json.substring(1, json.length() - 1));
                }
                if (json.matches("-?\\d+")) {
                    BigInteger whole = new BigInteger(json);
                    yield whole.bitLength() < 64 ? (Object) whole.longValue() : whole;
                }
                yield new BigDecimal(json);
            }
        };
    }

    /** A JSON string's content: its \\uXXXX escapes decoded (the only escapes these tests use). */
    private static String unquoted(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\' && text.charAt(i + 1) == 'u') {
                out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(text.charAt(i));
            }
        }
        return out.toString();
    }

    private static String refusal(Tag tag, String json) {
        try {
            Object accepted = write(tag, json);
            throw new AssertionError(tag.allocation().type() + " accepted " + json + " as " + accepted);
        } catch (NexusException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            return e.getMessage();
        }
    }

    @Test
    void hugeNumbersAreOutOfRangeForEveryType() {
        for (RmaType type : RmaType.values()) {
            String message = refusal(tag(type), "1e400");
            assertThat(message).as(type.name()).startsWith("cannot write p/" + type.name().toLowerCase(java.util.Locale.ROOT));
            if (type.isInteger()) {
                assertThat(message).endsWith("1E+400 is outside " + type + "'s range " + type.minValue() + ".." + type.maxValue());
            } else if (type.isFloat()) {
                assertThat(message).contains("1E+400 is outside " + type + "'s range ±");
            }
            assertThat(refusal(tag(type), "-1e400")).as(type.name()).isNotBlank();
            assertThat(refusal(tag(type), "1e999999999")).as(type.name()).isNotBlank();
        }
    }

    @Test
    void integersTakeEveryValueOfTheirRangeAndNothingBeyond() {
        for (RmaType type : List.of(RmaType.INT8, RmaType.INT16, RmaType.INT32, RmaType.INT64, RmaType.UINT8, RmaType.UINT16,
                RmaType.UINT32)) {
            Tag tag = tag(type);
            BigInteger min = BigInteger.valueOf(type.minValue());
            BigInteger max = BigInteger.valueOf(type.maxValue());
            assertThat(write(tag, min.toString())).as(type.name()).isEqualTo(type.minValue());
            assertThat(write(tag, max.toString())).as(type.name()).isEqualTo(type.maxValue());
            assertThat(write(tag, "0")).isEqualTo(0L);
            assertThat(refusal(tag, min.subtract(BigInteger.ONE).toString())).as(type.name())
                    .endsWith(min.subtract(BigInteger.ONE) + " is outside " + type + "'s range " + min + ".." + max);
            assertThat(refusal(tag, max.add(BigInteger.ONE).toString())).as(type.name())
                    .endsWith(max.add(BigInteger.ONE) + " is outside " + type + "'s range " + min + ".." + max);
            assertThat(refusal(tag, "1.5")).endsWith("1.5 has a fraction: " + type + " takes a whole number");
            assertThat(refusal(tag, "1e-7")).contains("has a fraction");
            assertThat(refusal(tag, "\"12\"")).endsWith(type + " takes a number, not the text \"12\"");
            assertThat(refusal(tag, "true")).endsWith(type + " takes a number, not true");
        }
    }

    @Test
    void aWholeNumberWrittenAsADecimalCounts() {
        assertThat(write(tag(RmaType.INT16), "1e3")).isEqualTo(1_000L);
        assertThat(write(tag(RmaType.INT16), "2.0")).isEqualTo(2L);
        assertThat(write(tag(RmaType.INT16), "-0.0")).isEqualTo(0L);
        assertThat(write(tag(RmaType.INT64), "9.223372036854775807e18")).isEqualTo(Long.MAX_VALUE);
        assertThat(refusal(tag(RmaType.INT8), "1.28e2")).endsWith("128 is outside INT8's range -128..127");
        assertThat(refusal(tag(RmaType.INT32), "9".repeat(900))).endsWith("99999999999999999999…(900 characters) is outside"
                + " INT32's range -2147483648..2147483647");
    }

    @Test
    void floatsRefuseOverflowAndSilentUnderflowAndKeepTheRest() {
        Tag f32 = tag(RmaType.FLOAT32);
        Tag f64 = tag(RmaType.FLOAT64);

        assertThat(write(f32, "3.4028235e38")).isEqualTo(Float.MAX_VALUE);
        assertThat(write(f32, "-3.4028235e38")).isEqualTo(-Float.MAX_VALUE);
        assertThat(refusal(f32, "3.5e38")).endsWith("3.5E+38 is outside FLOAT32's range ±3.4028235E38");
        assertThat(refusal(f32, "4.9e-324")).isEqualTo("cannot write p/float32 (FLOAT32): 4.9E-324 is too small for"
                + " FLOAT32: it would be stored as 0; the smallest non-zero FLOAT32 is ±1.4E-45");
        assertThat(refusal(f32, "-1e-46")).contains("too small for FLOAT32");
        assertThat(write(f32, "1.4e-45")).isEqualTo(Float.MIN_VALUE);
        assertThat(write(f32, "1e-40")).as("subnormal, not zero").isEqualTo(1e-40f);
        assertThat(write(f32, "0")).isEqualTo(0f);
        assertThat(write(f32, "0.0")).isEqualTo(0f);
        assertThat(write(f32, "37.5")).isEqualTo(37.5f);
        assertThat(write(f32, "16777217")).as("rounded to the nearest FLOAT32").isEqualTo(16_777_216f);

        assertThat(write(f64, "1.7976931348623157e308")).isEqualTo(Double.MAX_VALUE);
        assertThat(refusal(f64, "1.8e308")).endsWith("1.8E+308 is outside FLOAT64's range ±1.7976931348623157E308");
        assertThat(write(f64, "4.9e-324")).isEqualTo(Double.MIN_VALUE);
        assertThat(refusal(f64, "1e-400")).contains("too small for FLOAT64");
        assertThat(write(f64, "123456789012345678901234567890")).isEqualTo(1.2345678901234568e29);
        assertThat(refusal(f64, "\"1.5\"")).endsWith("FLOAT64 takes a number, not the text \"1.5\"");
    }

    @Test
    void boolTakesOnlyTrueAndFalse() {
        Tag bool = tag(RmaType.BOOL);
        assertThat(write(bool, "true")).isEqualTo(true);
        assertThat(write(bool, "false")).isEqualTo(false);
        assertThat(refusal(bool, "1")).endsWith("BOOL takes true or false, not the number 1");
        assertThat(refusal(bool, "\"true\"")).endsWith("BOOL takes true or false, not the text \"true\"");
    }

    @Test
    void stringsFitTheirBytesAndCarryNoNul() {
        Tag text = tag(RmaType.STRING);
        assertThat(write(text, "\"\"")).isEqualTo("");
        assertThat(write(text, "\"12345678\"")).isEqualTo("12345678");
        assertThat(write(text, "\"\u00e9\u00e9\u00e9\u00e9\"")).as("4 characters, 8 bytes").isEqualTo("\u00e9\u00e9\u00e9\u00e9");
        assertThat(refusal(text, "\"123456789\"")).endsWith("the text is 9 bytes of UTF-8; STRING(8) holds at most 8");
        assertThat(refusal(text, "\"\u00e9\u00e9\u00e9\u00e9\u00e9\"")).endsWith("the text is 10 bytes of UTF-8; STRING(8) holds at most 8");
        assertThat(refusal(text, "\"a\\u0000b\"")).isEqualTo("cannot write p/string (STRING(8)): the text has a NUL character"
                + " (U+0000) at position 1: STRING values are NUL-padded, so a NUL would cut the text there");
        assertThat(refusal(text, "\"a\\ud800\"")).contains("unpaired surrogate (\\ud800) at position 1");
        assertThat(write(text, "\"\\ud83d\\ude00\"")).as("a pair is one character, 4 bytes").isEqualTo("\ud83d\ude00");
        assertThat(refusal(text, "42")).endsWith("STRING takes text, not the number 42");
    }

    @Test
    void objectsListsAndNullAreRefused() {
        for (RmaType type : RmaType.values()) {
            assertThat(refusal(tag(type), "{}")).as(type.name()).contains("an object");
            assertThat(refusal(tag(type), "[1]")).as(type.name()).contains("a list");
            assertThat(refusal(tag(type), "null")).as(type.name()).contains("no value given (null)");
        }
    }

    @Test
    void theEngineeringRangeStillApplies() {
        Tag level = tag(RmaType.FLOAT32, 0.0, 100.0);
        assertThat(write(level, "100")).isEqualTo(100f);
        assertThat(refusal(level, "100.5")).isEqualTo("cannot write p/float32: 100.5 is outside its engineering range 0..100 u");
        assertThat(refusal(level, "1e400")).contains("outside FLOAT32's range");
        assertThatThrownBy(() -> WriteRules.checked(level, Map.of())).isInstanceOf(NexusException.class);
        assertThat(WriteRules.checked(tag(RmaType.INT32), new BigDecimal("7"))).isEqualTo(7L);
    }
}
