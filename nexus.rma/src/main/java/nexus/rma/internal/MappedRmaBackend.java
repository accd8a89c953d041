package nexus.rma.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>Someone else may still shrink the file while it is mapped, and touching a mapped page past the
 * end of the file faults (SIGBUS, which the JVM turns into an {@link InternalError}). So every
 * operation first compares the file's size with the layout's on a descriptor kept open (one
 * {@code fstat}, about 0.2 µs: once per call, once per batch for {@link #read(BlockRead[], int)}),
 * and catches {@code InternalError} around its mapped accesses. That catch is a last resort: on
 * JDK 17 the JVM throws a fault's error late, at the thread's next call into the VM, possibly after
 * the backend returned; so a shrink landing between the check and an access can still surface
 * outside. Once the file shrank the backend stops for good: reads fail with
 * {@link ReadStatus#UNAVAILABLE}, writes and sequence reads throw {@code BACKEND_UNAVAILABLE}, and
 * {@link #failure()} says why.
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

    private static final Logger LOG = LoggerFactory.getLogger(MappedRmaBackend.class);

    private final Path file;
    private final MappedByteBuffer map;
    private final int[] dataOffsets;
    /** Kept open only to ask the file's size: {@code length()} is not interruptible, a channel's size() is. */
    private final RandomAccessFile sizer;
    /** The bytes the layout needs, that is the size the file had when mapped. */
    private final long size;
    /** Why the file is no longer used, or null while it is. */
    private volatile String failure;

    private MappedRmaBackend(Path file, List<Bank> banks, MappedByteBuffer map, long[] offsets, RandomAccessFile sizer,
            long size) {
        super(NAME, banks);
        this.file = file;
        this.map = map;
        this.sizer = sizer;
        this.size = size;
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
            RandomAccessFile sizer = new RandomAccessFile(path.toFile(), "rw");
            try {
                FileChannel channel = sizer.getChannel();
                long size = channel.size();
                if (size > Integer.MAX_VALUE) {
                    throw new NexusException(ErrorCode.INVALID_ARGUMENT, "refusing RMA memory file " + path
                            + ": it is " + size + " bytes, more than the 2 GiB one mapping can hold");
                }
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
                map.order(ByteOrder.LITTLE_ENDIAN);
                long[] offsets = MappedFormat.verify(map, size, banks, path.toString());
                return new MappedRmaBackend(path, banks, map, offsets, sizer, size);
            } catch (RuntimeException | IOException | InternalError e) {
                sizer.close();
                throw e;
            }
        } catch (InternalError e) {
            throw new NexusException(ErrorCode.INTERNAL, "cannot read RMA memory file " + path
                    + ": it shrank while being checked", e);
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
            restrictMode(temp);
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

    /**
     * Gives a file this node created the mode its folder calls for, whatever the umask: owner-only
     * (0600), or 0660 when the folder is group-writable ({@code ./nexus} with {@code NEXUS_WRITER_GROUP}
     * makes {@code data/} so, for a PLC driver). Whoever can write the mmap region is an admin
     * (docs/security.md). On a file system without POSIX modes its own defaults apply.
     */
    private static void restrictMode(Path file) throws IOException {
        Set<PosixFilePermission> mode = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        try {
            if (Files.getPosixFilePermissions(file.toAbsolutePath().getParent()).contains(PosixFilePermission.GROUP_WRITE)) {
                mode.add(PosixFilePermission.GROUP_READ);
                mode.add(PosixFilePermission.GROUP_WRITE);
            }
            Files.setPosixFilePermissions(file, mode);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    /** @return the mapped file */
    Path file() {
        return file;
    }

    /** @return why the file is no longer used (it shrank under the mapping), or null while it is */
    String failure() {
        return failure;
    }

    @Override
    void close() {
        super.close();
        try {
            sizer.close();
        } catch (IOException e) {
            LOG.warn("Closing {} failed: {}", file, e.toString());
        }
    }

    @Override
    public void read(BlockRead block) {
        if (!readable(block)) {
            return;
        }
        try {
            if (intact()) {
                readRange(block);
                return;
            }
        } catch (InternalError e) {
            faulted(e);
        }
        block.fail(ReadStatus.UNAVAILABLE);
    }

    /** Checks the file once for the whole batch. */
    @Override
    public void read(BlockRead[] blocks, int count) {
        if (count == 0) {
            return;
        }
        try {
            if (intact()) {
                for (int i = 0; i < count; i++) {
                    BlockRead block = blocks[i];
                    if (readable(block) && failure == null) {
                        readRange(block);
                    }
                }
                if (failure == null) {
                    return;
                }
            }
        } catch (InternalError e) {
            faulted(e);
        }
        for (int i = 0; i < count; i++) {
            BlockRead block = blocks[i];
            if (block.ok() || block.status() == ReadStatus.NOT_READ && readable(block)) {
                block.fail(ReadStatus.UNAVAILABLE);
            }
        }
    }

    /** Reads a block whose range is valid. */
    private void readRange(BlockRead block) {
        int entry = MappedFormat.entry(block.bank());
        int data = dataOffsets[block.bank()] + block.offset();
        if (!tryRead(block, entry, data, block.length())) {
            readContended(block, entry, data, block.length());
        }
    }

    /**
     * @return whether the file still has the size it was mapped with; if not, the backend stops
     *         using it (a closed backend is not checked: its descriptor is closed)
     */
    private boolean intact() {
        if (failure != null) {
            return false;
        }
        if (closed()) {
            return true;
        }
        long now;
        try {
            now = sizer.length();
        } catch (IOException e) {
            if (closed()) {
                return true;
            }
            fail(file + " cannot be checked while mapped (" + e.getMessage() + "): RMA Nexus stopped using it;"
                    + " restore the file or restart");
            return false;
        }
        if (now < size && !closed()) {
            fail(file + " shrank from " + size + " to " + now + " bytes while mapped: RMA Nexus stopped using it;"
                    + " restore the file or restart");
            return false;
        }
        return true;
    }

    /** A mapped access faulted: most likely the file shrank, which {@link #intact()} then reports. */
    private void faulted(InternalError fault) {
        if (intact()) {
            LOG.debug("Fault in the mapping of {}", file, fault);
            fail("an access to " + file + " faulted while mapped (the file may have been replaced or damaged):"
                    + " RMA Nexus stopped using it; restore the file or restart");
        }
    }

    private void fail(String reason) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = reason;
        }
        LOG.error("RMA backend mmap stopped: {}", reason);
    }

    private NexusException unavailable() {
        String reason = failure;
        return new NexusException(ErrorCode.BACKEND_UNAVAILABLE, reason != null ? reason
                : "the " + NAME + " backend is being replaced: try again");
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
        try {
            if (intact()) {
                long sequence = enter(b, entry);
                try {
                    map.put(dataOffsets[bank] + offset, source, sourceOffset, length);
                } finally {
                    leave(entry, sequence);
                }
                return;
            }
        } catch (InternalError e) {
            faulted(e);
        }
        throw unavailable();
    }

    @Override
    public void writeBit(int bank, int byteOffset, int bit, boolean value) {
        Bank b = writableBit(bank, byteOffset, bit);
        int entry = MappedFormat.entry(bank);
        try {
            if (intact()) {
                long sequence = enter(b, entry);
                try {
                    int index = dataOffsets[bank] + byteOffset;
                    int mask = 1 << bit;
                    byte old = map.get(index);
                    map.put(index, (byte) (value ? old | mask : old & ~mask));
                } finally {
                    leave(entry, sequence);
                }
                return;
            }
        } catch (InternalError e) {
            faulted(e);
        }
        throw unavailable();
    }

    /** @throws NexusException BACKEND_UNAVAILABLE when the file is no longer used (it shrank) */
    @Override
    public long sequence(int bank) {
        known(bank);
        try {
            if (intact()) {
                return ((long) LONG.getAcquire(map, MappedFormat.entry(bank) + MappedFormat.E_SEQUENCE)) >>> 1;
            }
        } catch (InternalError e) {
            faulted(e);
        }
        throw unavailable();
    }

    /** @throws NexusException BACKEND_UNAVAILABLE when the file is no longer used (it shrank) */
    @Override
    public long lastWriteNanos(int bank) {
        known(bank);
        try {
            if (intact()) {
                return (long) LONG.getAcquire(map, MappedFormat.entry(bank) + MappedFormat.E_LAST_WRITE);
            }
        } catch (InternalError e) {
            faulted(e);
        }
        throw unavailable();
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
