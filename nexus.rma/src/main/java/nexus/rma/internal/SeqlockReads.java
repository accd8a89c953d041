package nexus.rma.internal;

import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.util.concurrent.locks.LockSupport;

import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;

/**
 * The reader's side of the mmap file's seqlock (docs/rma-format.md): read the bank's sequence
 * (acquire), copy, read the last-write time, and accept the copy only if the sequence was even and
 * is unchanged; otherwise retry with back-off for up to {@link MappedRmaBackend#LOCK_TIMEOUT_NANOS}.
 *
 * <p>A set of blocks is read one <em>run</em> at a time: neighbours in the set that lie in the same
 * bank are copied inside one sequence check, so a run costs two sequence loads, one last-write
 * load and one pair of fences however many blocks it has, and all its blocks carry the same
 * sequence (one snapshot of the bank). If a writer overlaps the run, its blocks are read again one
 * by one with the usual retries, so a run never waits longer for a quiet moment than its blocks
 * would alone; each block is then its own snapshot, as the contract promises. Either way, blocks
 * with the same sequence hold the same state of the bank.
 *
 * <p>The sequence is read with a plain 8-byte load plus an acquire fence rather than a VarHandle
 * getAcquire: the same ordering, measurably cheaper for small blocks (docs/benchmarks.md). The load
 * is a single aligned 8-byte load (the sequence is 8-aligned in a page-aligned mapping). Callers
 * check ranges first; a fault of the mapping surfaces as {@link InternalError} to them.
 */
final class SeqlockReads {

    /** Attempts that only spin, before the time limit starts to count. */
    static final int SPINS = 100;

    private final MappedByteBuffer map;
    private final int[] dataOffsets;

    /**
     * @param map         the whole file, little-endian
     * @param dataOffsets each bank's data offset in the file
     */
    SeqlockReads(MappedByteBuffer map, int[] dataOffsets) {
        this.map = map;
        this.dataOffsets = dataOffsets;
    }

    /** Reads one block whose range is valid, retrying while writers overlap. */
    void read(BlockRead block) {
        if (!tryRead(block)) {
            readContended(block);
        }
    }

    /**
     * Reads the blocks {@code from} (inclusive) to {@code to} (exclusive), all in {@code bank} with
     * valid ranges, as one snapshot if no writer overlaps, else one by one.
     */
    void readRun(int bank, BlockRead[] blocks, int from, int to) {
        if (to - from == 1) {
            read(blocks[from]);
        } else if (!tryRun(bank, blocks, from, to)) {
            for (int i = from; i < to; i++) {
                read(blocks[i]);
            }
        }
    }

    /** One attempt of the protocol for one block; small so that it inlines into callers' loops. */
    private boolean tryRead(BlockRead block) {
        int entry = MappedFormat.entry(block.bank());
        long before = map.getLong(entry + MappedFormat.E_SEQUENCE);
        VarHandle.acquireFence();
        if ((before & 1) != 0) {
            return false;
        }
        map.get(dataOffsets[block.bank()] + block.offset(), block.data(), 0, block.length());
        long lastWrite = map.getLong(entry + MappedFormat.E_LAST_WRITE);
        VarHandle.loadLoadFence();
        if (before != map.getLong(entry + MappedFormat.E_SEQUENCE)) {
            return false;
        }
        block.complete(before >>> 1, lastWrite);
        return true;
    }

    /** One attempt of the protocol for a run: all its blocks between the same two sequence reads. */
    private boolean tryRun(int bank, BlockRead[] blocks, int from, int to) {
        int entry = MappedFormat.entry(bank);
        int data = dataOffsets[bank];
        long before = map.getLong(entry + MappedFormat.E_SEQUENCE);
        VarHandle.acquireFence();
        if ((before & 1) != 0) {
            return false;
        }
        for (int i = from; i < to; i++) {
            BlockRead block = blocks[i];
            map.get(data + block.offset(), block.data(), 0, block.length());
        }
        long lastWrite = map.getLong(entry + MappedFormat.E_LAST_WRITE);
        VarHandle.loadLoadFence();
        if (before != map.getLong(entry + MappedFormat.E_SEQUENCE)) {
            return false;
        }
        long sequence = before >>> 1;
        for (int i = from; i < to; i++) {
            blocks[i].complete(sequence, lastWrite);
        }
        return true;
    }

    /** Retries with back-off while writers overlap, for up to {@link MappedRmaBackend#LOCK_TIMEOUT_NANOS}. */
    private void readContended(BlockRead block) {
        long deadline = 0;
        for (int attempt = 0; ; attempt++) {
            pause(attempt);
            if (tryRead(block)) {
                return;
            }
            if (attempt == SPINS) {
                deadline = System.nanoTime() + MappedRmaBackend.LOCK_TIMEOUT_NANOS;
            } else if (attempt > SPINS && System.nanoTime() - deadline > 0) {
                block.fail(ReadStatus.CONTENDED);
                return;
            }
        }
    }

    /** Spins first (a write takes nanoseconds), then yields, then sleeps a little: contention is rare. */
    static void pause(int attempt) {
        if (attempt < SPINS) {
            Thread.onSpinWait();
        } else if (attempt < 1_000) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(10_000);
        }
    }
}
