package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.AlarmCondition;
import nexus.core.NexusException;
import nexus.registry.Problem;
import nexus.registry.Problem.Kind;
import nexus.registry.Tag;
import nexus.registry.ValidationReport;
import nexus.rma.Allocation;
import nexus.rma.RmaType;

class ImportTest {

    static final Path EXAMPLES = Path.of("..", "docs", "examples").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private LoadedRegistry load(Path file) {
        RegistryLoader.Result result = RegistryLoader.load(file, 1, 2, 1_000);
        assertThat(result.report().problems()).isEmpty();
        return result.registry();
    }

    @Test
    void writesTheRegistryFileOwnerOnlyOrForTheGroupWhenItsFolderIsGroupWritable() throws IOException {
        Path ownerOnly = Files.createDirectory(dir.resolve("owner"));
        Files.setPosixFilePermissions(ownerOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwx---"));

        RegistryAdmin.importList(EXAMPLES.resolve("plant.csv"), ownerOnly.resolve("plant.db"));
        RegistryAdmin.importList(EXAMPLES.resolve("plant.csv"), shared.resolve("plant.db"));

        assertThat(mode(ownerOnly.resolve("plant.db"))).as("whoever can write the registry is an admin: not the umask's 0644")
                .isEqualTo("rw-------");
        assertThat(mode(shared.resolve("plant.db"))).as("a writer group (NEXUS_WRITER_GROUP) may write it").isEqualTo("rw-rw----");
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void importsTheCsvExampleAllocatingAddressesInListOrder() {
        Path db = dir.resolve("plant.db");

        ValidationReport report = RegistryAdmin.importList(EXAMPLES.resolve("plant.csv"), db);

        assertThat(report.problems()).isEmpty();
        assertThat(report.tags()).isEqualTo(10);
        LoadedRegistry registry = load(db);
        assertThat(registry.banks()).extracting(b -> b.name() + ":" + b.size()).containsExactly("process:1024", "alarms:64");
        assertThat(allocation(registry, "plant1/line1/tt101")).isEqualTo(Allocation.of(0, 0, RmaType.FLOAT32));
        assertThat(allocation(registry, "plant1/line1/tt102")).isEqualTo(Allocation.of(0, 4, RmaType.FLOAT32));
        assertThat(allocation(registry, "plant1/line1/pt101")).isEqualTo(Allocation.of(0, 8, RmaType.FLOAT64));
        assertThat(allocation(registry, "plant1/line1/p101/running")).isEqualTo(Allocation.bool(0, 16, 0));
        assertThat(allocation(registry, "plant1/line1/p101/start_cmd")).isEqualTo(Allocation.bool(0, 16, 1));
        assertThat(allocation(registry, "plant1/line1/p101/speed")).isEqualTo(Allocation.of(0, 18, RmaType.INT16));
        assertThat(allocation(registry, "plant1/line1/p101/hours")).isEqualTo(Allocation.of(0, 20, RmaType.UINT32));
        assertThat(allocation(registry, "plant1/line1/batch")).isEqualTo(Allocation.string(0, 24, 16));
        assertThat(allocation(registry, "plant1/line2/lt201")).as("explicit").isEqualTo(Allocation.of(0, 256, RmaType.FLOAT32));
        assertThat(allocation(registry, "plant1/line2/lsh201")).as("explicit").isEqualTo(Allocation.bool(0, 260, 3));
        Tag batch = registry.tag("plant1/line1/batch").orElseThrow();
        assertThat(batch.description()).isEqualTo("Batch id, as printed on the ticket");
        assertThat(batch.writable()).isTrue();
        Tag tt101 = registry.tag("plant1/line1/tt101").orElseThrow();
        assertThat(tt101.unit()).isEqualTo("degC");
        assertThat(tt101.engLow()).isEqualTo(-20.0);
        assertThat(tt101.properties()).containsEntry("area", "north").containsEntry("asset", "reactor1");
        assertThat(registry.tag(tt101.id())).contains(tt101);
        assertThat(registry.tag("no/such/tag")).isEmpty();
        registry.retire();
    }

    @Test
    void importsTheJsonExampleWithAlarmsAndFlagBytes() {
        Path db = dir.resolve("plant.db");

        assertThat(RegistryAdmin.importList(EXAMPLES.resolve("plant.json"), db).problems()).isEmpty();

        LoadedRegistry registry = load(db);
        assertThat(registry.alarms()).hasSize(3);
        var hi = registry.alarms().get(0);
        assertThat(hi.condition()).isEqualTo(AlarmCondition.HI);
        assertThat(hi.limit()).isEqualTo(120.0);
        assertThat(hi.onDelayMillis()).isEqualTo(2000);
        assertThat(hi.flags()).isEqualTo(Allocation.of(1, 0, RmaType.UINT8));
        assertThat(registry.alarms().get(1).flags()).isEqualTo(Allocation.of(1, 1, RmaType.UINT8));
        assertThat(registry.alarms().get(2).flags()).as("explicit").isEqualTo(Allocation.of(1, 40, RmaType.UINT8));
        assertThat(allocation(registry, "plant1/line1/p101/fault")).isEqualTo(Allocation.bool(0, 4, 2));
        assertThat(allocation(registry, "plant1/line1/batch")).isEqualTo(Allocation.string(0, 5, 16));
        registry.retire();
    }

    @Test
    void exportsAndReimportsToTheSameRegistry() throws IOException {
        Path db = dir.resolve("plant.db");
        RegistryAdmin.importList(EXAMPLES.resolve("plant.json"), db);
        Path tagsOnly = dir.resolve("tags-only.db");
        RegistryAdmin.importList(EXAMPLES.resolve("plant.csv"), tagsOnly);

        for (String format : List.of("csv", "json")) {
            Path from = format.equals("csv") ? tagsOnly : db;
            Path list = dir.resolve("export." + format);
            Path again = dir.resolve("again-" + format + ".db");
            RegistryAdmin.exportList(from, list);
            assertThat(RegistryAdmin.importList(list, again).problems()).isEmpty();

            LoadedRegistry first = load(from);
            LoadedRegistry second = load(again);
            for (int i = 0; i < first.index().size(); i++) {
                long id = first.index().id(i);
                assertThat(second.tag(id)).as(format).isEqualTo(first.tag(id));
            }
            assertThat(second.alarms()).as(format).isEqualTo(first.alarms());
            first.retire();
            second.retire();
        }
        assertThat(Files.readString(dir.resolve("export.csv"))).startsWith("# bank process 1024\n# bank alarms 64\n"
                + "path,type,bank,byte_offset,bit_offset,unit,description,writable,eng_low,eng_high,write_roles,prop.area,prop.asset\n"
                + "plant1/line1/tt101,FLOAT32,process,0,0,degC,Reactor inlet temperature,0,-20.0,150.0,,north,reactor1\n");
    }

    @Test
    void aCsvExportOfARegistryWithAlarmsIsRefusedAndWritesNothing() throws IOException {
        Path db = dir.resolve("plant.db");
        RegistryAdmin.importList(EXAMPLES.resolve("plant.json"), db);
        Path list = dir.resolve("export.csv");

        assertThatThrownBy(() -> RegistryAdmin.exportList(db, list)).isInstanceOf(NexusException.class)
                .hasMessage(db + " defines 3 alarms, which a CSV list cannot hold: export to a file ending in .json to keep them");
        assertThat(list).doesNotExist();
        assertThat(dir.toFile().list()).containsExactly("plant.db");
    }

    @Test
    void reportsEveryProblemOfABadCsvWithFileLineAndColumnAndWritesNothing() throws IOException {
        Path list = dir.resolve("bad.csv");
        Files.writeString(list, """
                # bank process 64
                path,type,bank,byte_offset,bit_offset,unit,description,writable
                a/one,FLOAT32,process,,,,,
                a/two,DOUBLE,process,,,,,
                a/three,INT16,tanks,,,,,
                a/one,INT8,process,,,,,
                a/four,INT32,process,1x,,,,
                a/five,BOOL,process,,,,,maybe
                """);
        Path db = dir.resolve("bad.db");

        ValidationReport report = RegistryAdmin.importList(list, db);

        assertThat(report.valid()).isFalse();
        assertThat(report.problems()).extracting(Problem::toString).containsExactly(
                "MALFORMED: byte_offset '1x' is not a whole number [bad.csv:7:4]",
                "MALFORMED: writable 'maybe' is not true or false (or 1 / 0) [bad.csv:8:8]");
        assertThat(db).doesNotExist();

        Files.writeString(list, Files.readString(list).replace("1x", "").replace("maybe", "1"));
        report = RegistryAdmin.importList(list, db);
        assertThat(report.problems()).extracting(Problem::toString).containsExactly(
                "UNKNOWN_TYPE: unknown type 'DOUBLE' for a/two: use BOOL, INT8..INT64, UINT8..UINT32, FLOAT32, FLOAT64 or STRING(n) [bad.csv:4]",
                "UNKNOWN_BANK: unknown bank 'tanks' for a/three (banks: process) [bad.csv:5]",
                "DUPLICATE_PATH: path 'a/one' is used twice [bad.csv:3; bad.csv:6]");
        assertThat(db).doesNotExist();
    }

    @Test
    void reportsOverlapsMisalignmentAndOverflowWithTheRowsInvolved() throws IOException {
        Path list = dir.resolve("clash.csv");
        Files.writeString(list, """
                # bank process 16
                path,type,bank,byte_offset,bit_offset
                a/temp,FLOAT32,process,0,
                a/speed,INT16,process,2,
                a/flow,FLOAT32,process,6,
                a/total,FLOAT64,process,12,
                a/run,BOOL,process,8,1
                a/stop,BOOL,process,8,1
                """);

        ValidationReport report = RegistryAdmin.importList(list, dir.resolve("clash.db"));

        assertThat(report.problems()).extracting(Problem::toString).containsExactly(
                "MISALIGNED: FLOAT32 at byte 6 is misaligned: its offset must be a multiple of 4 [a/flow at clash.csv:5]",
                "MISALIGNED: FLOAT64 at byte 12 is misaligned: its offset must be a multiple of 8 [a/total at clash.csv:6]",
                "OVERLAP: allocations overlap in bank 'process' at bytes 2..4 [a/speed at clash.csv:4; a/temp at clash.csv:3]",
                "OVERLAP: allocations overlap in bank 'process' at byte 8 bit 1 [a/stop at clash.csv:8; a/run at clash.csv:7]");
    }

    @Test
    void aFullBankIsReported() throws IOException {
        Path list = dir.resolve("full.csv");
        Files.writeString(list, "# bank process 6\npath,type,bank\na,FLOAT32,process\nb,FLOAT32,process\n");

        assertThat(RegistryAdmin.importList(list, dir.resolve("full.db")).problems()).extracting(Problem::toString)
                .containsExactly("OUT_OF_BOUNDS: bank 'process' is full: no room for b (4 bytes); make the bank larger [full.csv:4]");
    }

    @Test
    void reportsBadJsonWithLineAndColumn() throws IOException {
        Path list = dir.resolve("bad.json");
        Files.writeString(list, """
                {"banks": [{"name": "process", "size": 64}],
                 "tags": [
                   {"path": "a", "type": "FLOAT32", "bank": "process", "byteOffset": "zero"},
                   {"path": "b", "type": "INT8", "bank": "process", "writable": "yes"}
                 ],
                 "alarms": [
                   {"name": "x", "tag": "missing", "condition": "HI", "limit": 1}
                 ]}
                """);

        ValidationReport report = RegistryAdmin.importList(list, dir.resolve("bad.db"));

        assertThat(report.problems()).extracting(Problem::toString).containsExactly(
                "MALFORMED: byteOffset \"zero\" is not a whole number [bad.json:3:4]",
                "MALFORMED: writable \"yes\" is not true or false [bad.json:4:4]");

        Files.writeString(list, Files.readString(list).replace("\"zero\"", "0").replace("\"yes\"", "true"));
        assertThat(RegistryAdmin.importList(list, dir.resolve("bad.db")).problems()).extracting(Problem::toString)
                .containsExactly("UNKNOWN_BANK: alarm x puts its flags in bank 'alarms', which is not declared [bad.json:7:4]");

        Files.writeString(list, "{\"banks\": [ {\"name\": \"process\", ");
        assertThat(RegistryAdmin.importList(list, dir.resolve("bad.db")).problems().get(0).message())
                .startsWith("not valid JSON: Unexpected end-of-input");
    }

    @Test
    void inconsistentAlarmsAreReported() throws IOException {
        Path list = dir.resolve("alarms.json");
        Files.writeString(list, """
                {"banks": [{"name": "process", "size": 64}, {"name": "alarms", "size": 8}],
                 "tags": [{"path": "t", "type": "FLOAT32", "bank": "process"},
                          {"path": "s", "type": "STRING", "length": 8, "bank": "process"},
                          {"path": "b", "type": "BOOL", "bank": "process"}],
                 "alarms": [
                   {"name": "no_limit", "tag": "t", "condition": "HI"},
                   {"name": "on_string", "tag": "s", "condition": "EQ", "limit": 1},
                   {"name": "bool_hi", "tag": "b", "condition": "HI", "limit": 1},
                   {"name": "negative", "tag": "t", "condition": "LO", "limit": 1, "deadband": -1},
                   {"name": "dangling", "tag": "nope", "condition": "TRUE"},
                   {"name": "bad_severity", "tag": "b", "condition": "TRUE", "severity": "URGENT"}
                 ]}
                """);

        assertThat(RegistryAdmin.importList(list, dir.resolve("a.db")).problems()).extracting(Problem::kind, Problem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Kind.INCONSISTENT_ALARM, "alarm no_limit has condition HI but no numeric limit"),
                        org.assertj.core.groups.Tuple.tuple(Kind.INCONSISTENT_ALARM, "alarm on_string watches a STRING tag: alarms watch numbers and BOOLs"),
                        org.assertj.core.groups.Tuple.tuple(Kind.INCONSISTENT_ALARM, "alarm bool_hi watches a BOOL tag with HI: use TRUE or FALSE"),
                        org.assertj.core.groups.Tuple.tuple(Kind.INCONSISTENT_ALARM, "alarm negative has deadband -1.0: a deadband is 0 or more"),
                        org.assertj.core.groups.Tuple.tuple(Kind.DANGLING_ALARM, "alarm dangling watches tag 'nope', which does not exist:"
                                + " define it in this list, or, when another node's mirror contributes it (federation), add"
                                + " \"contributed\": true to the alarm"),
                        org.assertj.core.groups.Tuple.tuple(Kind.INCONSISTENT_ALARM, "alarm bad_severity has severity 'URGENT': use LOW, MEDIUM, HIGH or CRITICAL"));
    }

    @Test
    void alarmsThatCouldNeverActivateOrClearOnTheirIntegerTagAreReported() throws IOException {
        Path list = dir.resolve("ranges.json");
        Files.writeString(list, """
                {"banks": [{"name": "process", "size": 64}, {"name": "alarms", "size": 8}],
                 "tags": [{"path": "level", "type": "UINT8", "bank": "process"},
                          {"path": "temp", "type": "FLOAT32", "bank": "process"}],
                 "alarms": [
                   {"name": "hi_over_max", "tag": "level", "condition": "HI", "limit": 255},
                   {"name": "lo_under_min", "tag": "level", "condition": "LOLO", "limit": 0},
                   {"name": "eq_fraction", "tag": "level", "condition": "EQ", "limit": 2.5},
                   {"name": "ne_outside", "tag": "level", "condition": "NE", "limit": 300},
                   {"name": "deadband_too_wide", "tag": "level", "condition": "HI", "limit": 5, "deadband": 10},
                   {"name": "fine_int", "tag": "level", "condition": "HI", "limit": 200, "deadband": 10},
                   {"name": "fine_float", "tag": "temp", "condition": "LO", "limit": -1e30, "deadband": 1e30}
                 ]}
                """);

        assertThat(RegistryAdmin.importList(list, dir.resolve("r.db")).problems()).extracting(Problem::message)
                .containsExactly(
                        "alarm hi_over_max has HI limit 255 on a UINT8 tag, which holds 0 to 255: it could never activate",
                        "alarm lo_under_min has LOLO limit 0 on a UINT8 tag, which holds 0 to 255: it could never activate",
                        "alarm eq_fraction has EQ limit 2.5 on a UINT8 tag, which holds 0 to 255: it could never activate",
                        "alarm ne_outside has NE limit 300 on a UINT8 tag, which holds 0 to 255: it would never clear",
                        "alarm deadband_too_wide clears at -5 (limit 5, deadband 10) on a UINT8 tag, which holds 0 to 255:"
                                + " it would never clear; make the deadband smaller");
    }

    @Test
    void anInvalidListLeavesAnExistingTargetUntouched() throws IOException {
        Path db = dir.resolve("plant.db");
        RegistryAdmin.importList(EXAMPLES.resolve("plant.csv"), db);
        byte[] before = Files.readAllBytes(db);
        Path list = dir.resolve("bad.csv");
        Files.writeString(list, "# bank process 8\npath,type,bank\nx,NOPE,process\n");

        assertThat(RegistryAdmin.importList(list, db).valid()).isFalse();

        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("plant.db", "bad.csv");
        }
    }

    private static Allocation allocation(LoadedRegistry registry, String path) {
        return registry.tag(path).orElseThrow().allocation();
    }
}
