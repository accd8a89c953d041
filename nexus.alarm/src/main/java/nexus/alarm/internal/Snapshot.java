package nexus.alarm.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The lifecycle snapshot: what RMA flags cannot hold (timestamps, users, comments, sequence numbers),
 * kept in a file so that a restart can recover it. Written whole to a temporary file beside the
 * target, forced to disk and moved over the target, so a reader sees the old snapshot or the new
 * one, never a mix; a CRC-32 over everything before it ends the file.
 *
 * <p>Format (big-endian; a string is an int length and that many bytes of UTF-8): magic
 * {@code NXALSNAP}, int version 4,
 * long written-at (epoch ms), long journal segment (the first {@link Journal} segment that follows
 * this snapshot: replay reads that segment and the later ones), int count, then per alarm: name, byte flags, int flag bank, int flag
 * byte (where the alarm's flags were: a byte at another place belongs to another alarm), long activatedAt, long
 * ackedAt, long clearedAt, long shelvedUntil (Long.MIN_VALUE: none, Long.MIN_VALUE + 1: unknown),
 * boolean oneShot, four optional strings (a boolean, then the string when true: ackUser, ackComment,
 * shelveUser, shelveReason), long sequence; then long CRC-32 of all bytes before it. Version 3 files
 * (strings in Java's modified UTF-8 with a 16-bit length, so no string over 65,535 bytes) are read
 * as before and replaced by version 4 at the next checkpoint.
 */
final class Snapshot {

    static final int VERSION = 4;
    /** The version whose strings are Java's modified UTF-8 with an unsigned short length. */
    static final int VERSION_SHORT_STRINGS = 3;
    private static final byte[] MAGIC = "NXALSNAP".getBytes(StandardCharsets.US_ASCII);

    /** One alarm's lifecycle. */
    record Entry(String name, int flags, int flagBank, int flagByte, long activatedAt, long ackedAt, long clearedAt,
            long shelvedUntil, boolean oneShot, String ackUser, String ackComment, String shelveUser, String shelveReason,
            long sequence) {

        /** @return the flag byte's place as one number */
        long place() {
            return place(flagBank, flagByte);
        }

        static long place(int bank, int offset) {
            return ((long) bank << 32) | (offset & 0xFFFF_FFFFL);
        }
    }

    /**
     * A snapshot as read: when it was written, the first journal segment after it, and its entries
     * by alarm name.
     */
    record Content(long writtenAt, long journalSegment, Map<String, Entry> entries) {
    }

    /** The file is not a snapshot, or a damaged one; the message says what is wrong. */
    static final class CorruptSnapshotException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptSnapshotException(String message) {
            super(message);
        }
    }

    private Snapshot() {
    }

    static void write(Path file, long writtenAt, List<Entry> entries) throws IOException {
        write(file, writtenAt, 0, entries);
    }

    /** @param journalSegment the first journal segment whose records come after these entries */
    static void write(Path file, long writtenAt, long journalSegment, List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + entries.size() * 64);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(writtenAt);
        out.writeLong(journalSegment);
        out.writeInt(entries.size());
        for (Entry e : entries) {
            writeEntry(out, e);
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();

        Path absolute = file.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Journal.forceDirectory(absolute.getParent());
    }

    /** One entry, as the snapshot and the journal write it (their current versions). */
    static void writeEntry(DataOutputStream out, Entry e) throws IOException {
        writeString(out, e.name());
        out.writeByte(e.flags());
        out.writeInt(e.flagBank());
        out.writeInt(e.flagByte());
        out.writeLong(e.activatedAt());
        out.writeLong(e.ackedAt());
        out.writeLong(e.clearedAt());
        out.writeLong(e.shelvedUntil());
        out.writeBoolean(e.oneShot());
        writeOptional(out, e.ackUser());
        writeOptional(out, e.ackComment());
        writeOptional(out, e.shelveUser());
        writeOptional(out, e.shelveReason());
        out.writeLong(e.sequence());
    }

    /** @param shortStrings whether strings are modified UTF-8 with a 16-bit length (the older formats) */
    static Entry readEntry(DataInputStream in, boolean shortStrings) throws IOException {
        return new Entry(readString(in, shortStrings), in.readUnsignedByte(), in.readInt(), in.readInt(), in.readLong(),
                in.readLong(), in.readLong(), in.readLong(), in.readBoolean(), readOptional(in, shortStrings),
                readOptional(in, shortStrings), readOptional(in, shortStrings), readOptional(in, shortStrings),
                in.readLong());
    }

    /**
     * @return the snapshot, or null when the file does not exist
     * @throws CorruptSnapshotException when it is not a whole snapshot of this version
     */
    static Content read(Path file) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        int header = MAGIC.length + 4 + 8 + 8 + 4;
        if (data.length < header + 8 || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CorruptSnapshotException(file + " is not an alarm snapshot (no NXALSNAP header)");
        }
        CRC32 crc = new CRC32();
        crc.update(data, 0, data.length - 8);
        long stored = ByteBuffer.wrap(data, data.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new CorruptSnapshotException(file + " is damaged: its checksum does not match its content");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, MAGIC.length,
                data.length - 8 - MAGIC.length))) {
            int version = in.readInt();
            if (version != VERSION && version != VERSION_SHORT_STRINGS) {
                throw new CorruptSnapshotException(file + " is a version " + version + " snapshot; this RMA Nexus reads version "
                        + VERSION_SHORT_STRINGS + " and " + VERSION);
            }
            long writtenAt = in.readLong();
            long journalSegment = in.readLong();
            int count = in.readInt();
            if (count < 0) {
                throw new CorruptSnapshotException(file + " is damaged: it claims " + count + " alarms");
            }
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                Entry e = readEntry(in, version == VERSION_SHORT_STRINGS);
                entries.put(e.name(), e);
            }
            if (in.available() != 0) {
                throw new CorruptSnapshotException(file + " is damaged: bytes after its last entry");
            }
            return new Content(writtenAt, journalSegment, entries);
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new CorruptSnapshotException(file + " is damaged: it ends inside an entry");
        }
    }

    private static void writeOptional(DataOutputStream out, String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            writeString(out, text);
        }
    }

    private static String readOptional(DataInputStream in, boolean shortStrings) throws IOException {
        return in.readBoolean() ? readString(in, shortStrings) : null;
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in, boolean shortStrings) throws IOException {
        if (shortStrings) {
            return in.readUTF();
        }
        int length = in.readInt();
        if (length < 0 || length > in.available()) { // the stream reads a byte array: available() is what is left
            throw new java.io.EOFException("a string of " + length + " bytes where " + in.available() + " are left");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
