package nexus.rma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

class AllocationTest {

    @Test
    void numbersTakeTheirTypesSize() {
        assertThat(Allocation.of(0, 8, RmaType.FLOAT64).length()).isEqualTo(8);
        assertThat(Allocation.of(0, 2, RmaType.UINT16).end()).isEqualTo(4);
        assertThat(Allocation.bool(1, 3, 7).length()).isEqualTo(1);
        assertThat(Allocation.string(1, 5, 16).end()).isEqualTo(21);
    }

    @Test
    void rejectsMisalignedNumbersNamingTheRule() {
        assertThatThrownBy(() -> Allocation.of(0, 6, RmaType.INT32))
                .isInstanceOf(NexusException.class)
                .hasMessage("INT32 at bank 0 byte 6 is misaligned: INT32 needs a byte offset that is a multiple of 4")
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void rejectsBitsOutsideZeroToSeven() {
        assertThatThrownBy(() -> Allocation.bool(0, 1, 8))
                .hasMessage("BOOL at bank 0 byte 1 has bit 8: a bit number is 0 to 7");
        assertThatThrownBy(() -> new Allocation(0, 4, 2, RmaType.INT16, 2))
                .hasMessage("INT16 at bank 0 byte 4 has bit 2: only BOOL has a bit number");
    }

    @Test
    void rejectsNegativeOffsetsAndEmptyStrings() {
        assertThatThrownBy(() -> Allocation.of(0, -4, RmaType.INT32)).hasMessage("byte offset -4 is negative");
        assertThatThrownBy(() -> Allocation.string(0, 0, 0))
                .hasMessage("STRING at bank 0 byte 0 has length 0: a STRING holds at least 1 byte");
        assertThatThrownBy(() -> Allocation.of(0, 0, RmaType.STRING)).isInstanceOf(NexusException.class);
    }

    @Test
    void checksThatItFitsItsBank() {
        Bank bank = new Bank(1, "alarms", 4096);

        Allocation.string(1, 4080, 16).checkFits(bank);
        assertThatThrownBy(() -> Allocation.string(1, 4090, 16).checkFits(bank))
                .hasMessage("STRING(16) at bank 1 byte 4090 ends at byte 4106, past the end of bank 'alarms' (4096 bytes)");
        assertThatThrownBy(() -> Allocation.of(0, 0, RmaType.INT8).checkFits(bank))
                .hasMessage("INT8 at bank 0 byte 0 is not in bank 'alarms' (id 1)");
    }

    @Test
    void typesKnowTheirRanges() {
        assertThat(RmaType.UINT8.maxValue()).isEqualTo(255);
        assertThat(RmaType.INT16.minValue()).isEqualTo(-32768);
        assertThat(RmaType.UINT32.maxValue()).isEqualTo(4_294_967_295L);
        assertThat(RmaType.INT64.minValue()).isEqualTo(Long.MIN_VALUE);
        assertThat(RmaType.parse(" float32 ")).isEqualTo(RmaType.FLOAT32);
        assertThatThrownBy(() -> RmaType.parse("DOUBLE"))
                .hasMessageStartingWith("unknown type 'DOUBLE': use one of BOOL, INT8");
    }

    @Test
    void banksValidateTheirNameAndSize() {
        assertThatThrownBy(() -> new Bank(0, "Process", 10)).hasMessageContaining("is not valid");
        assertThatThrownBy(() -> new Bank(0, "process", 0)).hasMessageContaining("at least 1 byte");
        assertThatThrownBy(() -> new Bank(0, "process", 10).checkRange(8, 4))
                .hasMessage("bytes 8..12 are outside bank 'process' (10 bytes: offsets 0..10)");
    }
}
