package nexus.registry.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * The private copies a registry version is served from, in one folder RMA Nexus owns (by default
 * {@code data/registry-copies/} of the home folder):
 * <ul>
 * <li>{@code v<N>.db}: the copy registry version N is served from: the user's file copied byte for byte
 * when that is provably a consistent image of it, else taken with SQLite's online backup API (a
 * consistent image even while another process writes it) ({@link #copy(Path, String)}), given the
 * standard public views in place of the file's own ({@link StandardViews}), then validated.
 * Nothing reads the user's file again for that version, so an edit or damage on disk
 * can only ever become a candidate for the next version. Deleted when the version is retired.</li>
 * <li>{@code last-good-<hash>.db}: the copy of the last version served from a given user file
 * (the hash is of the file's name as the configuration gives it, so it follows a home folder that is
 * moved), kept across restarts so that a node whose registry file is damaged can start from it.</li>
 * <li>{@code last-good-<hash>.sum}: what the last good copy is, recorded when it is kept: the
 * checksum ({@link #checksum}) of the user's file it was taken from (read after the copy was served, and recorded only when
 * the file's {@link FileStamp} was the same before the version was copied and after it was read, so it
 * is the content that was copied), of the last good copy itself, and the SHA-256 of the classes that
 * validated it ({@link #RULES}).</li>
 * </ul>
 *
 * <p><b>A restart with an unchanged file</b> serves the last good copy without copying the file and
 * validating it again ({@link #reuse}), when it is the content that was validated, as far as 64-bit
 * checksums tell (damage or an accidental edit slips through once in 2^64; see {@link #checksum} for why
 * not SHA-256): the
 * record is there; the user's file has the recorded checksum now (and its stamp did not change while
 * it was read); a private copy of the last good copy, the one the version will be served from, has
 * the copy's recorded checksum; and this node validates with the same classes. Anything else (no
 * record, a file edited or replaced, a last good copy damaged or edited, a record that does not match,
 * another build of the validation) takes the normal path: copy the file, validate the copy.
 *
 * <p>Every file but a version's copy is created owner-only (0600) and written to a temporary name,
 * forced to disk and moved into place, so a crash leaves either the old file or the new one. A
 * version's copy is owner-only and moved into place too but not forced: every start deletes them, so
 * none is ever read after a crash. Thread-safe for distinct versions; {@link #keepAsLastGood} and
 * {@link #reuse} are called from one thread.
 */
final class RegistryCopies {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryCopies.class);

    private static final int SQLITE_OK = 0;
    private static final int SQLITE_DONE = 101;

    /**
     * The SHA-256 of the classes whose checks a registry passes before it is served, or null when one
     * of them cannot be read: a last good copy validated by other checks (another build) is validated
     * again rather than reused.
     */
    static final String RULES = rules(RegistryLoader.class, Validator.class, PathChecks.class, AlarmChecks.class,
            StandardViews.class, Schema.class, WriteRoles.class, ContributedAlarms.class, AllocationTable.class,
            nexus.core.TagPath.class, nexus.rma.RmaType.class, nexus.rma.Bank.class);

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
     * Copies the user's file into {@code v<version>.db}: byte for byte when that is provably a consistent
     * image ({@link #copyWhole}), else with SQLite's online backup API (the source is opened read-only and
     * never written).
     *
     * @return the private copy
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
        byte[] header = checkHeader(source);
        if (!copyWhole(source, header, temporary)) {
            backup(source, temporary);
        }
        try (Connection db = Sqlite.create(temporary)) {
            StandardViews.replace(db);
        } catch (SQLException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("its tables cannot carry the standard views (" + Sqlite.describe(e) + ")", e);
        }
        ownerOnly(temporary, "rw-------");
        move(temporary, target);
        return target;
    }

    /** Copies with SQLite's online backup API: a consistent image of the source whatever writes it. */
    private static void backup(Path source, Path temporary) throws IOException {
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
    }

    /**
     * Copies the file byte for byte (about six times faster than the backup API, which copies page by
     * page through SQLite) when that is provably a consistent image of it, else copies nothing:
     * <ul>
     * <li>the file is in rollback-journal mode (header byte 18 is 1) with no write-ahead log beside it,
     * so the file alone holds every committed transaction;</li>
     * <li>its header gives its size (the in-header size is valid: bytes 92–95 equal the change counter)
     * and the file has exactly that many pages, so it is not truncated;</li>
     * <li>no journal with content lies beside it, before or after the copy, so no write was half done;</li>
     * <li>its {@link FileStamp} (identity, size, modification and change times, SQLite's change counter,
     * which every commit increments) is the same after the copy as before it, so nothing wrote it
     * while it was copied.</li>
     * </ul>
     * Anything else (a WAL database, a journal, a write during the copy) takes the backup API.
     *
     * @return whether the file was copied
     */
    private static boolean copyWhole(Path source, byte[] header, Path temporary) throws IOException {
        ByteBuffer fields = ByteBuffer.wrap(header);
        int pageSize = fields.getShort(16) == 1 ? 65_536 : Short.toUnsignedInt(fields.getShort(16));
        long pages = Integer.toUnsignedLong(fields.getInt(28));
        boolean sizeValid = fields.getInt(92) == fields.getInt(24) && pages > 0;
        FileStamp before = FileStamp.of(source);
        if (header[18] != 1 || header[19] != 1 || before.walSize() >= 0 || !sizeValid
                || before.size() != pages * pageSize || journal(source)) {
            return false;
        }
        Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
        if (journal(source) || !FileStamp.of(source).equals(before) || Files.size(temporary) != before.size()) {
            Files.deleteIfExists(temporary);
            return false;
        }
        return true;
    }

    /** @return whether a rollback journal with content lies beside the file (a write in progress, or a crashed one) */
    private static boolean journal(Path source) {
        java.io.File journal = source.resolveSibling(source.getFileName() + "-journal").toFile();
        return journal.exists() && journal.length() != 0;
    }

    /** SQLite opens anything and backs garbage up as an empty database: look at the header first. @return the header */
    private static byte[] checkHeader(Path source) throws IOException {
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
        return header;
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

    /**
     * Keeps this version's copy as the last good one of the user's file (atomically replacing the
     * earlier), and records what it is ({@link RegistryCopies class comment}): the record is removed
     * first and written last, so a crash in between leaves a last good copy without a record, which is
     * never reused.
     *
     * @param copy  the served version's copy, as it was validated
     * @param name  how the configuration names the user's file ({@code data/registry.db}): the last good
     *              copy follows the file when the whole home folder is moved or restored elsewhere
     * @param file  the user's file the copy was taken from
     * @param stamp the file's stamp before it was copied: the file's checksum is recorded only when the
     *              file still has it after being read
     */
    void keepAsLastGood(Path copy, String name, Path file, FileStamp stamp) throws IOException {
        Path target = lastGoodPath(name);
        Path record = recordPath(name);
        Files.deleteIfExists(record);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.copy(copy, temporary, StandardCopyOption.REPLACE_EXISTING);
        ownerOnly(temporary, "rw-------");
        force(temporary);
        move(temporary, target);
        if (RULES == null) {
            return;
        }
        String fileSum = checksum(file);
        if (!FileStamp.of(file).equals(stamp)) {
            LOG.debug("Registry {} changed since it was copied: its last good copy is kept without a record", file);
            return;
        }
        String kept = "# What " + target.getFileName() + " is: written by RMA Nexus when it kept the copy; a copy whose"
                + " record does not match is copied and validated again\n"
                + "file " + fileSum + "\ncopy " + checksum(target) + "\nrules " + RULES + "\n";
        Path written = record.resolveSibling(record.getFileName() + ".tmp");
        Files.writeString(written, kept, StandardCharsets.UTF_8);
        ownerOnly(written, "rw-------");
        force(written);
        move(written, record);
    }

    /**
     * Serves the last good copy again, without copying the user's file or validating it, when the file
     * is what the copy was taken from and the copy is what was validated, by their recorded checksums
     * (the rule is in the class comment). Takes a private copy {@code <name>.db} of the last good copy and checks that copy's
     * checksum, so what is served is exactly what was checked; the user's file is read at the same time,
     * on another thread.
     *
     * @param name   how the configuration names the user's file (the key of its last good copy)
     * @param file   the user's file
     * @param stamp  the file's stamp before this call: the file must still have it after being read
     * @param target the private copy's name, as for {@link #copy(Path, String)}
     * @return the private copy, or empty when the normal path must be taken (the log says why)
     */
    Optional<Path> reuse(String name, Path file, FileStamp stamp, String target) {
        Path lastGood = lastGoodPath(name);
        Optional<Kept> kept = kept(name);
        if (kept.isEmpty() || !Files.isRegularFile(lastGood)) {
            return Optional.empty();
        }
        if (RULES == null || !RULES.equals(kept.get().rules())) {
            LOG.info("Registry {}: its last good copy was validated by another build of RMA Nexus; copying and"
                    + " validating the file", file);
            return Optional.empty();
        }
        Path copy = folder.resolve(target + ".db");
        Path temporary = folder.resolve(target + ".db.tmp");
        try {
            Files.copy(lastGood, temporary, StandardCopyOption.REPLACE_EXISTING);
            ownerOnly(temporary, "rw-------");
            CompletableFuture<String> fileSum = CompletableFuture.supplyAsync(() -> {
                try {
                    return checksum(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, CHECKSUMS);
            String copySum = checksum(temporary);
            String read = fileSum.join();
            if (!copySum.equals(kept.get().copy())) {
                LOG.warn("Registry {}: its last good copy ({}) does not have the checksum recorded when it was kept: it"
                        + " was damaged or edited; copying and validating the file", file, lastGood);
            } else if (!read.equals(kept.get().file()) || !FileStamp.of(file).equals(stamp)) {
                LOG.info("Registry {} changed since its last good copy was kept: copying and validating it", file);
            } else {
                move(temporary, copy);
                return Optional.of(copy);
            }
        } catch (IOException | UncheckedIOException | java.util.concurrent.CompletionException e) {
            LOG.info("Registry {}: its last good copy cannot be reused ({}); copying and validating the file", file,
                    e.getMessage());
        }
        discard(temporary);
        return Optional.empty();
    }

    /** What a last good copy was recorded to be: the checksums of the file and the copy, the rules' SHA-256. */
    private record Kept(String file, String copy, String rules) {
    }

    private Optional<Kept> kept(String name) {
        Path record = recordPath(name);
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        try {
            java.util.Map<String, String> fields = new java.util.HashMap<>();
            for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
                String[] field = line.strip().split(" ", 2);
                if (field.length == 2 && !line.startsWith("#")) {
                    fields.put(field[0], field[1].strip());
                }
            }
            if (fields.containsKey("file") && fields.containsKey("copy") && fields.containsKey("rules")) {
                return Optional.of(new Kept(fields.get("file"), fields.get("copy"), fields.get("rules")));
            }
            LOG.warn("The record of the last good copy, {}, is incomplete: the registry file is copied and validated",
                    record);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Cannot read the record of the last good copy, {}: {}", record, e.getMessage());
        }
        return Optional.empty();
    }

    /** Reads the user's file while a last good copy is checked; a daemon thread, so a read never holds the JVM. */
    private static final java.util.concurrent.Executor CHECKSUMS = task -> {
        Thread thread = new Thread(task, "nexus-registry-checksum");
        thread.setDaemon(true);
        thread.start();
    };

    /**
     * @return a 64-bit checksum of a file's content, CRC-32C and CRC-32 side by side, in lowercase
     *         hexadecimal. Not SHA-256: the JVM computes both CRCs with the processor's instructions
     *         even before its compilers have warmed up (0.1-0.2 s for a 376 MB registry at a node's start,
     *         where SHA-256 took 1-4 s), and a cryptographic digest would protect nothing more here:
     *         the record lies beside the copy in a folder only RMA Nexus's user may write, so whoever can
     *         edit the copy on purpose can rewrite the record too; and a user's file forged to the
     *         recorded checksum only gets the content validated earlier served again. What the checksum
     *         must catch — damage on disk, an accidental edit — it misses once in 2^64.
     */
    static String checksum(Path file) throws IOException {
        CRC32C castagnoli = new CRC32C();
        CRC32 ieee = new CRC32();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            while (channel.read(buffer.clear()) >= 0) {
                castagnoli.update(buffer.flip());
                ieee.update(buffer.rewind());
            }
        }
        return HexFormat.of().toHexDigits((castagnoli.getValue() << 32) | ieee.getValue());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String rules(Class<?>... classes) {
        MessageDigest digest = sha256();
        for (Class<?> type : classes) {
            try (java.io.InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
                if (in == null) {
                    return null;
                }
                digest.update(in.readAllBytes());
            } catch (IOException e) {
                return null;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** @return the last good copy of this user file, when one was kept */
    Optional<Path> lastGood(String name) {
        Path file = lastGoodPath(name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    Path lastGoodPath(String name) {
        return folder.resolve("last-good-" + key(name) + ".db");
    }

    /** The record of what the last good copy is ({@link #keepAsLastGood}). */
    Path recordPath(String name) {
        return folder.resolve("last-good-" + key(name) + ".sum");
    }

    private static String key(String name) {
        return HexFormat.of().formatHex(sha256().digest(name.strip().getBytes(StandardCharsets.UTF_8)), 0, 8);
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
