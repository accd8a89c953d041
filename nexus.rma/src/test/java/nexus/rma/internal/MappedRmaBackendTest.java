package nexus.rma.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;
import nexus.rma.ValueCodec;

class MappedRmaBackendTest extends RmaBackendContract {

    @TempDir
    Path dir;

    private final AtomicInteger files = new AtomicInteger();
    /** Backends a test opened, closed after it (each has a watch thread). */
    private final List<MappedRmaBackend> opened = new ArrayList<>();

    @Override
    RmaBackend backend() {
        return opened(MappedRmaBackend.open(dir.resolve("rma-" + files.incrementAndGet() + ".mmap"), LAYOUT));
    }

    private MappedRmaBackend opened(MappedRmaBackend backend) {
        opened.add(backend);
        return backend;
    }

    @AfterEach
    void closeBackends() {
        opened.forEach(MappedRmaBackend::close);
    }

    private static ByteBuffer bytes(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void createsTheFileOwnerOnlyOrForTheGroupWhenItsFolderIsGroupWritable() throws IOException {
        Path ownerOnly = Files.createDirectory(dir.resolve("owner"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwx---"));

        MappedRmaBackend.open(ownerOnly.resolve("rma.mmap"), LAYOUT).close();
        MappedRmaBackend.open(shared.resolve("rma.mmap"), LAYOUT).close();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ownerOnly.resolve("rma.mmap"))))
                .as("whoever can write the mmap region is an admin").isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared.resolve("rma.mmap"))))
                .as("a writer group (NEXUS_WRITER_GROUP) may write it").isEqualTo("rw-rw----");
    }

    @Test
    void createsAFileWithTheDocumentedLayout() throws IOException {
        Path file = dir.resolve("data/rma.mmap");

        MappedRmaBackend.open(file, LAYOUT).write(Allocation.of(1, 4, RmaType.UINT32), 0xCAFEL);

        ByteBuffer b = bytes(file);
        assertThat(new String(b.array(), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("RMANEXUS");
        assertThat(b.getInt(8)).isEqualTo(1);      // version
        assertThat(b.getInt(12)).isEqualTo(64);    // header size
        assertThat(b.getInt(16)).isEqualTo(2);     // banks
        assertThat(b.getInt(20)).isEqualTo(128);   // entry size
        assertThat(b.getLong(24)).isEqualTo(b.capacity());
        // table: 64 + 2 * 128 = 320, so bank 0's data starts at 320 and bank 1's at 320 + 1024
        assertThat(b.getLong(64 + 16)).isEqualTo(320);
        assertThat(b.getInt(64 + 24)).isEqualTo(1024);
        assertThat(new String(b.array(), 64 + 32, 7, StandardCharsets.UTF_8)).isEqualTo("process");
        assertThat(b.getLong(192 + 0)).isEqualTo(2);   // bank 1's sequence: one completed write
        assertThat(b.getLong(192 + 8)).isPositive();   // its last write time
        assertThat(b.getLong(192 + 16)).isEqualTo(1344);
        assertThat(b.getInt(1344 + 4)).isEqualTo(0xCAFE);
        assertThat(b.capacity()).isEqualTo(1344 + 64);
    }

    @Test
    void contentsSurviveReopeningTheFile() {
        Path file = dir.resolve("rma.mmap");
        MappedRmaBackend first = MappedRmaBackend.open(file, LAYOUT);
        first.write(Allocation.of(0, 8, RmaType.FLOAT64), 273.15);
        first.writeBit(1, 0, 4, true);
        first.close();

        MappedRmaBackend second = MappedRmaBackend.open(file, LAYOUT);
        BlockRead block = new BlockRead(16).target(0, 8, 8);
        second.read(block);

        assertThat(ValueCodec.decode(block.buffer(), 0, Allocation.of(0, 8, RmaType.FLOAT64))).isEqualTo(273.15);
        assertThat(block.sequence()).isEqualTo(1);
        assertThat(second.sequence(1)).isEqualTo(1);
    }

    @Test
    void twoMappingsOfOneFileSeeEachOthersWrites() {
        Path file = dir.resolve("shared.mmap");
        MappedRmaBackend writer = MappedRmaBackend.open(file, LAYOUT);
        MappedRmaBackend reader = MappedRmaBackend.open(file, LAYOUT);

        writer.write(Allocation.string(0, 32, 8), "valve");
        BlockRead block = new BlockRead(8).target(0, 32, 8);
        reader.read(block);

        assertThat(ValueCodec.getString(block.buffer(), 0, 8)).isEqualTo("valve");
        assertThat(reader.sequence(0)).isEqualTo(1);
    }

    @Test
    void refusesAFileWithTheWrongMagicAndLeavesItAlone() throws IOException {
        Path file = dir.resolve("foreign.bin");
        byte[] content = new byte[4096];
        content[0] = 'P';
        Files.write(file, content);

        assertRefusedUnchanged(file, "found magic 50000000", "expected 524d414e45585553 (\"RMANEXUS\")");
    }

    @Test
    void refusesAnotherVersion() throws IOException {
        Path file = createdFile();
        patch(file, b -> b.putInt(8, 2));

        assertRefusedUnchanged(file, "found format version 2, expected 1");
    }

    @Test
    void refusesATruncatedFile() throws IOException {
        Path file = createdFile();
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 64));

        assertRefusedUnchanged(file, "its header says 1408 bytes but the file has 1344: it was truncated or resized");
    }

    @Test
    void refusesATinyFile() throws IOException {
        Path file = dir.resolve("tiny.mmap");
        Files.write(file, new byte[10]);

        assertRefusedUnchanged(file, "it is 10 bytes, too short for the 64-byte header");
    }

    @Test
    void refusesAFileWithAnotherLayout() throws IOException {
        Path file = createdFile();

        assertThatThrownBy(() -> MappedRmaBackend.open(file, List.of(new Bank(0, "process", 2048))))
                .isInstanceOf(NexusException.class)
                .hasMessageContaining("it holds banks [process:1024, alarms:64] but the configuration asks for [process:2048]");
    }

    @Test
    void aWriterThatDiedMidWriteIsReportedNotWaitedForeverOn() throws IOException {
        Path file = createdFile();
        patch(file, b -> b.putLong(64, 7)); // bank 0's sequence left odd
        MappedRmaBackend backend = MappedRmaBackend.open(file, LAYOUT);

        BlockRead block = new BlockRead(4).target(0, 0, 4);
        backend.read(block);

        assertThat(block.status()).isEqualTo(ReadStatus.CONTENDED);
        assertThatThrownBy(() -> backend.write(0, 0, new byte[1], 0, 1))
                .isInstanceOf(NexusException.class)
                .hasMessageContaining("stays locked by another writer")
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.CONFLICT);
        BlockRead other = new BlockRead(4).target(1, 0, 4);
        backend.read(other);
        assertThat(other.status()).as("other banks are unaffected").isEqualTo(ReadStatus.OK);
    }

    @Test
    void aFileThatShrinksWhileMappedStopsTheBackendWithoutAnError() throws IOException {
        Path file = dir.resolve("shrunk.mmap");
        List<Bank> pages = List.of(new Bank(0, "process", 65536), new Bank(1, "alarms", 8192));
        MappedRmaBackend backend = opened(MappedRmaBackend.open(file, pages, 0)); // no watch: every read checks
        backend.write(Allocation.of(1, 4, RmaType.UINT32), 7L);
        long size = Files.size(file);
        assertThat(backend.failure()).isNull();

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(1000); // as `truncate -s 1000`: bank 1's pages now lie past the end of the file
        }

        String reason = file.toAbsolutePath() + " shrank from " + size + " to 1000 bytes while mapped:"
                + " RMA Nexus stopped using it; restore the file or restart";
        BlockRead one = new BlockRead(4).target(1, 4, 4);
        backend.read(one);
        assertThat(one.status()).isEqualTo(ReadStatus.UNAVAILABLE);
        assertThat(backend.failure()).isEqualTo(reason);
        BlockRead[] batch = { new BlockRead(8).target(0, 0, 8), new BlockRead(8).target(1, 8000, 8),
                new BlockRead(8).target(7, 0, 8) };
        backend.read(batch, batch.length);
        assertThat(batch).extracting(BlockRead::status)
                .containsExactly(ReadStatus.UNAVAILABLE, ReadStatus.UNAVAILABLE, ReadStatus.UNKNOWN_BANK);
        assertUnavailable(() -> backend.write(1, 0, new byte[4], 0, 4), reason);
        assertUnavailable(() -> backend.writeBit(1, 8000, 3, true), reason);
        assertUnavailable(() -> backend.write(Allocation.of(0, 0, RmaType.UINT16), 1), reason);
        assertUnavailable(() -> backend.sequence(1), reason);
        assertUnavailable(() -> backend.lastWriteNanos(1), reason);
        assertThat(Files.size(file)).as("the file is left as it was found").isEqualTo(1000);
    }

    @Test
    void theWatchNoticesAShrinkWithoutAnyOperationAndReadsThenAnswerUnavailable() throws IOException {
        Path file = dir.resolve("watched.mmap");
        List<Bank> pages = List.of(new Bank(0, "process", 65536), new Bank(1, "alarms", 8192));
        MappedRmaBackend backend = opened(MappedRmaBackend.open(file, pages));
        long size = Files.size(file);

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(1000);
        }

        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (backend.failure() == null && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(backend.failure()).isEqualTo(file.toAbsolutePath() + " shrank from " + size
                + " to 1000 bytes while mapped: RMA Nexus stopped using it; restore the file or restart");
        BlockRead one = new BlockRead(4).target(1, 4, 4);
        backend.read(one);
        BlockRead[] batch = { new BlockRead(8).target(0, 0, 8), new BlockRead(8).target(0, 8, 8),
                new BlockRead(8).target(1, 8000, 8) };
        backend.read(batch, batch.length);
        assertThat(one.status()).isEqualTo(ReadStatus.UNAVAILABLE);
        assertThat(batch).extracting(BlockRead::status).containsOnly(ReadStatus.UNAVAILABLE);
    }

    @Test
    void closingStopsTheWatchThread() {
        long before = watchThreads();
        MappedRmaBackend backend = MappedRmaBackend.open(dir.resolve("closed.mmap"), LAYOUT);
        assertThat(watchThreads()).isEqualTo(before + 1);

        backend.close();

        assertThat(watchThreads()).isEqualTo(before);
    }

    private static long watchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("nexus-rma-shrink-watch")).count();
    }

    @Test
    void aBatchReadsEachBlockFromItsOwnBankAndStatusesStayPerBlock() {
        MappedRmaBackend backend = opened(MappedRmaBackend.open(dir.resolve("batch.mmap"), LAYOUT));
        backend.write(0, 0, new byte[] { 1, 2, 3, 4 }, 0, 4);
        backend.write(0, 100, new byte[] { 5, 6 }, 0, 2);
        backend.write(1, 0, new byte[] { 7 }, 0, 1);

        BlockRead[] batch = { new BlockRead(4).target(0, 0, 4), new BlockRead(2).target(0, 100, 2),
                new BlockRead(4).target(0, 2000, 4), new BlockRead(1).target(1, 0, 1), new BlockRead(1).target(9, 0, 1),
                new BlockRead(2).target(0, 101, 2) };
        backend.read(batch, batch.length);

        assertThat(batch).extracting(BlockRead::status).containsExactly(ReadStatus.OK, ReadStatus.OK,
                ReadStatus.OUT_OF_RANGE, ReadStatus.OK, ReadStatus.UNKNOWN_BANK, ReadStatus.OK);
        assertThat(batch[0].data()).containsExactly(1, 2, 3, 4);
        assertThat(batch[1].data()).containsExactly(5, 6);
        assertThat(batch[3].data()).containsExactly(7);
        assertThat(batch[5].data()).containsExactly(6, 0);
        assertThat(batch).extracting(BlockRead::sequence).containsExactly(2L, 2L, 0L, 1L, 0L, 2L);
    }

    @Test
    void aWriterThatDiedMidWriteMakesABatchContendedInItsBankOnly() throws IOException {
        Path file = createdFile();
        patch(file, b -> b.putLong(64, 7)); // bank 0's sequence left odd
        MappedRmaBackend backend = opened(MappedRmaBackend.open(file, LAYOUT));

        BlockRead[] batch = { new BlockRead(4).target(0, 0, 4), new BlockRead(4).target(0, 8, 4),
                new BlockRead(4).target(1, 0, 4) };
        backend.read(batch, batch.length);

        assertThat(batch).extracting(BlockRead::status)
                .containsExactly(ReadStatus.CONTENDED, ReadStatus.CONTENDED, ReadStatus.OK);
    }

    private static void assertUnavailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOf(NexusException.class).hasMessage(reason)
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
    }

    private Path createdFile() {
        Path file = dir.resolve("made-" + files.incrementAndGet() + ".mmap");
        MappedRmaBackend.open(file, LAYOUT).close();
        return file;
    }

    private static void patch(Path file, java.util.function.Consumer<ByteBuffer> change) throws IOException {
        ByteBuffer b = bytes(file);
        change.accept(b);
        Files.write(file, b.array());
    }

    private static void assertRefusedUnchanged(Path file, String... fragments) throws IOException {
        byte[] before = Files.readAllBytes(file);
        FileTime modified = Files.getLastModifiedTime(file);

        var thrown = assertThatThrownBy(() -> MappedRmaBackend.open(file, LAYOUT))
                .isInstanceOf(NexusException.class)
                .hasMessageStartingWith("refusing RMA memory file " + file.toAbsolutePath())
                .hasMessageEndingWith("RMA Nexus never changes an existing file: fix or remove it yourself.");
        for (String fragment : fragments) {
            thrown.hasMessageContaining(fragment);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
    }
}
