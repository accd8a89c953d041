package nexus.registry.internal;

import java.nio.file.Path;

import nexus.core.NexusException;
import nexus.registry.ValidationReport;

/**
 * The registry's admin path from a script, without a running RMA Nexus:
 * <pre>
 *   import   LIST REGISTRY.db     build a registry from a tag list (.csv or .json)
 *   validate REGISTRY.db          print the full validation report
 *   export   REGISTRY.db LIST     write a registry back as a tag list
 *   demo     REGISTRY.db TAGS     generate the demo plant with about TAGS tags
 * </pre>
 * Exit status 0 on success, 1 when the input is invalid (the report says why), 2 on a usage error.
 */
public final class ImportMain {

    private ImportMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: import LIST REGISTRY.db | validate REGISTRY.db | export REGISTRY.db LIST"
                    + " | demo REGISTRY.db TAGS");
            return 2;
        }
        try {
            switch (args[0]) {
                case "import" -> {
                    return print(RegistryAdmin.importList(Path.of(args[1]), Path.of(args[2])));
                }
                case "validate" -> {
                    return print(RegistryAdmin.validate(Path.of(args[1])));
                }
                case "export" -> {
                    RegistryAdmin.exportList(Path.of(args[1]), Path.of(args[2]));
                    System.out.println("exported " + args[1] + " to " + args[2]);
                    return 0;
                }
                case "demo" -> {
                    return print(DemoPlant.write(Path.of(args[1]), Integer.parseInt(args[2])));
                }
                default -> {
                    System.err.println("unknown command '" + args[0] + "': use import, validate, export or demo");
                    return 2;
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            System.err.println("usage: import LIST REGISTRY.db | validate REGISTRY.db | export REGISTRY.db LIST"
                    + " | demo REGISTRY.db TAGS");
            return 2;
        } catch (NexusException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }

    private static int print(ValidationReport report) {
        (report.valid() ? System.out : System.err).println(report.describe());
        return report.valid() ? 0 : 1;
    }
}
