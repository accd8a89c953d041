package nexus.registry;

import java.nio.file.Path;

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
}
