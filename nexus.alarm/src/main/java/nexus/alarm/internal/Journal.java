package nexus.alarm.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm journal: every alarm state the engine commits (after an operator action, after a scan's
 * transitions) appended to a plain file and forced to disk before anyone sees it — before the flag
 * byte is written to RMA, before the event leaves, before an action is answered. Together with the
 * {@link Snapshot} (the checkpoint) it tells a restart each alarm's last committed state.
 *
 * <p>Files: segments {@code <stem>.<n>} beside the snapshot ({@code alarms.journal.1}, …). A snapshot
 * names the first segment after it; replay reads the snapshot, then that segment and every later one
 * in order. A checkpoint starts a new segment, writes the snapshot naming it, then deletes the older
 * segments: a crash at any step leaves either the old snapshot with every segment after it, or the
 * new snapshot with (possibly) leftovers that replay deletes.
 *
 * <p>Segment format (big-endian): magic {@code NXALJRNL}, int version 2, long segment number, 36
 * bytes of the machine's boot id (ASCII, space-padded; blank where unknown), then records: int
 * payload length, int CRC-32 of the payload, payload. Payload: byte kind, long commit number, and for
 * a {@code STATE} record one alarm's whole state as the snapshot writes an entry (strings as an int
 * length and UTF-8; version 1 segments, whose strings are modified UTF-8 with a 16-bit length, are
 * replayed as before). A commit is its {@code STATE} records followed by one {@code COMMIT} record,
 * written in one write and forced with one fsync (a group commit). On replay a record that is cut
 * short, too long or fails its CRC ends the segment: it and everything after it (with the records of
 * a commit that has no {@code COMMIT} record) are truncated, counted and logged as a WARN. A state
 * whose record would exceed {@link #MAX_RECORD} is left out of its commit (and reported by the caller).
 *
 * <p>Each record is a whole state — flags and the timestamps of the same moment — so a restart never
 * pairs a flag byte with timestamps of an earlier occurrence: {@link Recovered} holds an alarm's last
 * committed state (the one a flag byte must equal to be restored with it) and the one committed
 * before it. After a failed write or segment start the disk is tried again at most once per
 * {@link #RETRY_MILLIS}; a segment whose header could not be written is deleted. Not thread-safe on
 * its own: the engine calls it under its lock (the checkpoint's deletion of old segments excepted,
 * which touches no open segment).
 */
final class Journal {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final byte[] MAGIC = "NXALJRNL".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    /** Segments of this version hold entries with the snapshot's version 3 strings (16-bit lengths). */
    static final int VERSION_SHORT_STRINGS = 1;
    /** The boot id's room in the header: a Linux boot id is a 36-character UUID. */
    static final int BOOT_ID = 36;
    static final int HEADER = MAGIC.length + 4 + 8 + BOOT_ID;
    static final byte STATE = 1;
    static final byte COMMIT = 2;
    /** No record is longer than this; a longer length is damage. */
    static final int MAX_RECORD = 1 << 20;
    /**
     * The longest alarm name, in UTF-8 bytes, whose state the journal takes: the rest of a record (users
     * and comments, bounded by the actions) fits in the 16 KiB left of {@link #MAX_RECORD}.
     */
    static final int MAX_NAME_BYTES = MAX_RECORD - 16 * 1024;
    /** After a failure the journal touches the disk again at most this often (a full disk costs no file per scan). */
    static final long RETRY_MILLIS = 1000;

    /** @return whether the state of an alarm of this name can be journaled */
    static boolean fits(String name) {
        if (name.length() > MAX_NAME_BYTES) {
            return false; // at least as many UTF-8 bytes as chars
        }
        return name.length() * 3 <= MAX_NAME_BYTES || name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES;
    }

    /** Opens a segment file; tests hand in one whose channels fail like a full or read-only disk. */
    @FunctionalInterface
    interface Channels {
        FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException;

        Channels DEFAULT = (file, options) -> FileChannel.open(file, options);
    }

    /** An alarm's last committed state and the one it had after its commit before that (or null). */
    record Recovered(Snapshot.Entry last, Snapshot.Entry previous) {
    }

    /**
     * What a replay found.
     *
     * @param alarms    each alarm's recovered states, by name
     * @param complete  false when the segment the snapshot names is missing: what happened after the
     *                  snapshot is lost, so no state may be taken as known
     * @param records   the STATE records replayed
     * @param tornBytes bytes truncated as a torn or damaged tail
     * @param rebooted  the newest segment was written under another boot of the machine (a power loss
     *                  or a reboot since): RMA's memory-mapped file may hold flag bytes older than the
     *                  journal, which then wins
     */
    record Replay(Map<String, Recovered> alarms, boolean complete, long records, long tornBytes, boolean rebooted) {
    }

    private final Path directory;
    private final String stem;
    private final Channels channels;
    private final String bootId;
    private final LongSupplier monotonicMillis;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);
    private final DataOutputStream out = new DataOutputStream(buffer);
    private FileChannel channel;
    private long segment;
    private long size;
    private long commit;
    private long fsyncs;
    private String broken = "not opened";
    /** The last failure's message, repeated while the disk is not tried again. */
    private String failure;
    /** When (monotonic ms) the last write or segment start failed, or {@link Long#MIN_VALUE}. */
    private long failedAt = Long.MIN_VALUE;

    /** @param stem the segments' file name without the number, e.g. {@code alarms.journal} */
    Journal(Path directory, String stem, Channels channels) {
        this(directory, stem, channels, currentBootId());
    }

    /** @param bootId this boot of the machine, or null when unknown */
    Journal(Path directory, String stem, Channels channels, String bootId) {
        this(directory, stem, channels, bootId, () -> System.nanoTime() / 1_000_000);
    }

    /** @param monotonicMillis a clock that never steps, for the retry interval after a failure */
    Journal(Path directory, String stem, Channels channels, String bootId, LongSupplier monotonicMillis) {
        this.monotonicMillis = monotonicMillis;
        this.directory = directory;
        this.stem = stem;
        this.channels = channels;
        this.bootId = bootId == null || bootId.isBlank() ? null
                : bootId.strip().substring(0, Math.min(BOOT_ID, bootId.strip().length()));
    }

    /** @return Linux's id of this boot of the machine, or null where there is none */
    static String currentBootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
            return null; // not Linux: a reboot cannot be told from a process crash
        }
    }

    /**
     * Replays the segments that follow the snapshot, deletes older leftovers, truncates a torn tail,
     * and starts a new segment for this run.
     *
     * @param snapshot the snapshot read, or null (none, or ignored as damaged: every segment is replayed)
     * @throws IOException when the directory cannot be read or the new segment cannot be created
     *                     (the journal stays unusable: {@link #append} fails until it can)
     */
    synchronized Replay open(Snapshot.Content snapshot) throws IOException {
        Files.createDirectories(directory);
        long from = snapshot == null ? 0 : snapshot.journalSegment();
        Map<String, Recovered> states = new HashMap<>();
        if (snapshot != null) {
            snapshot.entries().forEach((name, entry) -> states.put(name, new Recovered(entry, null)));
        }
        TreeSet<Long> segments = segments();
        boolean complete = snapshot == null || segments.contains(from);
        if (!complete) {
            LOG.warn("The alarm journal segment {} that follows the snapshot is missing: what happened after the"
                    + " snapshot is lost, so alarm timestamps are reported as unknown", file(from));
        }
        Map<String, Long> lastCommit = new HashMap<>();
        String[] newestBoot = { null };
        long records = 0;
        long torn = 0;
        long maxCommit = 0;
        for (long n : segments) {
            if (snapshot != null && n < from) {
                Files.deleteIfExists(file(n)); // a checkpoint's leftover: the snapshot holds all of it
                continue;
            }
            long[] counts = replay(n, states, lastCommit, newestBoot);
            records += counts[0];
            torn += counts[1];
            maxCommit = Math.max(maxCommit, counts[2]);
        }
        commit = maxCommit;
        boolean rebooted = bootId != null && newestBoot[0] != null && !newestBoot[0].equals(bootId);
        if (rebooted) {
            LOG.warn("The machine has restarted since the alarm journal was last written (boot {} then, {} now): flag"
                    + " bytes in a memory-mapped RMA file may be older than the journal, so the journal's states are taken",
                    newestBoot[0], bootId);
        }
        start(Math.max(from, segments.isEmpty() ? 1 : segments.last() + 1));
        if (torn > 0) {
            LOG.warn("The alarm journal had a torn or damaged tail: {} bytes truncated (a commit cut short by a crash is"
                    + " one that was never answered)", torn);
        }
        return new Replay(states, complete, records, torn, rebooted);
    }

    /**
     * Appends one commit (the states in order, then a COMMIT record) and forces it to disk. On
     * failure what was written is truncated away, the journal is marked broken and the next append
     * starts a new segment first — not sooner than {@link #RETRY_MILLIS} after the failure: until
     * then an append fails at once, without touching the disk. A state whose record would be longer
     * than {@link #MAX_RECORD} (an alarm name of about a megabyte) is left out, so that it never
     * keeps the others from the disk.
     *
     * @return the names of the states left out (usually none)
     */
    synchronized List<String> append(List<Snapshot.Entry> states) throws IOException {
        if (states.isEmpty()) {
            return List.of();
        }
        if (broken != null) {
            if (failedAt != Long.MIN_VALUE && monotonicMillis.getAsLong() - failedAt < RETRY_MILLIS) {
                throw new IOException(failure); // the same words as the failure: the report does not flap
            }
            start(segment + 1);
        }
        long number = commit + 1;
        buffer.reset();
        List<String> left = List.of();
        for (Snapshot.Entry state : states) {
            if (!record(STATE, number, state)) {
                left = left.isEmpty() ? new ArrayList<>() : left;
                left.add(state.name());
            }
        }
        if (left.size() == states.size()) {
            return left;
        }
        record(COMMIT, number, null);
        ByteBuffer bytes = ByteBuffer.wrap(buffer.toByteArray());
        long at = size;
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes, at + bytes.position());
            }
            channel.force(false);
        } catch (IOException e) {
            failed(e);
            try {
                channel.truncate(at);
            } catch (IOException truncate) {
                e.addSuppressed(truncate);
            }
            throw e;
        }
        fsyncs++;
        size = at + bytes.limit();
        commit = number;
        return left;
    }

    /**
     * Starts the next segment (a checkpoint): what is committed from now on goes there.
     *
     * @return the new segment's number, for the snapshot to name
     */
    synchronized long rotate() throws IOException {
        start(segment + 1);
        return segment;
    }

    /** Deletes the segments before {@code first} (a snapshot naming {@code first} holds all of them). */
    void deleteBefore(long first) throws IOException {
        boolean deleted = false;
        for (long n : segments()) {
            if (n < first) {
                deleted |= Files.deleteIfExists(file(n));
            }
        }
        if (deleted) {
            forceDirectory(directory);
        }
    }

    /** @return why the last append failed, or null */
    synchronized String broken() {
        return broken;
    }

    synchronized long fsyncs() {
        return fsyncs;
    }

    synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        broken = "closed";
    }

    Path file(long n) {
        return directory.resolve(stem + "." + n);
    }

    /**
     * Starts segment {@code n}, or a later one: an existing segment is never overwritten (the folder
     * is listed only when {@code n} exists). A segment whose header cannot be written is deleted, so
     * the next attempt takes the same number.
     */
    private void start(long n) throws IOException {
        FileChannel next;
        try {
            try {
                next = channels.open(file(n), Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            } catch (FileAlreadyExistsException e) {
                n = Math.max(n, segments().last() + 1);
                next = channels.open(file(n), Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            }
        } catch (IOException e) {
            failed(e);
            throw e;
        }
        try {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            byte[] boot = String.format("%-" + BOOT_ID + "s", bootId == null ? "" : bootId)
                    .getBytes(StandardCharsets.US_ASCII);
            header.put(MAGIC).putInt(VERSION).putLong(n).put(boot, 0, BOOT_ID).flip();
            while (header.hasRemaining()) {
                next.write(header, header.position());
            }
            next.force(true);
            forceDirectory(directory);
        } catch (IOException e) {
            try {
                next.close();
                Files.deleteIfExists(file(n));
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            failed(e);
            throw e;
        }
        if (channel != null) {
            channel.close();
        }
        channel = next;
        segment = n;
        size = HEADER;
        broken = null;
        failedAt = Long.MIN_VALUE;
    }

    private void failed(IOException e) {
        broken = e.toString();
        failure = e.getMessage();
        failedAt = monotonicMillis.getAsLong();
    }

    /** @return false when the record would be too long: then nothing is written */
    private boolean record(byte kind, long number, Snapshot.Entry state) throws IOException {
        if (state != null && !fits(state.name())) {
            return false;
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream(128);
        DataOutputStream data = new DataOutputStream(payload);
        data.writeByte(kind);
        data.writeLong(number);
        if (state != null) {
            Snapshot.writeEntry(data, state);
        }
        data.flush();
        if (payload.size() > MAX_RECORD) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(payload.toByteArray());
        out.writeInt(payload.size());
        out.writeInt((int) crc.getValue());
        payload.writeTo(out);
        out.flush();
        return true;
    }

    /** @return records replayed, bytes truncated, highest commit number */
    private long[] replay(long n, Map<String, Recovered> states, Map<String, Long> lastCommit, String[] newestBoot)
            throws IOException {
        Path file = file(n);
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new long[3];
        }
        ByteBuffer header = ByteBuffer.wrap(data);
        if (data.length < HEADER || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || header.getInt(MAGIC.length) != VERSION && header.getInt(MAGIC.length) != VERSION_SHORT_STRINGS
                || header.getLong(MAGIC.length + 4) != n) {
            LOG.warn("Alarm journal segment {} has no valid header ({} bytes): deleted", file, data.length);
            Files.delete(file);
            return new long[] { 0, data.length, 0 };
        }
        boolean shortStrings = header.getInt(MAGIC.length) == VERSION_SHORT_STRINGS;
        String boot = new String(data, MAGIC.length + 12, BOOT_ID, StandardCharsets.US_ASCII).strip();
        newestBoot[0] = boot.isEmpty() ? null : boot;
        int position = HEADER;
        int committedEnd = HEADER;
        long records = 0;
        long maxCommit = 0;
        List<Snapshot.Entry> pending = new ArrayList<>();
        long pendingCommit = -1;
        String damage = null;
        while (position < data.length) {
            if (data.length - position < 8) {
                damage = "a record header cut short";
                break;
            }
            int length = header.getInt(position);
            int crc = header.getInt(position + 4);
            if (length <= 0 || length > MAX_RECORD || length > data.length - position - 8) {
                damage = length > data.length - position - 8 && length <= MAX_RECORD ? "a record cut short"
                        : "an impossible record length " + length;
                break;
            }
            CRC32 check = new CRC32();
            check.update(data, position + 8, length);
            if ((int) check.getValue() != crc) {
                damage = "a record whose CRC does not match";
                break;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, position + 8, length))) {
                byte kind = in.readByte();
                long number = in.readLong();
                if (kind == STATE) {
                    if (number != pendingCommit) {
                        pending.clear();
                        pendingCommit = number;
                    }
                    pending.add(Snapshot.readEntry(in, shortStrings));
                } else if (kind == COMMIT && number == pendingCommit) {
                    for (Snapshot.Entry state : pending) {
                        apply(states, lastCommit, state, number);
                    }
                    records += pending.size();
                    maxCommit = Math.max(maxCommit, number);
                    pending.clear();
                    pendingCommit = -1;
                    committedEnd = position + 8 + length;
                } else {
                    damage = "a record of unknown kind " + kind;
                    break;
                }
            } catch (IOException e) {
                damage = "a record that cannot be read (" + e.getMessage() + ")";
                break;
            }
            position += 8 + length;
        }
        long torn = data.length - committedEnd;
        if (torn > 0) {
            LOG.warn("Alarm journal segment {}: {} at byte {}; {} bytes after the last whole commit truncated", file,
                    damage == null ? "a commit without its COMMIT record" : damage, position, torn);
            truncate(file, committedEnd);
        }
        return new long[] { records, torn, maxCommit };
    }

    private static void apply(Map<String, Recovered> states, Map<String, Long> lastCommit, Snapshot.Entry state,
            long number) {
        Recovered before = states.get(state.name());
        Long commitBefore = lastCommit.put(state.name(), number);
        if (before == null) {
            states.put(state.name(), new Recovered(state, null));
        } else if (commitBefore != null && commitBefore == number) {
            states.put(state.name(), new Recovered(state, before.previous())); // the same commit: RMA never saw the first
        } else {
            states.put(state.name(), new Recovered(state, before.last()));
        }
    }

    private void truncate(Path file, long length) throws IOException {
        try (FileChannel truncating = channels.open(file, Set.of(StandardOpenOption.WRITE))) {
            truncating.truncate(length);
            truncating.force(true);
        }
    }

    private TreeSet<Long> segments() throws IOException {
        TreeSet<Long> numbers = new TreeSet<>();
        String prefix = stem + ".";
        try (Stream<Path> files = Files.list(directory)) {
            files.map(f -> f.getFileName().toString()).filter(name -> name.startsWith(prefix)).forEach(name -> {
                String number = name.substring(prefix.length());
                if (!number.isEmpty() && number.length() < 19 && number.chars().allMatch(Character::isDigit)) {
                    numbers.add(Long.parseLong(number));
                }
            });
        }
        return numbers;
    }

    /** Forces a directory's entries (a created, renamed or deleted file) to disk. */
    static void forceDirectory(Path directory) throws IOException {
        if (directory == null) {
            return;
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
