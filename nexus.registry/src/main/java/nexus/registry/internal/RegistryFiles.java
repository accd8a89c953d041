package nexus.registry.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Contribution;
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

    /**
     * Opens a registry file with contributions, as the service serves it: a private copy in
     * {@code copies} (a folder of its own: older copies there are removed) with the contributions
     * written in, in owner order, then validated as a whole. Contributed tags whose path is taken are
     * left out. Closing the registry deletes its copy.
     *
     * @throws NexusException INVALID_ARGUMENT with the full report when the result is not valid or a
     *                        contribution is malformed
     * @since 2.2
     */
    public static Opened open(Path file, Path copies, int connections, List<Contribution> contributions) {
        RegistryCopies folder = new RegistryCopies(copies);
        ContributedVersions versions = new ContributedVersions(file, folder, connections, 2_000);
        contributions.forEach(versions::put);
        try {
            versions.keepBase(file, 0);
        } catch (IOException e) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "cannot copy registry " + file + ": " + e.getMessage());
        }
        ContributedVersions.Build build = versions.build(versions.all(), 1);
        versions.dropBase();
        if (!build.built()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, build.report().describe());
        }
        LoadedRegistry registry = build.result().registry();
        registry.whenClosed(() -> folder.discard(build.copy()));
        return registry;
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
