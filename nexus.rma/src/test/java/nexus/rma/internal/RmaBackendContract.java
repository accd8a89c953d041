package nexus.rma.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;
import nexus.rma.ValueCodec;

/** What every backend must do; each backend's test extends this. */
abstract class RmaBackendContract {

    static final List<Bank> LAYOUT = List.of(new Bank(0, "process", 1024), new Bank(1, "alarms", 64));

    /** @return a new backend with {@link #LAYOUT}, all zero */
    abstract RmaBackend backend();

    private static BlockRead read(RmaBackend backend, int bank, int offset, int length) {
        BlockRead block = new BlockRead(1024).target(bank, offset, length);
        backend.read(block);
        return block;
    }

    @Test
    void describesItsBanksInIdOrder() {
        RmaBackend backend = backend();

        assertThat(backend.banks()).isEqualTo(LAYOUT);
        assertThat(backend.bank("alarms")).contains(LAYOUT.get(1));
        assertThat(backend.bank(2)).isEmpty();
        assertThat(backend.bank(-1)).isEmpty();
    }

    @Test
    void readsBackWhatWasWrittenWithSequenceAndTime() {
        RmaBackend backend = backend();
        long before = System.currentTimeMillis() * 1_000_000L;

        backend.write(0, 100, new byte[] { 1, 2, 3, 4 }, 0, 4);
        BlockRead block = read(backend, 0, 99, 6);

        assertThat(block.status()).isEqualTo(ReadStatus.OK);
        assertThat(java.util.Arrays.copyOf(block.data(), 6)).containsExactly(0, 1, 2, 3, 4, 0);
        assertThat(block.sequence()).isEqualTo(1);
        assertThat(block.lastWriteNanos()).isGreaterThanOrEqualTo(before - 1_000_000_000L);
        assertThat(backend.sequence(0)).isEqualTo(1);
        assertThat(backend.sequence(1)).isZero();
        assertThat(backend.lastWriteNanos(1)).isZero();
    }

    @Test
    void everyWriteAdvancesItsBanksSequenceOnly() {
        RmaBackend backend = backend();

        backend.write(0, 0, new byte[8], 0, 8);
        backend.writeBit(0, 3, 2, true);
        backend.write(Allocation.of(0, 8, RmaType.FLOAT64), 3.5);

        assertThat(backend.sequence(0)).isEqualTo(3);
        assertThat(backend.sequence(1)).isZero();
        assertThat(read(backend, 1, 0, 64).sequence()).isZero();
    }

    @Test
    void aBitWriteLeavesTheOtherBitsOfItsByteAlone() {
        RmaBackend backend = backend();
        backend.write(1, 5, new byte[] { (byte) 0b1000_0001 }, 0, 1);

        backend.writeBit(1, 5, 3, true);
        backend.writeBit(1, 5, 7, false);

        assertThat(read(backend, 1, 5, 1).data()[0]).isEqualTo((byte) 0b0000_1001);
    }

    @Test
    void writesTypedValuesAtAllocations() {
        RmaBackend backend = backend();
        Allocation level = Allocation.of(0, 16, RmaType.FLOAT32);
        Allocation running = Allocation.bool(0, 20, 6);
        Allocation name = Allocation.string(0, 21, 10);

        backend.write(level, 42.25);
        backend.write(running, true);
        backend.write(name, "pump-7");

        BlockRead block = read(backend, 0, 16, 15);
        assertThat(ValueCodec.decode(block.buffer(), 0, level)).isEqualTo(42.25f);
        assertThat(ValueCodec.decode(block.buffer(), 4, running)).isEqualTo(true);
        assertThat(ValueCodec.decode(block.buffer(), 5, name)).isEqualTo("pump-7");
    }

    @Test
    void badReadsCarryAStatusAndNeverThrow() {
        RmaBackend backend = backend();

        assertThat(read(backend, 7, 0, 4).status()).isEqualTo(ReadStatus.UNKNOWN_BANK);
        assertThat(read(backend, 1, 60, 8).status()).isEqualTo(ReadStatus.OUT_OF_RANGE);
        assertThat(read(backend, 1, 64, 0).status()).isEqualTo(ReadStatus.OK);
    }

    @Test
    void badWritesAreRefusedAndChangeNothing() {
        RmaBackend backend = backend();
        backend.write(1, 0, new byte[] { 9, 9, 9, 9 }, 0, 4);
        long sequence = backend.sequence(1);

        assertInvalid(() -> backend.write(1, 62, new byte[4], 0, 4), "bytes 62..66 are outside bank 'alarms' (64 bytes: offsets 0..64)");
        assertInvalid(() -> backend.write(5, 0, new byte[4], 0, 4), "has no bank 5");
        assertInvalid(() -> backend.writeBit(1, 64, 0, true), "bytes 64..65 are outside bank 'alarms'");
        assertInvalid(() -> backend.writeBit(1, 0, 8, true), "bit 8 is not a bit number 0 to 7");
        assertInvalid(() -> backend.write(Allocation.of(1, 0, RmaType.UINT8), 300), "300 does not fit UINT8 (0..255)");
        assertInvalid(() -> backend.write(Allocation.of(1, 0, RmaType.INT32), Double.NaN), "NaN is not a finite number");
        assertInvalid(() -> backend.write(Allocation.string(1, 56, 8), "123456789"), "STRING(8) holds at most 8");
        assertInvalid(() -> backend.write(Allocation.of(1, 64, RmaType.INT32), 1), "past the end of bank 'alarms' (64 bytes)");
        assertInvalid(() -> backend.write(Allocation.of(3, 0, RmaType.INT32), 1), "has no bank 3");

        assertThat(backend.sequence(1)).isEqualTo(sequence);
        BlockRead block = read(backend, 1, 0, 64);
        assertThat(block.data()[0]).isEqualTo((byte) 9);
        assertThat(block.data()[3]).isEqualTo((byte) 9);
        assertThat(java.util.Arrays.copyOfRange(block.data(), 4, 64)).containsOnly(0);
    }

    @Test
    void unknownBanksHaveNoSequence() {
        RmaBackend backend = backend();

        assertInvalid(() -> backend.sequence(2), "has no bank 2");
        assertInvalid(() -> backend.lastWriteNanos(-1), "has no bank -1");
    }

    private static void assertInvalid(Runnable action, String message) {
        assertThatThrownBy(action::run)
                .isInstanceOf(NexusException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}
