package nexus.rma.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;

/**
 * RMA in a memory-mapped file that other processes map too (format and write protocol in
 * docs/rma-format.md). Each bank has a seqlock in its table entry: a writer makes the sequence odd
 * (compare-and-set from even), writes, then makes it even again (release); a reader reads the
 * sequence (acquire), copies, and accepts the copy only if the sequence was even and unchanged,
 * retrying with back-off. Readers never take the lock: a writer that cannot compare-and-set (a
 * script) stays safe as long as it is its bank's only such writer.
 *
 * <p>A missing file is created with the configured layout; an existing file is used only if it
 * holds exactly that layout, and is never truncated, resized or reformatted.
 */
final class MappedRmaBackend extends BankedBackend {

    static final String NAME = "mmap";

    /** Attempts that only spin, before the time limit starts to count. */
    private static final int SPINS = 100;

    /**
     * How long a reader tries for a snapshot, and a writer for the lock, before giving up: a writer
     * holds a bank that long only if it died mid-write.
     */
    static final long LOCK_TIMEOUT_NANOS = 200_000_000L;

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final MappedByteBuffer map;
    private final int[] dataOffsets;

    private MappedRmaBackend(Path file, List<Bank> banks, MappedByteBuffer map, long[] offsets) {
        super(NAME, banks);
        this.file = file;
        this.map = map;
        this.dataOffsets = new int[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            this.dataOffsets[i] = Math.toIntExact(offsets[i]);
        }
    }

    /**
     * Maps the file, creating it with the layout when it does not exist.
     *
     * @throws NexusException INVALID_ARGUMENT when an existing file is not an RMA Nexus memory file
     *                        of this version and layout; INTERNAL when the file cannot be read or created
     */
    static MappedRmaBackend open(Path file, List<Bank> banks) {
        Path path = file.toAbsolutePath().normalize();
        try {
            if (!Files.exists(path)) {
                create(path, banks);
            }
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = channel.size();
                if (size > Integer.MAX_VALUE) {
                    throw new NexusException(ErrorCode.INVALID_ARGUMENT, "refusing RMA memory file " + path
                            + ": it is " + size + " bytes, more than the 2 GiB one mapping can hold");
                }
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
                map.order(ByteOrder.LITTLE_ENDIAN);
                long[] offsets = MappedFormat.verify(map, size, banks, path.toString());
                return new MappedRmaBackend(path, banks, map, offsets);
            }
        } catch (IOException e) {
            throw new NexusException(ErrorCode.INTERNAL, "cannot open RMA memory file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes a new file beside the target and moves it in, so nobody ever maps half a header. */
    private static void create(Path path, List<Bank> banks) throws IOException {
        Files.createDirectories(path.getParent());
        long size = MappedFormat.plan(banks)[banks.size()];
        Path temp = Files.createTempFile(path.getParent(), path.getFileName().toString(), ".new");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
                MappedFormat.format(map, banks);
                map.force();
            }
            Files.move(temp, path); // fails rather than replace a file another process created meanwhile
        } catch (FileAlreadyExistsException e) {
            // Another process created it first: use theirs (it is verified like any existing file).
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** @return the mapped file */
    Path file() {
        return file;
    }

    @Override
    public void read(BlockRead block) {
        if (!readable(block)) {
            return;
        }
        int entry = MappedFormat.entry(block.bank());
        int data = dataOffsets[block.bank()] + block.offset();
        if (!tryRead(block, entry, data, block.length())) {
            readContended(block, entry, data, block.length());
        }
    }

    /**
     * One attempt of the seqlock read protocol; kept small so it inlines into callers' loops. The
     * sequence is read with a plain 8-byte load plus an acquire fence rather than a VarHandle
     * getAcquire: the same ordering, measurably cheaper for small blocks (docs/benchmarks.md). The
     * load is a single aligned 8-byte load (the sequence is 8-aligned in a page-aligned mapping).
     */
    private boolean tryRead(BlockRead block, int entry, int data, int length) {
        long before = map.getLong(entry + MappedFormat.E_SEQUENCE);
        VarHandle.acquireFence();
        if ((before & 1) != 0) {
            return false;
        }
        map.get(data, block.data(), 0, length);
        long lastWrite = map.getLong(entry + MappedFormat.E_LAST_WRITE);
        VarHandle.loadLoadFence();
        if (before != map.getLong(entry + MappedFormat.E_SEQUENCE)) {
            return false;
        }
        block.complete(before >>> 1, lastWrite);
        return true;
    }

    /** Retries with back-off while writers overlap, for up to {@link #LOCK_TIMEOUT_NANOS}. */
    private void readContended(BlockRead block, int entry, int data, int length) {
        long deadline = 0;
        for (int attempt = 0; ; attempt++) {
            pause(attempt);
            if (tryRead(block, entry, data, length)) {
                return;
            }
            if (attempt == SPINS) {
                deadline = System.nanoTime() + LOCK_TIMEOUT_NANOS;
            } else if (attempt > SPINS && System.nanoTime() - deadline > 0) {
                block.fail(ReadStatus.CONTENDED);
                return;
            }
        }
    }

    @Override
    public void write(int bank, int offset, byte[] source, int sourceOffset, int length) {
        Bank b = writable(bank, offset, length);
        Objects.checkFromIndexSize(sourceOffset, length, source.length);
        int entry = MappedFormat.entry(bank);
        long sequence = enter(b, entry);
        map.put(dataOffsets[bank] + offset, source, sourceOffset, length);
        leave(entry, sequence);
    }

    @Override
    public void writeBit(int bank, int byteOffset, int bit, boolean value) {
        Bank b = writableBit(bank, byteOffset, bit);
        int entry = MappedFormat.entry(bank);
        long sequence = enter(b, entry);
        int index = dataOffsets[bank] + byteOffset;
        int mask = 1 << bit;
        byte old = map.get(index);
        map.put(index, (byte) (value ? old | mask : old & ~mask));
        leave(entry, sequence);
    }

    @Override
    public long sequence(int bank) {
        known(bank);
        return ((long) LONG.getAcquire(map, MappedFormat.entry(bank) + MappedFormat.E_SEQUENCE)) >>> 1;
    }

    @Override
    public long lastWriteNanos(int bank) {
        known(bank);
        return (long) LONG.getAcquire(map, MappedFormat.entry(bank) + MappedFormat.E_LAST_WRITE);
    }

    /** Takes the bank's seqlock for a write: even sequence s becomes s + 1. @return s */
    private long enter(Bank bank, int entry) {
        long sequence = lock(entry + MappedFormat.E_SEQUENCE);
        if (sequence < 0) {
            throw new NexusException(ErrorCode.CONFLICT, "bank '" + bank.name() + "' in " + file
                    + " stays locked by another writer (its sequence is odd): if a writer died mid-write, restore"
                    + " the bank's sequence to an even number");
        }
        return sequence;
    }

    /** Compare-and-sets an even sequence s to s + 1. @return s, or -1 when it stayed odd too long */
    private long lock(int sequenceIndex) {
        long deadline = System.nanoTime() + LOCK_TIMEOUT_NANOS;
        for (int attempt = 0; ; attempt++) {
            long sequence = (long) LONG.getAcquire(map, sequenceIndex);
            if ((sequence & 1) == 0 && LONG.compareAndSet(map, sequenceIndex, sequence, sequence + 1)) {
                return sequence;
            }
            if (System.nanoTime() - deadline > 0) {
                return -1;
            }
            pause(attempt);
        }
    }

    /** Stamps the write time and releases the seqlock: s + 1 becomes s + 2. */
    private void leave(int entry, long sequence) {
        LONG.setOpaque(map, entry + MappedFormat.E_LAST_WRITE, EpochNanos.now());
        LONG.setRelease(map, entry + MappedFormat.E_SEQUENCE, sequence + 2);
    }

    /** Spins first (a write takes nanoseconds), then yields, then sleeps a little: contention is rare. */
    private static void pause(int attempt) {
        if (attempt < SPINS) {
            Thread.onSpinWait();
        } else if (attempt < 1_000) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(10_000);
        }
    }
}
