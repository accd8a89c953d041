package nexus.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.RestoreOptions;
import nexus.query.RestoreResult;
import nexus.query.SnapshotFormat;
import nexus.query.SnapshotService;
import nexus.query.SnapshotSummary;

class SnapshotCommandsTest {

    @TempDir
    Path home;

    private final List<RestoreOptions> options = new ArrayList<>();
    private final List<String> read = new ArrayList<>();
    private volatile boolean failing;

    private final SnapshotService service = new SnapshotService() {
        @Override
        public SnapshotSummary export(Caller caller, SnapshotFormat format, OutputStream sink) throws IOException {
            sink.write(("a " + format.wireName() + " file by " + caller.source()).getBytes(StandardCharsets.UTF_8));
            if (failing) {
                throw new NexusException(ErrorCode.OVERLOADED, "busy");
            }
            return new SnapshotSummary(4, 2, "sha256:ab");
        }

        @Override
        public RestoreResult restore(Caller caller, InputStream snapshot, RestoreOptions given) throws IOException {
            read.add(new String(snapshot.readAllBytes(), StandardCharsets.UTF_8));
            options.add(given);
            return new RestoreResult(given.dryRun(), 4, "sha256:ab", given.dryRun() ? "tok" : null, 2, 1,
                    List.of(new RestoreResult.Change("p/a", 1L, 2L, "rpm", true)), List.of(), 0,
                    given.dryRun() ? List.of() : List.of("p/a"), List.of(), List.of());
        }
    };

    private final SnapshotCommands commands = new SnapshotCommands(service, null);

    @Test
    void writesTheSnapshotToTheFileInTheFormatAsked() throws IOException {
        SnapshotCommands here = new SnapshotCommands(service, home);

        assertThat(here.snapshot("plant.csv")).isEqualTo("wrote " + home.resolve("plant.csv") + ": 2 tags of registry"
                + " version 4, layout sha256:ab");
        here.snapshot("other.txt", "--format", "csv");
        here.snapshot("--format", "jsonl");

        assertThat(Files.readString(home.resolve("plant.csv"))).isEqualTo("a csv file by shell");
        assertThat(Files.readString(home.resolve("other.txt"))).isEqualTo("a csv file by shell");
        try (var files = Files.list(home.resolve("snapshots"))) {
            assertThat(files.map(p -> p.getFileName().toString())).singleElement().asString().startsWith("snapshot-").endsWith(".jsonl");
        }
    }

    @Test
    void aFailedExportLeavesNoFile() {
        SnapshotCommands here = new SnapshotCommands(service, home);
        failing = true;

        assertThatThrownBy(() -> here.snapshot("plant.jsonl")).isInstanceOf(NexusException.class);
        assertThat(home.resolve("plant.jsonl")).doesNotExist();
        assertThat(home.resolve("plant.jsonl.partial")).doesNotExist();
    }

    @Test
    void aWrongFlagIsRefused() {
        assertThatThrownBy(() -> commands.snapshot("x.jsonl", "--fmt", "csv")).hasMessageContaining("usage: snapshot");
        assertThatThrownBy(() -> commands.snapshot("--format", "xml")).hasMessageContaining("jsonl");
    }

    @Test
    void restoreIsADryRunUntilGivenTheConfirmation() throws IOException {
        SnapshotCommands here = new SnapshotCommands(service, home);
        Files.writeString(home.resolve("s.jsonl"), "the file");

        String dry = here.restore("s.jsonl");
        String done = here.restore("s.jsonl", "tok");
        here.restore("s.jsonl", "--map-path");

        assertThat(dry).contains("p/a: 1 -> 2 rpm").contains("nothing written; to write: restore s.jsonl tok");
        assertThat(done).contains("written 1");
        assertThat(options).containsExactly(RestoreOptions.dryRun(false), RestoreOptions.confirmed("tok", false),
                RestoreOptions.dryRun(true));
        assertThat(read).containsOnly("the file");
    }
}
