package nexus.registry;

import java.nio.file.Path;

import nexus.registry.internal.PublicEntry;

/**
 * The registry's admin path in plain Java, without the OSGi service: for tools, tests and
 * benchmarks. The same code the {@link TagRegistry} service runs.
 */
public final class RegistryFiles {

    private RegistryFiles() {
    }

    /** A registry opened from a file; close it to release its connections. */
    public interface Opened extends Registry, AutoCloseable {
        @Override
        void close();
    }

    /**
     * Opens, checks and validates a registry file (read-only).
     *
     * @param connections the read-only connections to keep open
     * @throws nexus.core.NexusException INVALID_ARGUMENT with the full report when it is not valid
     */
    public static Opened open(Path file, int connections) {
        return PublicEntry.open(file, connections);
    }

    /** @see TagRegistry#validate(Path) */
    public static ValidationReport validate(Path file) {
        return PublicEntry.validate(file);
    }

    /** @see TagRegistry#importList(Path, Path) */
    public static ValidationReport importList(Path list, Path target) {
        return PublicEntry.importList(list, target);
    }

    /** @see TagRegistry#exportList(Path, Path) */
    public static void exportList(Path file, Path list) {
        PublicEntry.exportList(file, list);
    }

    /** Generates the demo plant with about {@code tags} tags into a registry file. */
    public static ValidationReport demo(Path file, int tags) {
        return PublicEntry.demo(file, tags);
    }
}
