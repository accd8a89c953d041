package nexus.registry.internal;

import java.nio.file.Path;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Registry;
import nexus.registry.TagRegistry;
import nexus.registry.ValidationReport;

/**
 * The registry's admin path in plain Java, without the OSGi service: for tools, tests and
 * benchmarks. The same code the {@link TagRegistry} service runs.
 *
 * <p>Not a contract: it lives in the internal package, so a bundle never imports it (an exported
 * package may not reach into an internal one, docs/architecture.md). Code on a plain class path,
 * such as other bundles' unit tests, the benchmarks and the integration tests' set-up, may use it.
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
     * @throws NexusException INVALID_ARGUMENT with the full report when it is not valid
     */
    public static Opened open(Path file, int connections) {
        RegistryLoader.Result result = RegistryLoader.load(file, 1, connections, 2_000);
        if (result.registry() == null) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, result.report().describe());
        }
        return result.registry();
    }

    /** @see TagRegistry#validate(Path) */
    public static ValidationReport validate(Path file) {
        return RegistryAdmin.validate(file);
    }

    /** @see TagRegistry#importList(Path, Path) */
    public static ValidationReport importList(Path list, Path target) {
        return RegistryAdmin.importList(list, target);
    }

    /** @see TagRegistry#exportList(Path, Path) */
    public static void exportList(Path file, Path list) {
        RegistryAdmin.exportList(file, list);
    }

    /** Generates the demo plant with about {@code tags} tags into a registry file. */
    public static ValidationReport demo(Path file, int tags) {
        return DemoPlant.write(file, tags);
    }
}
