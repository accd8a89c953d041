package nexus.registry;

import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The registry service: serves the configured registry file as a validated {@link Registry},
 * watches it for replacement, and offers the registry's admin path (validate, import, export).
 * Thread-safe; registries it serves never change.
 */
@ProviderType
public interface TagRegistry {

    /**
     * @return the registry served now
     * @throws nexus.core.NexusException BACKEND_UNAVAILABLE when no valid registry is loaded (the
     *                                   message says why)
     */
    Registry current();

    /** @return what the service is doing: file, version, counts, the last validation */
    RegistryStatus status();

    /**
     * Whether values may be written into RMA by the registry's addresses now (tag writes, the
     * simulator, alarm flags). They may not while the node serves the last good copy of a registry
     * whose file could not be loaded at start, until an operator {@linkplain #confirmFallback
     * confirms} it — an mmap region may hold values written under a newer layout than the copy's —
     * nor while the RMA backend in use lacks a bank the registry addresses, or has it smaller or
     * under another name: a write would land in another bank or beyond one.
     *
     * @return why tag writes are refused, for the client; empty when they may go ahead
     */
    Optional<String> writesRefused();

    /**
     * An operator confirms that the RMA banks fit the last good copy being served: tag writes are
     * allowed again (the registry stays DEGRADED until a valid file is loaded).
     *
     * @param user who confirms, for the log
     * @return what was confirmed, in a sentence
     * @throws nexus.core.NexusException CONFLICT when no fallback copy is being served
     */
    String confirmFallback(String user);

    /** @return the full validation report of any registry file; the file is only read */
    ValidationReport validate(Path registryFile);

    /**
     * Builds a registry file from a tag list (CSV or JSON, see docs/registry.md): addresses that
     * are absent are allocated, the result is validated, and the file is written atomically or not
     * at all. An existing target is replaced only when the new registry is valid.
     *
     * @return the report: problems name the list's file, line and column
     */
    ValidationReport importList(Path list, Path target);

    /**
     * Writes a registry file back as a tag list (the format follows the target's extension, .csv or
     * .json), with every address explicit: importing it again gives the same registry.
     *
     * @throws nexus.core.NexusException INVALID_ARGUMENT when the file is not a valid registry
     */
    void exportList(Path registryFile, Path list);

    /**
     * Serves a contribution beside the registry file's tags: replaces the owner's previous one, then
     * builds a new version from the file and every contribution — contributed banks after the file's,
     * contributed tags after its tags, a contributed tag whose path the file has left out — validates
     * it and swaps it in. Returns once the version is served (or refused). While no registry file is
     * loaded the contribution is kept and served with the first version.
     *
     * @return the validation report of the version built. Problems of kind
     *         {@link Problem.Kind#DUPLICATE_PATH} name the contributed tags left out for their path: the
     *         version was served without them. Any other problem means nothing was served (the
     *         contribution is malformed — bank names taken, allocations outside their bank — or the
     *         version did not validate): the version served stays, and the owner's previous
     *         contribution with it.
     * @throws nexus.core.NexusException CONFLICT when the registry is frozen; BACKEND_UNAVAILABLE when
     *                                   the registry service has stopped
     * @since 2.2
     */
    ValidationReport contribute(Contribution contribution);

    /**
     * Withdraws an owner's contribution: a new version without it is served (none when it had none).
     *
     * @since 2.2
     */
    void withdraw(String owner);
}
