package nexus.registry;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import nexus.rma.Bank;

/**
 * One validated registry file, immutable: what {@link TagRegistry#current()} serves until a
 * replacement is validated and swapped in. Thread-safe.
 */
@ProviderType
public interface Registry {

    /**
     * @return the version: increases with every registry swapped in (a replaced file, another file
     *         configured, a fallback copy) and never repeats within a run of the node; compare
     *         registries by identity or version, never by file name
     */
    long version();

    /** @return the registry file the version was loaded from (it is served from a private copy) */
    String file();

    /** @return the banks the registry defines, in id order */
    List<Bank> banks();

    /** @return the allocation of every tag, by id */
    AllocationIndex index();

    /** @return the alarm definitions, in id order */
    List<AlarmDefinition> alarms();

    /**
     * @return the tag with this path (read from the version's private copy; a few microseconds)
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE when this registry has been retired
     */
    Optional<Tag> tag(String path);

    /** @return the tag with this id */
    Optional<Tag> tag(long id);

    /**
     * Borrows a read-only SQL connection to this version's private copy ({@code PRAGMA query_only}
     * set): whatever happens to the file on disk, and after a replacement was swapped in, it reads
     * exactly what was validated for this version. Close it to give it back.
     * Waits up to the configured time for a free connection.
     *
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE when none becomes free in time or this
     *                                   registry has been retired and closed
     */
    Connection connection();
}
