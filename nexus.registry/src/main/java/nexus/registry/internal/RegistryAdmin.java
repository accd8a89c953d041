package nexus.registry.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Problem;
import nexus.registry.Problem.Kind;
import nexus.registry.ValidationReport;

/** The registry's admin path, plain Java: import a tag list, validate a file, export it back. */
final class RegistryAdmin {

    private RegistryAdmin() {
    }

    /** Reads a tag list by its extension (.csv or .json); problems go to {@code problems}. */
    static TagList read(Path list, ListProblems problems) throws IOException {
        String name = list.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return CsvTagList.read(list, problems);
        }
        if (name.endsWith(".json")) {
            return JsonTagList.read(list, problems);
        }
        throw new NexusException(ErrorCode.INVALID_ARGUMENT, "cannot tell the format of " + list
                + ": a tag list ends in .csv or .json");
    }

    static ValidationReport importList(Path list, Path target) {
        long started = System.nanoTime();
        ListProblems read = new ListProblems();
        TagList tags;
        try {
            tags = read(list, read);
        } catch (IOException e) {
            return report(list, 0, 0, List.of(new Problem(Kind.MALFORMED, "cannot read it: " + e.getMessage(),
                    List.of(list.toString()))), started);
        }
        List<Problem> problems = new ArrayList<>(read.problems);
        RegistryContent content = problems.isEmpty() ? ListCompiler.compile(tags, problems) : null;
        if (content == null || !problems.isEmpty()) {
            return report(list, tags.tags.size(), tags.alarms.size(), problems, started);
        }
        try {
            RegistryWriter.write(content, target);
        } catch (IOException | SQLException e) {
            return report(list, tags.tags.size(), tags.alarms.size(), List.of(new Problem(Kind.INTEGRITY,
                    "cannot write " + target + ": " + e.getMessage(), List.of(target.toString()))), started);
        }
        return report(list, content.tags().size(), content.alarms().size(), List.of(), started);
    }

    static ValidationReport validate(Path registryFile) {
        RegistryLoader.Result result = RegistryLoader.load(registryFile, 0, 1, 1_000);
        if (result.registry() != null) {
            result.registry().retire();
        }
        return result.report();
    }

    static void exportList(Path registryFile, Path list) {
        RegistryLoader.Result result = RegistryLoader.load(registryFile, 0, 1, 1_000);
        if (result.registry() == null) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, result.report().describe());
        }
        LoadedRegistry registry = result.registry();
        String name = list.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".csv") && !name.endsWith(".json")) {
            registry.retire();
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "export to a file ending in .csv or .json, not " + list);
        }
        if (name.endsWith(".csv") && !registry.alarms().isEmpty()) {
            registry.retire();
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, registryFile + " defines " + registry.alarms().size()
                    + " alarms, which a CSV list cannot hold: export to a file ending in .json to keep them");
        }
        try {
            RegistryContent content = registry.content();
            Path dir = list.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, list.getFileName().toString(), ".writing");
            try {
                try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                    if (name.endsWith(".csv")) {
                        CsvTagList.write(content, out);
                    } else {
                        JsonTagList.write(content, out);
                    }
                }
                Files.move(temp, list, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new NexusException(ErrorCode.INTERNAL, "cannot export to " + list + ": " + e.getMessage(), e);
        } finally {
            registry.retire();
        }
    }

    private static ValidationReport report(Path source, int tags, int alarms, List<Problem> problems, long started) {
        return new ValidationReport(source.toString(), tags, alarms, problems, (System.nanoTime() - started) / 1_000_000);
    }
}
