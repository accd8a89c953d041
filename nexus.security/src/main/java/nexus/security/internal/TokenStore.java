package nexus.security.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.security.IssuedToken;
import nexus.security.TokenInfo;

/**
 * The API tokens, kept in {@code etc/tokens.json} under the node's home folder (see {@link TokenFile}
 * for the format). Only hashes are stored. The file is written whole, to a temporary file created
 * with mode 0600 (on file systems with POSIX permissions; elsewhere it inherits the folder's access
 * rules) and moved over the old one, so a reader sees the old file or the new one, never half of
 * one. It is read again at most {@link #RECHECK} after it changed on disk, so a token removed by
 * hand stops working without a restart.
 *
 * <p>A file that cannot be read or is not exactly the format is <em>damaged</em>: every token is
 * refused (fail closed), {@link #failure()} says which file and why, and it is never written over;
 * an administrator repairs or moves it. Reading happens on first use, never at activation.
 * Thread-safe: lookups read an immutable snapshot.
 */
@Component(service = TokenStore.class)
public final class TokenStore {

    private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);
    /** How soon a change made to the file by hand is seen. */
    static final Duration RECHECK = Duration.ofMillis(500);
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** What the store holds now: the tokens by id, or why it holds none it trusts. */
    record Snapshot(Map<String, StoredToken> byId, String failure) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), null);

        static Snapshot damaged(String failure) {
            return new Snapshot(Map.of(), failure);
        }

        boolean isDamaged() {
            return failure != null;
        }
    }

    /** The file as last seen on disk: a change to any of these means it is read again. */
    private record Stamp(boolean exists, long size, FileTime modified, Object key) {
        static final Stamp ABSENT = new Stamp(false, 0, null, null);
    }

    private final Path file;
    private final Clock clock;
    private final Object writeLock = new Object();
    private volatile Snapshot snapshot;
    private volatile Stamp stamp;
    private volatile Instant checked;

    @Activate
    public TokenStore(BundleContext context) {
        this(home(context.getProperty("nexus.home")).resolve("etc").resolve("tokens.json"), Clock.systemUTC());
    }

    /** For tests: the file and the clock that says when to look at it again. */
    TokenStore(Path file, Clock clock) {
        this.file = file.toAbsolutePath().normalize();
        this.clock = clock;
    }

    private static Path home(String home) {
        return Path.of(home == null || home.isBlank() ? "." : home);
    }

    /** @return the file the tokens are kept in */
    Path file() {
        return file;
    }

    /** @return the tokens now, read again first when the file changed and it is time to look */
    Snapshot snapshot() {
        Instant now = clock.instant();
        Instant last = checked;
        if (last == null || !now.isBefore(last.plus(RECHECK)) || now.isBefore(last)) {
            synchronized (writeLock) {
                Instant again = checked;
                if (again == null || !now.isBefore(again.plus(RECHECK)) || now.isBefore(again)) {
                    refresh();
                    checked = now;
                }
            }
        }
        return snapshot;
    }

    /** @return the stored token this text is, if it has the shape of a token and its hash is known */
    Optional<StoredToken> find(String token) {
        if (!Secrets.looksLikeToken(token)) {
            return Optional.empty();
        }
        StoredToken stored = snapshot().byId().get(Secrets.idOf(token));
        return stored != null && stored.matches(token) ? Optional.of(stored) : Optional.empty();
    }

    /** @return whether the token is still stored exactly so (not revoked, roles unchanged) */
    boolean holds(StoredToken token) {
        return token.equals(snapshot().byId().get(token.id()));
    }

    /** @return why no token is trusted now (the file and the reason), or empty */
    Optional<String> failure() {
        return Optional.ofNullable(snapshot().failure());
    }

    /** @return how many tokens are stored (0 while the file is damaged) */
    int count() {
        return snapshot().byId().size();
    }

    /** @return the tokens, by name */
    List<TokenInfo> list() {
        Snapshot now = current();
        return now.byId().values().stream().map(StoredToken::info).sorted(Comparator.comparing(TokenInfo::name)).toList();
    }

    /**
     * Creates a token and stores its hash.
     *
     * @param beforeCommit called with the new token's listing once the new file is written but before
     *                     it replaces the old one; when it throws, nothing changes and it propagates
     * @throws NexusException INVALID_ARGUMENT when the name is taken; BACKEND_UNAVAILABLE when the file is
     *                        damaged or cannot be written
     */
    IssuedToken create(String name, SortedSet<String> roles, String createdBy, Consumer<TokenInfo> beforeCommit) {
        synchronized (writeLock) {
            Snapshot now = current();
            for (StoredToken token : now.byId().values()) {
                if (token.name().equals(name)) {
                    throw new NexusException(ErrorCode.INVALID_ARGUMENT, "a token named '" + name
                            + "' exists already: choose another name, or revoke it first");
                }
            }
            String id;
            do {
                id = Secrets.newId();
            } while (now.byId().containsKey(id));
            String secret = Secrets.newToken(id);
            StoredToken token = new StoredToken(id, name, roles, Secrets.sha256Hex(secret),
                    clock.instant().truncatedTo(ChronoUnit.SECONDS), createdBy);
            Map<String, StoredToken> next = new LinkedHashMap<>(now.byId());
            next.put(id, token);
            write(next, () -> beforeCommit.accept(token.info()));
            return new IssuedToken(token.info(), secret);
        }
    }

    /**
     * Revokes the token of this name.
     *
     * @param beforeCommit as for {@link #create}
     * @return the token revoked
     * @throws NexusException NOT_FOUND when no token has the name; BACKEND_UNAVAILABLE as for {@link #create}
     */
    TokenInfo revoke(String name, Consumer<TokenInfo> beforeCommit) {
        synchronized (writeLock) {
            Snapshot now = current();
            StoredToken revoked = now.byId().values().stream().filter(t -> t.name().equals(name)).findFirst()
                    .orElseThrow(() -> new NexusException(ErrorCode.NOT_FOUND, "no token is named '" + name
                            + "' (nexus:token list shows them)"));
            Map<String, StoredToken> next = new LinkedHashMap<>(now.byId());
            next.remove(revoked.id());
            write(next, () -> beforeCommit.accept(revoked.info()));
            return revoked.info();
        }
    }

    /** @return the snapshot read from disk now, refusing to go on when the file is damaged */
    private Snapshot current() {
        synchronized (writeLock) {
            refresh();
            checked = clock.instant();
            Snapshot now = snapshot;
            if (now.isDamaged()) {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the token store is damaged, so nothing was"
                        + " changed: " + now.failure());
            }
            return now;
        }
    }

    /** Reads the file when it is new or changed since it was last read. Holds the write lock. */
    private void refresh() {
        Stamp seen;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            seen = new Stamp(true, attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
        } catch (NoSuchFileException e) {
            seen = Stamp.ABSENT;
        } catch (IOException e) {
            seen = null; // unreadable attributes: read (and fail) again next time
        }
        if (seen != null && seen.equals(stamp) && snapshot != null) {
            return;
        }
        Snapshot before = snapshot;
        Snapshot next = seen != null && !seen.exists() ? Snapshot.EMPTY : read();
        snapshot = next;
        stamp = seen;
        if (next.isDamaged() && (before == null || !next.failure().equals(before.failure()))) {
            LOG.error("Every API token is refused: {}. Repair the file or move it away (then no token exists).",
                    next.failure());
        } else if (before != null && before.isDamaged() && !next.isDamaged()) {
            LOG.info("The token store {} is readable again: {} tokens", file, next.byId().size());
        } else if (before != null && !before.byId().equals(next.byId())) {
            LOG.info("The token store {} changed on disk: {} tokens now", file, next.byId().size());
        }
        if (seen != null && seen.exists()) {
            warnWhenOthersMayRead();
        }
    }

    private Snapshot read() {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Map<String, StoredToken> byId = new LinkedHashMap<>();
            for (StoredToken token : TokenFile.parse(text)) {
                byId.put(token.id(), token);
            }
            return new Snapshot(Collections.unmodifiableMap(byId), null);
        } catch (TokenFile.DamagedException e) {
            return Snapshot.damaged(file + ": " + e.getMessage());
        } catch (IOException e) {
            return Snapshot.damaged(file + ": cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    private void warnWhenOthersMayRead() {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                LOG.warn("{} has mode {}: whoever can read or write it can learn who has tokens or make themselves admin;"
                        + " chmod 600 it", file, PosixFilePermissions.toString(permissions));
            }
        } catch (IOException e) {
            LOG.warn("Cannot read the permissions of {}: {}", file, e.toString());
        }
    }

    /** Writes the tokens to a new file, calls {@code beforeCommit}, then moves it over the old one. */
    private void write(Map<String, StoredToken> tokens, Runnable beforeCommit) {
        List<StoredToken> ordered = new ArrayList<>(tokens.values());
        byte[] text = TokenFile.format(ordered).getBytes(StandardCharsets.UTF_8);
        Path temp;
        try {
            Files.createDirectories(file.getParent());
            temp = Files.createTempFile(file.getParent(), ".tokens-", ".tmp", ownerOnly());
        } catch (IOException e) {
            throw unwritable(e);
        }
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(text);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            beforeCommit.run();
            move(temp);
            temp = null;
            snapshot = new Snapshot(Collections.unmodifiableMap(new LinkedHashMap<>(tokens)), null);
            stamp = null; // read once more at the next look, so the stamp is the file's own
        } catch (IOException e) {
            throw unwritable(e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    private void move(Path temp) throws IOException {
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            LOG.warn("{} cannot be replaced atomically on this file system; replacing it in two steps", file);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private FileAttribute<?>[] ownerOnly() {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_ONLY) };
        }
        return new FileAttribute<?>[0];
    }

    private void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warn("Cannot delete the temporary file {}: {}", temp, e.toString());
        }
    }

    private NexusException unwritable(IOException e) {
        LOG.error("Cannot write the token store {}", file, e);
        String why = e instanceof FileAlreadyExistsException ? "a file is in the way" : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the token store " + file + " cannot be written ("
                + why + "); nothing was changed", e);
    }

    @Override
    public String toString() {
        return "TokenStore[" + Objects.toString(file) + "]";
    }
}
