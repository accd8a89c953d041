package nexus.audit.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's files: appends lines, forces them to disk, moves to a new file when one reaches
 * its size limit and deletes the oldest beyond the number kept. The folder is read once
 * ({@link Recovery}) before the first write, and again after it changes.
 *
 * <p>After a failed write or sync the file is closed; the next {@link #open} reopens it and cuts it
 * back to the end of the last synced write, so a record whose append failed never stays in the
 * journal and its sequence goes to the next record. A file removed or replaced under the journal
 * (its folder deleted) is a failed write too: the next record starts a new file. Sequences never go
 * backwards: a new folder's records continue after the highest sequence seen in either.
 *
 * <p>Not thread-safe: one commit at a time ({@link GroupCommit}); {@link #settings(JournalSettings)}
 * may be called from any thread and takes effect at the next {@link #open}.
 */
final class AuditJournal implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditJournal.class);

    private final Output.Opener opener;
    private volatile JournalSettings wanted;
    private JournalSettings settings;
    private Output out;
    private Path file;
    private Object fileKey;
    /** The file's size up to the end of the last synced write. */
    private long size;
    private long next = 1;
    private boolean recovered;
    private Recovery recovery;

    AuditJournal(JournalSettings settings, Output.Opener opener) {
        this.wanted = Objects.requireNonNull(settings, "settings");
        this.settings = settings;
        this.opener = opener;
    }

    /** New settings, applied at the next {@link #open}: a new folder is read before it is written to. */
    void settings(JournalSettings next) {
        wanted = Objects.requireNonNull(next, "settings");
    }

    JournalSettings settings() {
        return wanted;
    }

    /**
     * Makes the journal ready to write: reads the folder when it was not read yet, (re)opens the file.
     *
     * @throws IOException when the folder cannot be created or read, or the file cannot be opened
     */
    void open() throws IOException {
        JournalSettings target = wanted;
        if (!target.dir().equals(settings.dir())) {
            closeQuietly();
            recovered = false;
            file = null;
        }
        settings = target;
        if (out != null) {
            return;
        }
        Path dir = settings.dir();
        Files.createDirectories(dir);
        if (!recovered) {
            recover(dir);
        }
        if (file == null || !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            if (file != null) {
                LOG.warn("The audit journal file {} is gone; the journal goes on in a new file from sequence {}", file, next);
            }
            file = dir.resolve(JournalFiles.name(next));
            size = Files.exists(file) ? Files.size(file) : 0;
            if (size > 0) {
                LOG.warn("The audit journal appends to {}, which already holds {} bytes", file, size);
            }
        }
        boolean created = !Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        Output opened = opener.open(file);
        try {
            long found = opened.size();
            if (found > size) {
                opened.truncate(size); // the rest of a write whose sync failed: never answered
                opened.sync();
            } else if (found < size) {
                LOG.warn("The audit journal file {} is shorter ({} bytes) than what was synced to it ({} bytes):"
                        + " it was cut by something else", file, found, size);
                size = found;
            }
            fileKey = key(file);
        } catch (IOException | RuntimeException e) {
            closeQuietly(opened);
            throw e;
        }
        out = opened;
        if (created) {
            syncFolder(dir);
            prune();
        }
    }

    private void recover(Path dir) throws IOException {
        Recovery found = Recovery.of(dir);
        recovery = found;
        recovered = true;
        next = Math.max(next, found.nextSequence());
        file = found.file();
        size = found.size();
        if (file != null && size >= settings.fileMaxBytes()) {
            file = null; // full: the next record starts a new file
        }
        if (found.cutBytes() > 0) {
            LOG.warn("Audit journal {}: cut {} bytes ({} damaged lines) off its end, the remains of a record torn by a"
                    + " crash (such a record was never answered); the journal goes on from sequence {}", found.file(),
                    found.cutBytes(), found.cutLines(), next);
        }
        if (found.damagedLines() > 0) {
            LOG.error("Audit journal {}: {} damaged lines between good records, kept as they are and not read: {}."
                    + " The disk may be failing.", found.file(), found.damagedLines(), String.join(", ", found.damaged()));
        }
        LOG.info("Audit journal in {}: last sequence {}, next {}", dir, found.lastSequence(), next);
    }

    /** @return the sequence the next record gets; valid after {@link #open} */
    long nextSequence() {
        return next;
    }

    /** @return what the last reading of the folder found, or null before the first */
    Recovery recovery() {
        return recovery;
    }

    /** @return the file written to now, or null when none is open */
    Path file() {
        return out == null ? null : file;
    }

    /**
     * Appends lines holding {@code records} records, numbered from {@link #nextSequence}, and forces
     * them to disk. When this throws, nothing of it counts: the next {@link #open} cuts it off.
     *
     * @throws IOException when the lines cannot be written or synced, or the file was removed or
     *                     replaced meanwhile
     */
    void write(byte[] lines, int length, int records) throws IOException {
        open();
        try {
            out.write(lines, length);
            out.sync();
            if (!Objects.equals(fileKey, key(file))) {
                throw new IOException("the journal file " + file + " was replaced");
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
        size += length;
        next += records;
        if (size >= settings.fileMaxBytes()) {
            closeQuietly();
            file = null; // the next record starts a new file
        }
    }

    /** @return the file's identity, to notice that it was removed or replaced */
    private static Object key(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return attributes.fileKey() != null ? attributes.fileKey() : Boolean.TRUE;
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "the journal file was removed");
        }
    }

    private void prune() {
        try {
            int deleted = JournalFiles.prune(settings.dir(), settings.filesKeep());
            if (deleted > 0) {
                LOG.info("Audit journal: {} oldest files deleted (files.keep = {})", deleted, settings.filesKeep());
            }
        } catch (IOException e) {
            LOG.warn("Audit journal: old files in {} could not be deleted (files.keep = {}): {}", settings.dir(),
                    settings.filesKeep(), e.toString());
        }
    }

    /** Makes a new file's name in the folder durable; not every platform can force a folder. */
    private static void syncFolder(Path dir) {
        try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("The folder {} cannot be forced to disk: {}", dir, e.toString());
        }
    }

    private void closeQuietly() {
        Output open = out;
        out = null;
        closeQuietly(open);
    }

    private static void closeQuietly(Output output) {
        if (output == null) {
            return;
        }
        try {
            output.close();
        } catch (IOException e) {
            LOG.debug("Closing an audit journal file: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
