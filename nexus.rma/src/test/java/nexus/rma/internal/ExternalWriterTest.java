package nexus.rma.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.RmaType;
import nexus.rma.ValueCodec;

/**
 * The format and protocol of docs/rma-format.md, checked across languages: tools/rma.py, a
 * separate Python process, writes every type into a file this backend maps, and reads what the
 * backend wrote. Needs python3 on the PATH (the test is skipped without it).
 */
class ExternalWriterTest {

    private static final Path TOOL = Path.of("..", "tools", "rma.py").toAbsolutePath().normalize();
    private static final List<Bank> LAYOUT = List.of(new Bank(0, "process", 256), new Bank(1, "alarms", 64));

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void needsPython() {
        assumeTrue(python("--version").exit == 0, "python3 is not on the PATH");
    }

    private static Run python(String... args) {
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("python3 " + args[0] + " did not finish");
            }
            return new Run(process.exitValue(), out, err);
        } catch (IOException e) {
            return new Run(-1, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Run tool(Path file, String... args) {
        List<String> all = new ArrayList<>(List.of(TOOL.toString(), file.toString()));
        all.addAll(List.of(args));
        return python(all.toArray(String[]::new));
    }

    private static Object read(MappedRmaBackend backend, Allocation allocation) {
        BlockRead block = new BlockRead(allocation.length()).target(allocation.bank(), allocation.byteOffset(), allocation.length());
        backend.read(block);
        assertThat(block.ok()).isTrue();
        return ValueCodec.decode(block.buffer(), 0, allocation);
    }

    @Test
    void valuesWrittenByAnotherProcessAreReadByTheBackend() {
        Path file = dir.resolve("rma.mmap");
        MappedRmaBackend backend = MappedRmaBackend.open(file, LAYOUT);

        assertThat(tool(file, "write", "process", "0", "INT8", "-5").exit).isZero();
        assertThat(tool(file, "write", "process", "2", "UINT16", "65535").exit).isZero();
        assertThat(tool(file, "write", "0", "4", "INT32", "-123456").exit).isZero();
        assertThat(tool(file, "write", "process", "8", "INT64", "-9007199254740993").exit).isZero();
        assertThat(tool(file, "write", "process", "16", "UINT32", "4000000000").exit).isZero();
        assertThat(tool(file, "write", "process", "20", "FLOAT32", "21.5").exit).isZero();
        assertThat(tool(file, "write", "process", "24", "FLOAT64", "-1e-300").exit).isZero();
        assertThat(tool(file, "write", "process", "32", "STRING(12)", "pump ✓").exit).isZero();
        assertThat(tool(file, "write", "alarms", "3.5", "BOOL", "true").exit).isZero();
        assertThat(tool(file, "write", "alarms", "3.6", "BOOL", "1").exit).isZero();

        assertThat(read(backend, Allocation.of(0, 0, RmaType.INT8))).isEqualTo(-5L);
        assertThat(read(backend, Allocation.of(0, 2, RmaType.UINT16))).isEqualTo(65535L);
        assertThat(read(backend, Allocation.of(0, 4, RmaType.INT32))).isEqualTo(-123456L);
        assertThat(read(backend, Allocation.of(0, 8, RmaType.INT64))).isEqualTo(-9007199254740993L);
        assertThat(read(backend, Allocation.of(0, 16, RmaType.UINT32))).isEqualTo(4_000_000_000L);
        assertThat(read(backend, Allocation.of(0, 20, RmaType.FLOAT32))).isEqualTo(21.5f);
        assertThat(read(backend, Allocation.of(0, 24, RmaType.FLOAT64))).isEqualTo(-1e-300);
        assertThat(read(backend, Allocation.string(0, 32, 12))).isEqualTo("pump ✓");
        assertThat(read(backend, Allocation.bool(1, 3, 5))).isEqualTo(true);
        assertThat(read(backend, Allocation.bool(1, 3, 6))).isEqualTo(true);
        assertThat(read(backend, Allocation.bool(1, 3, 4))).isEqualTo(false);
        assertThat(backend.sequence(0)).isEqualTo(8);
        assertThat(backend.sequence(1)).isEqualTo(2);
        assertThat(backend.lastWriteNanos(0)).isPositive();
    }

    @Test
    void anotherProcessReadsWhatTheBackendWrote() {
        Path file = dir.resolve("rma.mmap");
        MappedRmaBackend backend = MappedRmaBackend.open(file, LAYOUT);
        backend.write(Allocation.of(0, 40, RmaType.FLOAT64), 273.15);
        backend.write(Allocation.bool(1, 0, 2), true);
        backend.write(Allocation.string(0, 64, 8), "valve");

        assertThat(tool(file, "read", "process", "40", "FLOAT64").out).isEqualTo("273.15\n");
        assertThat(tool(file, "read", "alarms", "0.2", "BOOL").out).isEqualTo("true\n");
        assertThat(tool(file, "read", "alarms", "0.1", "BOOL").out).isEqualTo("false\n");
        assertThat(tool(file, "read", "process", "64", "STRING(8)").out).isEqualTo("valve\n");
        assertThat(tool(file, "banks").out).contains("0   process   256    2").contains("1   alarms    64     1");
        assertThat(tool(file, "dump", "process", "64", "8").out).startsWith("00000040  76 61 6c 76 65 00 00 00");
    }

    @Test
    void theToolRefusesBadInputAndLeavesMemoryAlone() throws IOException {
        Path file = dir.resolve("rma.mmap");
        MappedRmaBackend.open(file, LAYOUT).close();
        byte[] before = Files.readAllBytes(file);

        assertThat(tool(file, "write", "process", "0", "UINT8", "300").err).contains("300 does not fit UINT8 (0..255)");
        assertThat(tool(file, "write", "process", "2", "INT32", "1").err).contains("INT32 at byte 2 is misaligned");
        assertThat(tool(file, "write", "process", "254", "INT32", "1").exit).isEqualTo(1);
        assertThat(tool(file, "write", "nosuch", "0", "INT8", "1").err).contains("no bank 'nosuch' (banks: process, alarms)");
        assertThat(tool(file, "write", "process", "0", "STRING(2)", "abc").err).contains("STRING(2) holds at most 2");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);

        Path foreign = Files.write(dir.resolve("foreign.bin"), new byte[128]);
        Run refused = tool(foreign, "banks");
        assertThat(refused.exit).isEqualTo(1);
        assertThat(refused.err).contains("magic 0000000000000000, expected 524d414e45585553");
        assertThat(tool(file, "frobnicate").exit).isEqualTo(2);
    }
}
