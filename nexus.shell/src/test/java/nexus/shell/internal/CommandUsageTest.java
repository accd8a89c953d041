package nexus.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CommandUsageTest {

    @Test
    void listsEveryDescribedFormWithItsArgumentsIncludingImport() {
        Map<String, List<String>> usage = CommandUsage.of(List.of(
                new CommandUsage.Commands(new RegistryCommands(), List.of("registry", "validate", "import", "export")),
                new CommandUsage.Commands(new MemoryCommands(), List.of("write"))));

        assertThat(usage).containsKeys("registry", "validate", "import", "export", "write");
        assertThat(usage.get("import")).singleElement().asString().startsWith("import <tag list> <registry file to write>");
        assertThat(usage.get("validate")).hasSize(2);
        assertThat(usage.get("write")).singleElement().asString()
                .startsWith("write <bank name or id> <byte offset; offset.bit for BOOL> <BOOL, INT8..INT64");
    }

    @Test
    void aPageSaysHowToQuote() {
        String page = CommandUsage.page(CommandUsage.of(List.of(
                new CommandUsage.Commands(new MemoryCommands(), List.of("write", "dump")))));

        assertThat(page).contains("'STRING(16)'").contains("  dump <bank name or id>").contains("  write <bank name or id>");
    }
}
