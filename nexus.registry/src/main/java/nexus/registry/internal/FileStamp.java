package nexus.registry.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What identifies a registry file on disk: an edit or replacement changes at least one of these.
 */
record FileStamp(Object key, long size, long modified, long changed, long counter, long walSize, long walModified) {

    /** The stamp of a file that is not there. */
    static final FileStamp MISSING = new FileStamp("missing", -1, -1, -1, -1, -1, -1);

    /**
     * @return what identifies a file's content on disk: its identity, size, modification and change
     *         times, SQLite's file change counter (header bytes 24–27, which every committing write
     *         increments, even one whose times are set back) and its write-ahead log's size and time
     */
    static FileStamp of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            long walSize = -1;
            long walModified = -1;
            Path wal = file.resolveSibling(file.getFileName() + "-wal");
            // Usually there is no write-ahead log: ask java.io.File first, which says so without throwing
            // (the watch polls twice a second; a NoSuchFileException each time was most of its garbage).
            if (wal.toFile().exists()) {
                try {
                    BasicFileAttributes log = Files.readAttributes(wal, BasicFileAttributes.class);
                    walSize = log.size();
                    walModified = log.lastModifiedTime().toMillis();
                } catch (IOException e) {
                    // gone since: the file alone says it all
                }
            }
            return new FileStamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis(),
                    changeTime(file), changeCounter(file), walSize, walModified);
        } catch (IOException e) {
            return MISSING;
        }
    }

    private static long changeTime(Path file) {
        try {
            Object ctime = Files.getAttribute(file, "unix:ctime");
            return ctime instanceof java.nio.file.attribute.FileTime time ? time.to(java.util.concurrent.TimeUnit.NANOSECONDS) : -1;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1; // not a Unix file system: the other fields must do
        }
    }

    private static long changeCounter(Path file) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(4);
            while (header.hasRemaining() && channel.read(header, 24 + header.position()) > 0) {
                // read the four bytes, however the channel splits them
            }
            return header.hasRemaining() ? -1 : Integer.toUnsignedLong(header.flip().getInt());
        } catch (IOException e) {
            return -1;
        }
    }
}
