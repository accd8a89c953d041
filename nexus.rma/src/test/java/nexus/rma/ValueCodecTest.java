package nexus.rma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

class ValueCodecTest {

    private final ByteBuffer buffer = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);

    private Object roundTrip(Allocation allocation, Object value) {
        ValueCodec.encode(allocation, value, buffer, allocation.byteOffset());
        return ValueCodec.decode(buffer, allocation.byteOffset(), allocation);
    }

    @Test
    void roundTripsEveryType() {
        assertThat(roundTrip(Allocation.of(0, 0, RmaType.INT8), -128L)).isEqualTo(-128L);
        assertThat(roundTrip(Allocation.of(0, 2, RmaType.INT16), -2)).isEqualTo(-2L);
        assertThat(roundTrip(Allocation.of(0, 4, RmaType.INT32), Integer.MIN_VALUE)).isEqualTo((long) Integer.MIN_VALUE);
        assertThat(roundTrip(Allocation.of(0, 8, RmaType.INT64), Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(roundTrip(Allocation.of(0, 16, RmaType.UINT8), 255)).isEqualTo(255L);
        assertThat(roundTrip(Allocation.of(0, 18, RmaType.UINT16), 65535)).isEqualTo(65535L);
        assertThat(roundTrip(Allocation.of(0, 20, RmaType.UINT32), 4_294_967_295L)).isEqualTo(4_294_967_295L);
        assertThat(roundTrip(Allocation.of(0, 24, RmaType.FLOAT32), 21.5)).isEqualTo(21.5f);
        assertThat(roundTrip(Allocation.of(0, 32, RmaType.FLOAT64), -0.125)).isEqualTo(-0.125);
        assertThat(roundTrip(Allocation.string(0, 40, 8), "pump ✓")).isEqualTo("pump ✓");
        assertThat(roundTrip(Allocation.bool(0, 48, 5), true)).isEqualTo(true);
    }

    @Test
    void writesLittleEndian() {
        byte[] bytes = ValueCodec.encode(Allocation.of(0, 0, RmaType.UINT32), 0x01020304L);

        assertThat(bytes).containsExactly(0x04, 0x03, 0x02, 0x01);
    }

    @Test
    void aBoolChangesOnlyItsBit() {
        buffer.put(0, (byte) 0b1010_0101);

        ValueCodec.encode(Allocation.bool(0, 0, 1), true, buffer, 0);
        ValueCodec.encode(Allocation.bool(0, 0, 7), false, buffer, 0);

        assertThat(buffer.get(0)).isEqualTo((byte) 0b0010_0111);
    }

    @Test
    void stringsArePaddedWithNul() {
        Allocation text = Allocation.string(0, 0, 6);
        roundTrip(text, "abcdef");

        assertThat(roundTrip(text, "ab")).isEqualTo("ab");
        assertThat(buffer.get(2)).isZero();
        assertThat(buffer.get(5)).isZero();
    }

    @Test
    void refusesValuesThatDoNotFitAndLeavesTheBufferAlone() {
        buffer.put(16, (byte) 7);
        Allocation uint8 = Allocation.of(0, 16, RmaType.UINT8);

        assertInvalid(uint8, 300, "cannot write UINT8 at bank 0 byte 16: 300 does not fit UINT8 (0..255)");
        assertInvalid(uint8, -1, "cannot write UINT8 at bank 0 byte 16: -1 does not fit UINT8 (0..255)");
        assertThat(buffer.get(16)).isEqualTo((byte) 7);
    }

    @Test
    void refusesNonIntegersForIntegerTypes() {
        Allocation int16 = Allocation.of(0, 2, RmaType.INT16);

        assertInvalid(int16, Double.NaN, "cannot write INT16 at bank 0 byte 2: NaN is not a finite number: INT16 takes an integer");
        assertInvalid(int16, 2.5, "cannot write INT16 at bank 0 byte 2: 2.5 has a fraction: INT16 takes an integer");
        assertInvalid(int16, "12", "cannot write INT16 at bank 0 byte 2: INT16 takes an integer, not the text '12'");
        assertThat(roundTrip(int16, 12.0)).isEqualTo(12L);
        assertThat(roundTrip(Allocation.of(0, 8, RmaType.INT64), new BigInteger("-9223372036854775808")))
                .isEqualTo(Long.MIN_VALUE);
        assertInvalid(Allocation.of(0, 8, RmaType.INT64), new BigInteger("9223372036854775808"),
                "cannot write INT64 at bank 0 byte 8: 9223372036854775808 does not fit INT64 (-9223372036854775808..9223372036854775807)");
    }

    @Test
    void refusesTooLongStringsAndWrongKinds() {
        assertInvalid(Allocation.string(0, 40, 4), "pumps",
                "cannot write STRING(4) at bank 0 byte 40: the text is 5 bytes of UTF-8; STRING(4) holds at most 4");
        assertInvalid(Allocation.string(0, 40, 4), 12, "cannot write STRING(4) at bank 0 byte 40: STRING takes text, not the number 12");
        assertInvalid(Allocation.bool(0, 48, 0), 1, "cannot write BOOL at bank 0 byte 48 bit 0: BOOL takes true or false, not the number 1");
        assertInvalid(Allocation.of(0, 24, RmaType.FLOAT32), Map.of(), "cannot write FLOAT32 at bank 0 byte 24: FLOAT32 takes a number, not an object");
        assertInvalid(Allocation.of(0, 24, RmaType.FLOAT32), List.of(), "cannot write FLOAT32 at bank 0 byte 24: FLOAT32 takes a number, not a list");
        assertInvalid(Allocation.of(0, 24, RmaType.FLOAT32), null, "cannot write FLOAT32 at bank 0 byte 24: no value given");
        assertInvalid(Allocation.of(0, 24, RmaType.FLOAT32), 1e39, "cannot write FLOAT32 at bank 0 byte 24: 1.0E39 is outside the FLOAT32 range (±3.4028235E38)");
    }

    @Test
    void floatsTakeNanAndInfinity() {
        assertThat(roundTrip(Allocation.of(0, 24, RmaType.FLOAT32), Double.NaN)).isEqualTo(Float.NaN);
        assertThat(roundTrip(Allocation.of(0, 32, RmaType.FLOAT64), Double.NEGATIVE_INFINITY))
                .isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void parsesOperatorText() {
        assertThat(ValueCodec.parse(Allocation.bool(0, 0, 0), "TRUE")).isEqualTo(true);
        assertThat(ValueCodec.parse(Allocation.bool(0, 0, 0), "0")).isEqualTo(false);
        assertThat(ValueCodec.parse(Allocation.of(0, 0, RmaType.UINT16), " 300 ")).isEqualTo(BigInteger.valueOf(300));
        assertThat(ValueCodec.parse(Allocation.of(0, 0, RmaType.FLOAT32), "1e3")).isEqualTo(1000.0);
        assertThat(ValueCodec.parse(Allocation.string(0, 0, 9), " spaced ")).isEqualTo(" spaced ");
        assertThatThrownBy(() -> ValueCodec.parse(Allocation.of(0, 0, RmaType.INT32), "12.5"))
                .hasMessage("cannot write INT32 at bank 0 byte 0: '12.5' is not an integer");
        assertThatThrownBy(() -> ValueCodec.parse(Allocation.bool(0, 0, 0), "yes"))
                .hasMessage("cannot write BOOL at bank 0 byte 0 bit 0: BOOL takes true or false, not 'yes'");
    }

    private void assertInvalid(Allocation allocation, Object value, String message) {
        assertThatThrownBy(() -> ValueCodec.encode(allocation, value, buffer, allocation.byteOffset()))
                .isInstanceOf(NexusException.class)
                .hasMessage(message)
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}
