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
 * end of the file faults (SIGBUS, which the JVM turns into an {@link InternalError}). So the file's
 * size is compared with the layout's on a descriptor kept open (one {@code fstat}, 0.2 µs on a
 * quiet machine, several on a busy one): before every write, and for reads every
 * {@link #WATCH_NANOS} by a {@link ShrinkWatch} thread, since a check per read would cost more than
 * the read of a few small blocks itself (docs/benchmarks.md). Every access to the mapping is inside
 * a catch of {@code InternalError}. That catch is a last resort: on JDK 17 the JVM throws a fault's
 * error late, at the thread's next call into the VM, possibly after the backend returned; so a
 * shrink landing between a check and an access (for reads: within the watch's interval) can still
 * surface outside. Once the file shrank the backend stops for good: reads fail with
 * {@link ReadStatus#UNAVAILABLE}, writes and sequence reads throw {@code BACKEND_UNAVAILABLE}, and
 * {@link #failure()} says why.
 */
final class MappedRmaBackend extends BankedBackend {

    static final String NAME = "mmap";

    /**
     * How long a reader tries for a snapshot, and a writer for the lock, before giving up: a writer
     * holds a bank that long only if it died mid-write.
     */
    static final long LOCK_TIMEOUT_NANOS = 200_000_000L;

    /**
     * How often the watch thread checks the file's size for readers: every 10 ms, which cost 0.4 % of a
     * core on a busy 2-core machine (every millisecond cost 2.7 %).
     */
    static final long WATCH_NANOS = 10_000_000L;

    /**
     * The most bytes a run of blocks copies inside one sequence check. Sharing the check saves a few
     * nanoseconds per block, which only matters for small blocks; a longer copy would only give a
     * writer more time to overlap it, and the run would then be read again block by block.
     */
    static final int RUN_BYTES = 16 * 1024;

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final Logger LOG = LoggerFactory.getLogger(MappedRmaBackend.class);

    private final Path file;
    private final MappedByteBuffer map;
    private final SeqlockReads reads;
    /** Kept open only to ask the file's size: {@code length()} is not interruptible, a channel's size() is. */
    private final RandomAccessFile sizer;
    /** The bytes the layout needs, that is the size the file had when mapped. */
    private final long size;
    private final int[] dataOffsets;
    /** Checks the size for readers; null when every read checks it itself. */
    private final ShrinkWatch watch;
    /** Why the file is no longer used, or null while it is. */
    private volatile String failure;

    private MappedRmaBackend(Path file, List<Bank> banks, MappedByteBuffer map, long[] offsets, RandomAccessFile sizer,
            long size, long watchNanos) {
        super(NAME, banks);
        this.file = file;
        this.map = map;
        this.sizer = sizer;
        this.size = size;
        this.dataOffsets = new int[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            this.dataOffsets[i] = Math.toIntExact(offsets[i]);
        }
        this.reads = new SeqlockReads(map, dataOffsets);
        this.watch = watchNanos > 0 ? new ShrinkWatch(this::intact, watchNanos) : null;
    }

    /**
     * Maps the file, creating it with the layout when it does not exist.
     *
     * @throws NexusException INVALID_ARGUMENT when an existing file is not an RMA Nexus memory file
     *                        of this version and layout; INTERNAL when the file cannot be read or created
     */
    static MappedRmaBackend open(Path file, List<Bank> banks) {
        return open(file, banks, WATCH_NANOS);
    }

    /**
     * As {@link #open(Path, List)}, with a watch thread checking the file's size for readers every
     * {@code watchNanos}; 0 starts no thread and every read checks the size itself.
     */
    static MappedRmaBackend open(Path file, List<Bank> banks, long watchNanos) {
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
                MappedRmaBackend backend = new MappedRmaBackend(path, banks, map, offsets, sizer, size, watchNanos);
                if (backend.watch != null) {
                    backend.watch.start();
                }
                return backend;
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
        if (watch != null) {
            watch.stop();
        }
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
            if (readsIntact()) {
                reads.read(block);
                return;
            }
        } catch (InternalError e) {
            faulted(e);
        }
        block.fail(ReadStatus.UNAVAILABLE);
    }

    /**
     * Reads each run of neighbouring blocks in one bank inside one sequence check, block by block
     * when a writer overlapped ({@link SeqlockReads}); without a watch, checks the file once for the
     * whole batch.
     */
    @Override
    public void read(BlockRead[] blocks, int count) {
        if (count == 0) {
            return;
        }
        try {
            if (readsIntact()) {
                readRuns(blocks, count);
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

    /**
     * Splits the batch into runs: neighbouring blocks of one bank whose ranges are valid, up to
     * {@link #RUN_BYTES} together. A block that cannot be read ends a run and carries its status.
     */
    private void readRuns(BlockRead[] blocks, int count) {
        int i = 0;
        while (i < count && failure == null) {
            BlockRead first = blocks[i++];
            if (!readable(first)) {
                continue;
            }
            int bank = first.bank();
            int from = i - 1;
            int bytes = first.length();
            while (i < count && blocks[i].bank() == bank && bytes + blocks[i].length() <= RUN_BYTES
                    && readable(blocks[i])) {
                bytes += blocks[i++].length();
            }
            reads.readRun(bank, blocks, from, i);
        }
    }

    /** @return whether reads may touch the mapping: the watch's verdict, or {@link #intact()} without a watch */
    private boolean readsIntact() {
        return watch != null ? failure == null : intact();
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
            SeqlockReads.pause(attempt);
        }
    }

    /** Stamps the write time and releases the seqlock: s + 1 becomes s + 2. */
    private void leave(int entry, long sequence) {
        LONG.setOpaque(map, entry + MappedFormat.E_LAST_WRITE, EpochNanos.now());
        LONG.setRelease(map, entry + MappedFormat.E_SEQUENCE, sequence + 2);
    }

}
