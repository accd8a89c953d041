package nexus.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.junit.jupiter.api.Test;

import nexus.registry.Problem;
import nexus.registry.Registry;
import nexus.registry.RegistryStatus;
import nexus.registry.TagRegistry;
import nexus.registry.ValidationReport;

class RegistryCommandsTest {

    /** Records what the commands ask of the registry service. */
    static final class RecordingRegistry implements TagRegistry {
        final List<String> calls = new ArrayList<>();
        ValidationReport answer = new ValidationReport("/home/list.csv", 12, 3, List.of(), 7);

        @Override
        public Registry current() {
            throw new UnsupportedOperationException();
        }

        @Override
        public RegistryStatus status() {
            return new RegistryStatus("/home/data/registry.db", true, 4, 10002, 548,
                    new ValidationReport("/home/data/registry.db", 10002, 548, List.of(), 381),
                    "the file changed on disk but the registry is frozen: still serving version 4");
        }

        @Override
        public java.util.Optional<String> writesRefused() {
            return java.util.Optional.empty();
        }

        @Override
        public String confirmFallback(String user) {
            calls.add("confirm");
            return "Confirmed: version 4";
        }

        @Override
        public ValidationReport validate(Path registryFile) {
            calls.add("validate " + registryFile.getFileName());
            return answer;
        }

        @Override
        public ValidationReport importList(Path list, Path target) {
            calls.add("import " + list.getFileName() + " " + target.getFileName());
            return answer;
        }

        @Override
        public void exportList(Path registryFile, Path list) {
            calls.add("export " + registryFile.getFileName() + " " + list.getFileName());
        }

        @Override
        public ValidationReport contribute(nexus.registry.Contribution contribution) {
            throw new UnsupportedOperationException("the console does not contribute");
        }

        @Override
        public void withdraw(String owner) {
            throw new UnsupportedOperationException("the console does not contribute");
        }
    }

    private final RecordingRegistry service = new RecordingRegistry();

    private String run(String line) throws Exception {
        RegistryCommands commands = new RegistryCommands();
        Field field = RegistryCommands.class.getDeclaredField("registry");
        field.setAccessible(true);
        field.set(commands, service);
        CommandProcessorImpl processor = new CommandProcessorImpl();
        for (String function : List.of("registry", "validate", "import", "export")) {
            processor.addCommand("nexus", commands, function);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new ConsoleLoop(processor, new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.UTF_8)), out, () -> { })
                .run();
        processor.stop();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void showsTheStatus() throws Exception {
        assertThat(run("registry")).contains("""
                file       /home/data/registry.db (frozen)
                version    4
                tags       10002
                alarms     548
                validated  valid in 381 ms (nexus:validate for the full report)
                problem    the file changed on disk but the registry is frozen: still serving version 4
                """);
    }

    @Test
    void importsValidatesAndExportsThroughTheService() throws Exception {
        assertThat(run("import list.csv plant.db")).contains("wrote ").contains("plant.db: 12 tags, 3 alarms (7 ms)");
        assertThat(run("validate other.db")).contains("/home/list.csv: 12 tags, 3 alarms, valid (7 ms)");
        assertThat(run("validate")).contains("valid");
        assertThat(run("export plant.db plant.json")).contains("exported ").contains("plant.json");
        assertThat(service.calls).containsExactly("import list.csv plant.db", "validate other.db", "validate registry.db",
                "export plant.db plant.json");
    }

    @Test
    void anInvalidImportSaysNothingWasWritten() throws Exception {
        service.answer = new ValidationReport("/home/list.csv", 2, 0,
                List.of(new Problem(Problem.Kind.UNKNOWN_TYPE, "unknown type 'DOUBLE' for a", List.of("list.csv:3"))), 1);

        assertThat(run("import list.csv plant.db")).contains("error: nothing written: /home/list.csv: 2 tags, 0 alarms, 1 problems")
                .contains("UNKNOWN_TYPE: unknown type 'DOUBLE' for a [list.csv:3]");
    }

    @Test
    void confirmsALastGoodCopyAndRefusesOtherWords() throws Exception {
        assertThat(run("registry confirm")).contains("Confirmed: version 4");
        assertThat(run("registry yes")).contains("usage: registry (the status) or registry confirm");
        assertThat(service.calls).containsExactly("confirm");
    }
}
