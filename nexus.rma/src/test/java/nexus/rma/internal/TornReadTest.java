package nexus.rma.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;

/**
 * A reader never sees a block torn by a concurrent writer. A writer thread fills a 256-byte block
 * with one byte value after another (0, 1, 2, … each write a whole pattern) while it also flips
 * bits elsewhere in the bank; the reader checks, across two million reads, that every snapshot
 * holds a single value in all 256 bytes. For the shared-memory backend reader and writer use two
 * separate mappings of the file, as two processes would.
 */
class TornReadTest {

    private static final List<Bank> LAYOUT = List.of(new Bank(0, "process", 4096));
    private static final int BLOCK = 256;
    private static final int READS = 2_000_000;

    @TempDir
    Path dir;

    @Test
    void heapReadsAreNeverTorn() throws InterruptedException {
        HeapRmaBackend backend = new HeapRmaBackend(LAYOUT);
        assertNeverTorn(backend, backend);
    }

    @Test
    void mappedReadsAreNeverTornAcrossMappings() throws InterruptedException {
        Path file = dir.resolve("torn.mmap");
        MappedRmaBackend writer = MappedRmaBackend.open(file, LAYOUT);
        MappedRmaBackend reader = MappedRmaBackend.open(file, LAYOUT);
        try {
            assertNeverTorn(writer, reader);
        } finally {
            writer.close();
            reader.close();
        }
    }

    /**
     * A batch reads neighbouring blocks of one bank inside one sequence check, and block by block when
     * a writer overlapped. Either way, while the writer rewrites a range and flips bits beside it as
     * fast as it can, no block is torn, and blocks stamped with the same sequence hold the same state
     * of the bank (two blocks cut from the one written range hold the same value).
     */
    @Test
    void mappedBatchesAreNeverTornAndEqualSequencesMeanOneState() throws InterruptedException {
        Path file = dir.resolve("runs.mmap");
        MappedRmaBackend writerSide = MappedRmaBackend.open(file, LAYOUT);
        MappedRmaBackend readerSide = MappedRmaBackend.open(file, LAYOUT);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        Thread writer = new Thread(() -> {
            byte[] pattern = new byte[BLOCK];
            for (int value = 0; !stop.get(); value++) {
                Arrays.fill(pattern, (byte) value);
                writerSide.write(0, 512, pattern, 0, BLOCK);
                writerSide.writeBit(0, 1024 + (value & 63), value & 7, (value & 8) != 0);
                writes.incrementAndGet();
            }
        }, "run-read-writer");
        writer.start();

        BlockRead[] run = { new BlockRead(16).target(0, 512, 16), new BlockRead(16).target(0, 512 + BLOCK - 16, 16),
                new BlockRead(64).target(0, 1024, 64) };
        long torn = 0;
        long split = 0;
        long contended = 0;
        long changes = 0;
        byte previous = 0;
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; i < READS || changes <= 100 && System.nanoTime() < deadline; i++) {
                readerSide.read(run, run.length);
                if (Arrays.stream(run).anyMatch(b -> b.status() == ReadStatus.CONTENDED)) {
                    contended++;
                    continue;
                }
                assertThat(run).extracting(BlockRead::status).containsOnly(ReadStatus.OK);
                byte first = run[0].data()[0];
                byte last = run[1].data()[0];
                if (!allEqual(run[0].data(), first) || !allEqual(run[1].data(), last)) {
                    torn++;
                } else if (run[0].sequence() == run[1].sequence() && first != last) {
                    split++;
                }
                if (first != previous) {
                    changes++;
                    previous = first;
                }
            }
        } finally {
            stop.set(true);
            writer.join(10_000);
            writerSide.close();
            readerSide.close();
        }

        assertThat(torn).as("torn blocks in " + READS + " batches").isZero();
        assertThat(split).as("blocks with one sequence but different states").isZero();
        assertThat(contended).as("reads that gave up").isLessThan(READS / 100);
        assertThat(writes.get()).as("the writer really ran").isGreaterThan(1_000);
        assertThat(changes).as("the reader really saw the range change").isGreaterThan(100);
    }

    private static boolean allEqual(byte[] data, byte value) {
        for (byte b : data) {
            if (b != value) {
                return false;
            }
        }
        return true;
    }

    private static void assertNeverTorn(RmaBackend writerSide, RmaBackend readerSide) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        Thread writer = new Thread(() -> {
            byte[] pattern = new byte[BLOCK];
            for (int value = 0; !stop.get(); value++) {
                Arrays.fill(pattern, (byte) value);
                writerSide.write(0, 512, pattern, 0, BLOCK);
                writerSide.writeBit(0, 1024 + (value & 63), value & 7, (value & 8) != 0);
                writes.incrementAndGet();
            }
        }, "torn-read-writer");
        writer.start();

        BlockRead block = new BlockRead(BLOCK).target(0, 512, BLOCK);
        long torn = 0;
        long contended = 0;
        long changes = 0;
        byte previous = 0;
        long previousSequence = -1;
        try {
            // On a loaded machine the writer may get little CPU while the reader spins: read on (up to
            // 30 s) until the block has really been seen changing, so the check below is about tearing,
            // not about scheduling.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; i < READS || changes <= 100 && System.nanoTime() < deadline; i++) {
                readerSide.read(block);
                if (block.status() == ReadStatus.CONTENDED) {
                    // The writer below is far busier than any real one; giving up on a snapshot
                    // after the time limit is allowed, seeing a torn one never is.
                    contended++;
                    continue;
                }
                assertThat(block.status()).isEqualTo(ReadStatus.OK);
                byte[] data = block.data();
                byte first = data[0];
                for (int j = 1; j < BLOCK; j++) {
                    if (data[j] != first) {
                        torn++;
                        break;
                    }
                }
                if (first != previous) {
                    changes++;
                    previous = first;
                }
                assertThat(block.sequence()).as("sequences never go back").isGreaterThanOrEqualTo(previousSequence);
                previousSequence = block.sequence();
            }
        } finally {
            stop.set(true);
            writer.join(10_000);
        }

        assertThat(torn).as("torn snapshots in " + READS + " reads").isZero();
        assertThat(contended).as("reads that gave up").isLessThan(READS / 100);
        assertThat(writes.get()).as("the writer really ran").isGreaterThan(1_000);
        assertThat(changes).as("the reader really saw the block change").isGreaterThan(100);
    }
}
