package nexus.registry.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * The private copies a registry version is served from, in one folder RMA Nexus owns (by default
 * {@code data/registry-copies/} of the home folder):
 * <ul>
 * <li>{@code v<N>.db}: the copy registry version N is served from, taken with SQLite's online backup
 * API from the user's file (a consistent image even while another process writes it), given the
 * standard public views in place of the file's own ({@link StandardViews}), then validated.
 * Nothing reads the user's file again for that version, so an edit or damage on disk
 * can only ever become a candidate for the next version. Deleted when the version is retired.</li>
 * <li>{@code last-good-<hash>.db}: the copy of the last version served from a given user file
 * (the hash is of the file's name as the configuration gives it, so it follows a home folder that is
 * moved), kept across restarts so that a node whose registry file is damaged can start from it.</li>
 * </ul>
 * Every file is created owner-only (0600) and written to a temporary name, forced to disk and
 * moved into place, so a crash leaves either the old file or the new one. Thread-safe for distinct
 * versions; {@link #keepAsLastGood} is called from one thread.
 */
final class RegistryCopies {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryCopies.class);

    private static final int SQLITE_OK = 0;
    private static final int SQLITE_DONE = 101;

    private final Path folder;

    /** Opens the folder, creating it owner-only when missing, and removes copies left by an earlier run. */
    RegistryCopies(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.folder);
            ownerOnly(this.folder, "rwx------");
            try (DirectoryStream<Path> stale = Files.newDirectoryStream(this.folder, "{v*.db*,*.tmp}")) {
                for (Path file : stale) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot prepare the registry copy folder {}: {}", this.folder, e.getMessage());
        }
    }

    Path folder() {
        return folder;
    }

    /**
     * Copies the user's file into {@code v<version>.db} with SQLite's online backup API (the source is
     * opened read-only and never written).
     *
     * @return the private copy, forced to disk
     * @throws IOException when the source cannot be read as an SQLite database or the copy cannot be
     *                     written; the message is for an operator and names no internals
     */
    Path copy(Path source, long version) throws IOException {
        return copy(source, "v" + version);
    }

    /**
     * Copies a registry into {@code <name>.db}, as {@link #copy(Path, long)} does. Names that start
     * with {@code v} are removed at the next start, as version copies are.
     */
    Path copy(Path source, String name) throws IOException {
        Path target = folder.resolve(name + ".db");
        Path temporary = folder.resolve(name + ".db.tmp");
        if (!Files.isDirectory(folder)) {
            throw new IOException("the folder for registry copies, " + folder + ", is not a folder RMA Nexus can use:"
                    + " remove what is there, or point copies in etc/nexus.registry.cfg elsewhere");
        }
        Files.deleteIfExists(temporary);
        checkHeader(source);
        try (Connection db = Sqlite.readOnly(source)) {
            int result = db.unwrap(SQLiteConnection.class).getDatabase().backup("main", temporary.toString(), null);
            if (result != SQLITE_OK && result != SQLITE_DONE) {
                // a damaged source ends the backup early without an exception: the copy is incomplete
                throw new SQLException("it is truncated or damaged (SQLite stopped copying it with result code " + result + ")");
            }
        } catch (SQLException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("it cannot be read as an SQLite database (" + Sqlite.describe(e) + ")", e);
        }
        try (Connection db = Sqlite.create(temporary)) {
            StandardViews.replace(db);
        } catch (SQLException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("its tables cannot carry the standard views (" + Sqlite.describe(e) + ")", e);
        }
        ownerOnly(temporary, "rw-------");
        force(temporary);
        move(temporary, target);
        return target;
    }

    /** SQLite opens anything and backs garbage up as an empty database: look at the header first. */
    private static void checkHeader(Path source) throws IOException {
        byte[] header = new byte[100];
        int read = 0;
        try (java.io.InputStream in = Files.newInputStream(source)) {
            while (read < header.length) {
                int n = in.read(header, read, header.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
        }
        if (read < header.length || !new String(header, 0, 16, StandardCharsets.ISO_8859_1).equals("SQLite format 3\0")) {
            throw new IOException("it is not an SQLite database, or it is truncated or damaged (no SQLite header)");
        }
    }

    /** Deletes a version's copy (and any side file SQLite made beside it). */
    void discard(Path copy) {
        for (String suffix : new String[] { "", "-journal", "-wal", "-shm" }) {
            try {
                Files.deleteIfExists(copy.resolveSibling(copy.getFileName() + suffix));
            } catch (IOException e) {
                LOG.debug("Cannot delete the registry copy {}: {}", copy, e.getMessage());
            }
        }
    }

    /** Keeps this version's copy as the last good one of the user's file (atomically replacing the earlier). */
    /**
     * @param name how the configuration names the user's file ({@code data/registry.db}): the last good
     *             copy follows the file when the whole home folder is moved or restored elsewhere
     */
    void keepAsLastGood(Path copy, String name) throws IOException {
        Path target = lastGoodPath(name);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.copy(copy, temporary, StandardCopyOption.REPLACE_EXISTING);
        ownerOnly(temporary, "rw-------");
        force(temporary);
        move(temporary, target);
    }

    /** @return the last good copy of this user file, when one was kept */
    Optional<Path> lastGood(String name) {
        Path file = lastGoodPath(name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private Path lastGoodPath(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(name.strip().getBytes(StandardCharsets.UTF_8));
            return folder.resolve("last-good-" + HexFormat.of().formatHex(digest, 0, 8) + ".db");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // not every file system lets a folder be forced; the move itself is atomic
        }
    }

    private static void ownerOnly(Path path, String permissions) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: its own defaults apply
        }
    }
}
