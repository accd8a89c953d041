package nexus.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;

class MemoryCommandsTest {

    /** A small in-memory backend, enough for the commands (the real ones live in nexus.rma.internal). */
    static final class ArrayBackend implements RmaBackend {
        final List<Bank> banks = List.of(new Bank(0, "process", 64), new Bank(1, "alarms", 16));
        final byte[][] data = { new byte[64], new byte[16] };
        final long[] sequence = new long[2];

        @Override
        public String name() {
            return "array";
        }

        @Override
        public List<Bank> banks() {
            return banks;
        }

        @Override
        public void read(BlockRead block) {
            if (block.bank() >= banks.size()) {
                block.fail(ReadStatus.UNKNOWN_BANK);
                return;
            }
            System.arraycopy(data[block.bank()], block.offset(), block.data(), 0, block.length());
            block.complete(sequence[block.bank()], 0);
        }

        @Override
        public void write(int bank, int offset, byte[] source, int sourceOffset, int length) {
            banks.get(bank).checkRange(offset, length);
            System.arraycopy(source, sourceOffset, data[bank], offset, length);
            sequence[bank]++;
        }

        @Override
        public void writeBit(int bank, int byteOffset, int bit, boolean value) {
            data[bank][byteOffset] = (byte) (value ? data[bank][byteOffset] | 1 << bit : data[bank][byteOffset] & ~(1 << bit));
            sequence[bank]++;
        }

        @Override
        public long sequence(int bank) {
            return sequence[bank];
        }

        @Override
        public long lastWriteNanos(int bank) {
            return 0;
        }
    }

    private final ArrayBackend memory = new ArrayBackend();
    private final MemoryCommands commands = new MemoryCommands();

    @BeforeEach
    void bind() throws ReflectiveOperationException {
        Field field = MemoryCommands.class.getDeclaredField("backend");
        field.setAccessible(true);
        field.set(commands, memory);
    }

    @Test
    void writesTypedValuesAndDumpsThem() {
        assertThat(commands.write("process", "4", "uint16", "300"))
                .isEqualTo("wrote 300 at UINT16 at bank 0 byte 4 ('process'), sequence 1");
        commands.write("0", "8", "STRING(6)", "pump");
        commands.write("alarms", "2.3", "BOOL", "true");

        assertThat(commands.dump("process", "0", "16")).isEqualTo("""
                bank process, sequence 2
                00000000  00 00 00 00 2c 01 00 00 70 75 6d 70 00 00 00 00  ....,...pump....
                """);
        assertThat(memory.data[1][2]).isEqualTo((byte) 0b1000);
    }

    @Test
    void listsBanks() {
        commands.write("alarms", "0", "INT8", "1");

        assertThat(commands.banks()).isEqualTo("""
                backend array
                  id  name          size   sequence  last write
                  0   process         64          0  never
                  1   alarms          16          1  never
                """);
    }

    @Test
    void explainsBadInputPlainly() {
        assertInvalid(() -> commands.write("tanks", "0", "INT8", "1"), "no bank 'tanks' (banks: process, alarms)");
        assertInvalid(() -> commands.write("process", "3", "INT32", "1"), "INT32 at bank 0 byte 3 is misaligned");
        assertInvalid(() -> commands.write("process", "4", "UINT8", "300"), "300 does not fit UINT8 (0..255)");
        assertInvalid(() -> commands.write("process", "4.1", "INT8", "1"), "only BOOL has a bit number");
        assertInvalid(() -> commands.write("process", "64", "FLOAT64", "1"), "past the end of bank 'process' (64 bytes)");
        assertInvalid(() -> commands.write("process", "x", "INT8", "1"), "offset 'x' is not a whole number");
        assertInvalid(() -> commands.write("process", "0", "STRING", "a"), "STRING needs its length: STRING(n)");
        assertInvalid(() -> commands.dump("process", "60", "8"), "bytes 60..68 are outside bank 'process'");
        assertInvalid(() -> commands.dump("process", "0", "0"), "length 0 is not 1 to 4096");
        assertThat(memory.sequence).containsExactly(0, 0);
    }

    @Test
    void saysWhenThereIsNoBackend() throws ReflectiveOperationException {
        Field field = MemoryCommands.class.getDeclaredField("backend");
        field.setAccessible(true);
        field.set(commands, null);

        assertThatThrownBy(commands::banks)
                .hasMessage("no RMA backend is registered: see nexus:health")
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
    }

    @Test
    void hexDumpPadsTheLastLine() {
        assertThat(MemoryText.hexDump(16, new byte[] { 'A', 0, 'z' }, 3))
                .isEqualTo("00000010  41 00 7a" + " ".repeat(39) + "  A.z\n");
        assertThat(Allocation.of(0, 0, RmaType.INT8).length()).isEqualTo(1);
    }

    private static void assertInvalid(Runnable command, String message) {
        assertThatThrownBy(command::run).isInstanceOf(NexusException.class).hasMessageContaining(message);
    }
}
