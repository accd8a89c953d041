package nexus.registry.internal;

import java.nio.file.Path;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.RegistryFiles;
import nexus.registry.ValidationReport;

/** Backs {@link RegistryFiles}: the public plain-Java entry to the internals. */
public final class PublicEntry {

    private PublicEntry() {
    }

    public static RegistryFiles.Opened open(Path file, int connections) {
        RegistryLoader.Result result = RegistryLoader.load(file, 1, connections, 2_000);
        if (result.registry() == null) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, result.report().describe());
        }
        return result.registry();
    }

    public static ValidationReport validate(Path file) {
        return RegistryAdmin.validate(file);
    }

    public static ValidationReport importList(Path list, Path target) {
        return RegistryAdmin.importList(list, target);
    }

    public static void exportList(Path file, Path list) {
        RegistryAdmin.exportList(file, list);
    }

    public static ValidationReport demo(Path file, int tags) {
        return DemoPlant.write(file, tags);
    }
}
