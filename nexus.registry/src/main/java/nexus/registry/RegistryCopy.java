package nexus.registry;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A lease on the private copy a registry version is served from: an SQLite file, validated when the
 * version was loaded and never written afterwards. It exists for the one bundle that runs users' SQL
 * (the query engine), which opens read-only connections of its own on it; no other bundle needs it,
 * every fixed lookup is a typed method of {@link Registry}.
 *
 * <p>While a lease is open the copy stays on disk, even after its version was retired; the copy of a
 * retired version is deleted once the registry's own connections and every lease are closed. Open
 * the file read-only and without creating it ({@code SQLiteOpenMode.READONLY}, {@code PRAGMA
 * query_only}), so that a copy that is gone fails to open instead of being created empty. Open
 * connections right after taking the lease: the registry checks the copy on disk at every poll and
 * serves a new version when it was changed, so a connection opened then reads what was validated.
 * Thread-safe.
 *
 * @since 2.0
 */
@ProviderType
public interface RegistryCopy extends AutoCloseable {

    /** @return the version whose copy this is */
    long version();

    /** @return the copy; open it read-only, never write it */
    Path file();

    /**
     * @return whether the version has been retired (a newer one is served, or the service stopped):
     *         open no new connection, and close those open as they come back
     */
    boolean retired();

    /** Gives the lease back; closing it again does nothing. */
    @Override
    void close();
}
