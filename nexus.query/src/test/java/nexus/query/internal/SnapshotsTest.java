package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.core.Access;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.query.RestoreOptions;
import nexus.query.RestoreResult;
import nexus.query.SnapshotFormat;
import nexus.query.SnapshotSummary;

/** Snapshots of the small plant: the file, restore and every refusal of a restore, scope. */
class SnapshotsTest {

    static final Caller ROOT = Caller.of("root", Set.of(Access.ADMIN), "test");
    static final Caller PAM = Caller.of("pam", Set.of("pumps"), "test");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TagPlant plant;
    private Snapshots snapshots;

    @BeforeEach
    void plant() {
        plant = new TagPlant(dir);
        snapshots = new Snapshots(plant.engine, plant, plant.tags);
        plant.plcValues();
    }

    @AfterEach
    void close() {
        plant.close();
    }

    static String export(Snapshots snapshots, Caller caller, SnapshotFormat format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        snapshots.export(caller, format, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static RestoreResult restore(Snapshots snapshots, Caller caller, String file, RestoreOptions options) throws IOException {
        return snapshots.restore(caller, new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), options);
    }

    /** A dry run, then the real run with its confirmation. */
    static RestoreResult restore(Snapshots snapshots, Caller caller, String file) throws IOException {
        RestoreResult dry = restore(snapshots, caller, file, RestoreOptions.dryRun(false));
        return restore(snapshots, caller, file, RestoreOptions.confirmed(dry.confirmation(), false));
    }

    static List<JsonNode> lines(String file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : file.split("\n")) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private NexusException refused(String file, RestoreOptions options, ErrorCode code) {
        NexusException e = catchThrowableOfType(() -> restore(snapshots, ROOT, file, options), NexusException.class);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.code()).isEqualTo(code);
        return e;
    }

    @Test
    void aSnapshotHasAHeaderEveryTagInIdOrderAndATrailer() throws IOException {
        List<JsonNode> lines = lines(export(snapshots, ROOT, SnapshotFormat.JSONL));

        JsonNode header = lines.get(0);
        JsonNode trailer = lines.get(lines.size() - 1);
        assertThat(header.get("snapshot").asText()).isEqualTo("nexus");
        assertThat(header.get("registryVersion").asLong()).isEqualTo(plant.current.version());
        assertThat(header.get("tags").asInt()).isEqualTo(7);
        assertThat(header.get("layoutHash").asText()).startsWith("sha256:").hasSize(71);
        assertThat(trailer.get("end").asBoolean()).isTrue();
        assertThat(trailer.get("tags").asInt()).isEqualTo(7);
        assertThat(trailer.get("layoutHash")).isEqualTo(header.get("layoutHash"));
        List<JsonNode> tags = lines.subList(1, lines.size() - 1);
        assertThat(tags).extracting(t -> t.get("path").asText()).containsExactly("plant/tank/level", "plant/tank/temperature",
                "plant/pump/speed", "plant/pump/running", "plant/pump/start", "plant/batch", "utility/flow");
        JsonNode level = tags.get(0);
        assertThat(level.get("type").asText()).isEqualTo("FLOAT32");
        assertThat(level.get("value").asDouble()).isEqualTo(12.5);
        assertThat(level.get("quality").asText()).isEqualTo("GOOD");
        assertThat(level.get("bank").asText()).isEqualTo("process");
        assertThat(level.get("sequence").asLong()).isEqualTo(plant.rma.memory.sequence(plant.tag("plant/tank/level").allocation().bank()));
        assertThat(level.get("ts").asText()).endsWith("Z");
        assertThat(tags.get(5).get("value").asText()).isEqualTo("B-17");
        assertThat(tags.get(6).get("bank").asText()).isEqualTo("utility");
    }

    @Test
    void theLayoutHashStaysWhenValuesChangeAndDiffersForAnotherLayout() throws IOException {
        String before = lines(export(snapshots, ROOT, SnapshotFormat.JSONL)).get(0).get("layoutHash").asText();
        plant.plc("plant/tank/level", 99.0);
        String after = lines(export(snapshots, ROOT, SnapshotFormat.JSONL)).get(0).get("layoutHash").asText();
        try (TagPlant moved = new TagPlant(dir.resolve("moved"), TagPlant.LIST.replace("plant/batch,STRING(8)", "plant/batch,STRING(9)"),
                Admission.defaults(5_000))) {
            String other = lines(export(new Snapshots(moved.engine, moved, moved.tags), ROOT, SnapshotFormat.JSONL)).get(0)
                    .get("layoutHash").asText();
            assertThat(other).isNotEqualTo(before);
        }
        assertThat(after).isEqualTo(before);
    }

    @Test
    void aDryRunShowsTheDiffAndTheRealRunWritesItBack() throws IOException {
        String file = export(snapshots, ROOT, SnapshotFormat.JSONL);
        plant.plc("plant/tank/level", 80.0);
        plant.plc("plant/pump/speed", 10L);
        plant.plc("plant/tank/temperature", 20.0); // not writable

        RestoreResult dry = restore(snapshots, ROOT, file, RestoreOptions.dryRun(false));

        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.tags()).isEqualTo(7);
        assertThat(dry.changes()).containsExactly(
                new RestoreResult.Change("plant/tank/level", 80.0f, 12.5f, "%", true),
                new RestoreResult.Change("plant/tank/temperature", 20.0f, -3.5f, "degC", false),
                new RestoreResult.Change("plant/pump/speed", 10L, 1500L, "rpm", true));
        assertThat(dry.skipped()).contains(new RestoreResult.Skip("plant/tank/temperature", "the tag is not writable"));
        assertThat(dry.confirmation()).isNotBlank();
        assertThat(plant.value("plant/tank/level")).as("a dry run writes nothing").isEqualTo(80.0f);
        assertThat(plant.trail.records).isEmpty();

        RestoreResult done = restore(snapshots, ROOT, file, RestoreOptions.confirmed(dry.confirmation(), false));

        assertThat(done.written()).containsExactly("plant/tank/level", "plant/pump/speed");
        assertThat(done.complete()).isTrue();
        assertThat(plant.value("plant/tank/level")).isEqualTo(12.5f);
        assertThat(plant.value("plant/pump/speed")).isEqualTo(1500L);
        assertThat(plant.value("plant/tank/temperature")).as("not writable: skipped").isEqualTo(20.0f);
        assertThat(plant.trail.records).as("each write audited by the tag service, as the caller")
                .extracting(r -> r.name() + " " + r.caller().user() + " " + r.result())
                .containsExactly("plant/tank/level root OK", "plant/pump/speed root OK");
        assertThat(plant.trail.records).as("a restore's writes say so").allSatisfy(r -> assertThat(r.caller().source())
                .isEqualTo(ROOT.source() + " snapshot restore"));
        assertThat(restore(snapshots, ROOT, file, RestoreOptions.dryRun(false)).changes()).extracting(RestoreResult.Change::path)
                .containsExactly("plant/tank/temperature");
    }

    @Test
    void aRealRunNeedsTheTokenOfADryRun() throws IOException {
        String file = export(snapshots, ROOT, SnapshotFormat.JSONL);
        plant.plc("plant/tank/level", 80.0);

        assertThat(refused(file, RestoreOptions.confirmed(null, false), ErrorCode.INVALID_ARGUMENT)).hasMessageContaining("dry_run=true");
        assertThat(refused(file, RestoreOptions.confirmed("made-up", false), ErrorCode.INVALID_ARGUMENT)).hasMessageContaining("confirmation");
        assertThat(plant.value("plant/tank/level")).isEqualTo(80.0f);
    }

    @Test
    void aTagThatMovedSinceTheDryRunRefusesTheRealRun() throws IOException {
        String file = export(snapshots, ROOT, SnapshotFormat.JSONL);
        plant.plc("plant/tank/level", 80.0);
        RestoreResult dry = restore(snapshots, ROOT, file, RestoreOptions.dryRun(false));
        plant.plc("plant/tank/level", 81.0);

        assertThat(refused(file, RestoreOptions.confirmed(dry.confirmation(), false), ErrorCode.CONFLICT))
                .hasMessageContaining("changed since the dry run");
        assertThat(plant.value("plant/tank/level")).isEqualTo(81.0f);
        assertThat(plant.trail.records).isEmpty();
    }

    @Test
    void aMovedBankSequenceAloneDoesNotRefuseTheRealRun() throws IOException {
        String file = export(snapshots, ROOT, SnapshotFormat.JSONL);
        plant.plc("plant/tank/level", 80.0);
        RestoreResult dry = restore(snapshots, ROOT, file, RestoreOptions.dryRun(false));
        plant.plc("plant/pump/running", true); // same bank, not a tag the restore writes

        RestoreResult done = restore(snapshots, ROOT, file, RestoreOptions.confirmed(dry.confirmation(), false));

        assertThat(done.written()).containsExactly("plant/tank/level");
    }

    @Test
    void aTruncatedSnapshotIsRefusedWhole() throws IOException {
        String file = export(snapshots, ROOT, SnapshotFormat.JSONL);
        plant.plc("plant/tank/level", 80.0);
        String cut = file.substring(0, file.lastIndexOf("{\"end\""));
        String lying = file.replace("\"end\":true,\"tags\":7", "\"end\":true,\"tags\":8");

        assertThat(refused(cut, RestoreOptions.dryRun(false), ErrorCode.INVALID_ARGUMENT)).hasMessageContaining("truncated");
        assertThat(refused(lying, RestoreOptions.dryRun(true), ErrorCode.INVALID_ARGUMENT)).hasMessageContaining("truncated");
        String extra = file.replace("\"end\":true,\"tags\":7", "\"end\":true,\"tags\":6");
        assertThat(refused(extra, RestoreOptions.dryRun(true), ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("more tag lines than the trailer counts").hasMessageNotContaining("truncated");
        assertThat(refused(file.substring(0, file.length() / 2), RestoreOptions.dryRun(false), ErrorCode.INVALID_ARGUMENT));
        assertThat(plant.value("plant/tank/level")).isEqualTo(80.0f);
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedWhole() throws IOException {
        String file = export(snapshots, ROOT, SnapshotFormat.JSONL).replace("\"value\":1500", "\"value\":\"fast\"");
        plant.plc("plant/tank/level", 80.0);

        NexusException e = refused(file, RestoreOptions.dryRun(false), ErrorCode.INVALID_ARGUMENT);

        assertThat(e).hasMessageContaining("plant/pump/speed").hasMessageContaining("nothing was written");
        assertThat(refused(file.replace("\"value\":\"fast\"", "\"value\":1.5"), RestoreOptions.dryRun(false),
                ErrorCode.INVALID_ARGUMENT)).hasMessageContaining("fraction");
    }

    @Test
    void aSnapshotOfAnotherLayoutIsRefusedUnlessMappedByPath() throws IOException {
        String file = export(snapshots, ROOT, SnapshotFormat.JSONL);
        try (TagPlant moved = new TagPlant(dir.resolve("moved"),
                TagPlant.LIST.replace("plant/tank/level,FLOAT32,process,,,%,Tank level,1,0,100,north\n", "") + "plant/new,INT32,process,,,,,1,,,\n",
                Admission.defaults(5_000))) {
            Snapshots other = new Snapshots(moved.engine, moved, moved.tags);
            moved.plc("plant/pump/speed", 7L);

            NexusException e = catchThrowableOfType(() -> restore(other, ROOT, file, RestoreOptions.dryRun(false)),
                    NexusException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e).hasMessageContaining("another layout").hasMessageContaining("map=path");

            RestoreResult mapped = restore(other, ROOT, file, RestoreOptions.dryRun(true));
            assertThat(mapped.skipped()).contains(new RestoreResult.Skip("plant/tank/level", "no tag has the path now"));
            RestoreResult done = restore(other, ROOT, file, RestoreOptions.confirmed(mapped.confirmation(), true));
            assertThat(done.written()).contains("plant/pump/speed");
            assertThat(moved.value("plant/pump/speed")).isEqualTo(1500L);
        }
    }

    @Test
    void aChangeTheCallerMayNotWriteRefusesTheWholeRestore() throws IOException {
        String file = export(snapshots, ROOT, SnapshotFormat.JSONL);
        plant.plc("plant/tank/level", 80.0);
        plant.plc("plant/pump/speed", 10L);
        plant.policy = caller -> caller.roles().contains(Access.ADMIN) ? Access.UNRESTRICTED
                : new Access(new TreeSet<>(Set.of("pumps")), EnumSet.of(Permission.READ, Permission.WRITE), PathScope.ALL,
                        PathScope.of("plant/pump/**"), 0, 0);

        NexusException dry = catchThrowableOfType(() -> restore(snapshots, PAM, file, RestoreOptions.dryRun(false)),
                NexusException.class);

        assertThat(dry.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(dry).hasMessageContaining("plant/tank/level").hasMessageContaining("nothing was written");
        assertThat(plant.value("plant/pump/speed")).as("not even the tags it may write").isEqualTo(10L);
        assertThat(plant.trail.records).as("a dry run attempts nothing").isEmpty();

        String confirmation = restore(snapshots, ROOT, file, RestoreOptions.dryRun(false)).confirmation();
        NexusException real = catchThrowableOfType(() -> restore(snapshots, PAM, file, RestoreOptions.confirmed(confirmation,
                false)), NexusException.class);

        assertThat(real.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(plant.value("plant/pump/speed")).isEqualTo(10L);
        assertThat(plant.trail.records).as("the real run's refused writes are audited, tag by tag")
                .extracting(r -> r.name() + " " + r.caller().user() + " " + r.result() + " " + r.refused())
                .containsExactly("plant/tank/level pam FORBIDDEN true");
    }

    @Test
    void aScopedCallerSnapshotsAndRestoresOnlyWhatItSees() throws IOException {
        plant.policy = caller -> caller.roles().contains(Access.ADMIN) ? Access.UNRESTRICTED
                : new Access(new TreeSet<>(Set.of("pumps")), EnumSet.of(Permission.READ, Permission.WRITE),
                        PathScope.of("plant/pump/**"), PathScope.of("plant/pump/**"), 0, 0);
        String file = export(snapshots, PAM, SnapshotFormat.JSONL);
        List<JsonNode> lines = lines(file);

        assertThat(lines.subList(1, lines.size() - 1)).extracting(t -> t.get("path").asText())
                .containsExactly("plant/pump/speed", "plant/pump/running", "plant/pump/start");
        assertThat(lines.get(0).get("layoutHash")).isNotEqualTo(lines(export(snapshots, ROOT, SnapshotFormat.JSONL)).get(0).get("layoutHash"));

        plant.plc("plant/pump/speed", 10L);
        RestoreResult done = restore(snapshots, PAM, file);
        assertThat(done.written()).containsExactly("plant/pump/speed");
        assertThat(plant.trail.records).extracting(r -> r.caller().user()).containsExactly("pam");
    }

    @Test
    void aFailurePartWayNamesWhatWasWrittenAndWhatWasNot() throws IOException {
        String file = export(snapshots, ROOT, SnapshotFormat.JSONL);
        plant.plc("plant/tank/level", 80.0);
        plant.plc("plant/pump/speed", 10L);
        plant.plc("plant/batch", "X");
        RestoreResult dry = restore(snapshots, ROOT, file, RestoreOptions.dryRun(false));
        int[] appends = { 0 };
        plant.trail.onAppend = record -> {
            if (++appends[0] == 2) {
                plant.trail.failing = "the disk is full";
            }
        };

        RestoreResult done = restore(snapshots, ROOT, file, RestoreOptions.confirmed(dry.confirmation(), false));

        assertThat(done.complete()).isFalse();
        assertThat(done.written()).containsExactly("plant/tank/level", "plant/pump/speed");
        assertThat(done.failed()).extracting(RestoreResult.Failure::path).containsExactly("plant/batch");
        assertThat(done.failed().get(0).error().code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
        assertThat(plant.value("plant/batch")).isEqualTo("X");
        assertThat(plant.value("plant/pump/speed")).isEqualTo(1500L);
    }

    @Test
    void csvNeutralisesFormulasButKeepsNumbersAndRoundTrips() throws IOException {
        plant.plc("plant/batch", "=1+2");
        String csv = export(snapshots, ROOT, SnapshotFormat.CSV);
        String[] rows = csv.split("\r\n");

        assertThat(rows[0]).startsWith("#nexus-snapshot,format=1,registryVersion=");
        assertThat(rows[1]).isEqualTo("path,type,value,quality,bank,sequence,ts");
        assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("plant/batch,STRING,'=1+2,GOOD,process,"));
        assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("plant/tank/temperature,FLOAT32,-3.5,GOOD,"));
        assertThat(rows[rows.length - 1]).startsWith("#end,tags=7,layoutHash=sha256:");

        plant.plc("plant/batch", "B-1");
        plant.plc("plant/tank/level", 0.0);
        RestoreResult done = restore(snapshots, ROOT, csv);

        assertThat(done.written()).containsExactlyInAnyOrder("plant/batch", "plant/tank/level");
        assertThat(plant.value("plant/batch")).isEqualTo("=1+2");
        assertThat(plant.value("plant/tank/level")).isEqualTo(12.5f);
    }

    @Test
    void aSnapshotWithoutAnyGoodValueIsAnsweredWithQualities() throws IOException {
        plant.backend = null;
        List<JsonNode> lines = lines(export(snapshots, ROOT, SnapshotFormat.JSONL));

        assertThat(lines.subList(1, lines.size() - 1)).allSatisfy(t -> {
            assertThat(t.get("quality").asText()).isEqualTo("BAD_NO_BACKEND");
            assertThat(t.get("value").isNull()).isTrue();
        });
    }

    @Test
    void theSummaryIsWhatTheTrailerSays() throws IOException {
        SnapshotSummary summary = snapshots.export(ROOT, SnapshotFormat.CSV, new ByteArrayOutputStream());
        List<JsonNode> lines = lines(export(snapshots, ROOT, SnapshotFormat.JSONL));

        assertThat(summary.tags()).isEqualTo(7);
        assertThat(summary.layoutHash()).isEqualTo(lines.get(0).get("layoutHash").asText());
        Map<String, Integer> seen = new HashMap<>();
        Set<String> paths = new HashSet<>();
        lines.subList(1, lines.size() - 1).forEach(t -> seen.merge(t.get("bank").asText(), 1, Integer::sum));
        lines.subList(1, lines.size() - 1).forEach(t -> paths.add(t.get("path").asText()));
        assertThat(seen).containsEntry("process", 6).containsEntry("utility", 1);
        assertThat(paths).hasSize(7);
    }

    @Test
    void anExportRefusedPartWayEndsWithWhyAndARestoreRefusesItAsTruncated() throws IOException {
        try (TagPlant busy = new TagPlant(dir.resolve("busy"), TagPlant.LIST, new Admission(2, 0, 0, 500, 1, 1))) {
            Snapshots snapshots = new Snapshots(busy.engine, busy, busy.tags);
            List<Admission.Ticket> taken = new ArrayList<>();
            ByteArrayOutputStream out = new ByteArrayOutputStream() {
                @Override
                public void write(byte[] b, int off, int len) {
                    super.write(b, off, len);
                    while (taken.size() < 2) {
                        taken.add(busy.engine.admit()); // once the header is out, the node is busy
                    }
                }
            };

            NexusException e = catchThrowableOfType(() -> snapshots.export(ROOT, SnapshotFormat.JSONL, out), NexusException.class);
            taken.forEach(Admission.Ticket::close);

            assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
            List<JsonNode> lines = lines(out.toString(StandardCharsets.UTF_8));
            assertThat(lines).hasSize(2);
            assertThat(lines.get(1).get("error").asText()).isEqualTo("OVERLOADED");
            NexusException refused = catchThrowableOfType(() -> restore(snapshots, ROOT, out.toString(StandardCharsets.UTF_8),
                    RestoreOptions.dryRun(false)), NexusException.class);
            assertThat(refused).hasMessageContaining("truncated").hasMessageContaining("OVERLOADED");
        }
    }
}
