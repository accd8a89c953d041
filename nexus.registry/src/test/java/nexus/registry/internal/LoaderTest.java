package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.registry.Problem;
import nexus.registry.Problem.Kind;
import nexus.registry.ValidationReport;

/** Registry files that are not what they should be: every problem reported, the file never touched. */
class LoaderTest {

    @TempDir
    Path dir;

    private Path valid() {
        Path db = dir.resolve("plant.db");
        assertThat(RegistryAdmin.importList(ImportTest.EXAMPLES.resolve("plant.json"), db).valid()).isTrue();
        return db;
    }

    private static void sql(Path db, String... statements) throws SQLException {
        try (Connection connection = Sqlite.create(db); Statement statement = connection.createStatement()) {
            for (String s : statements) {
                statement.execute(s);
            }
        }
    }

    private ValidationReport validateUntouched(Path db) throws IOException {
        byte[] before = Files.readAllBytes(db);
        var modified = Files.getLastModifiedTime(db);
        ValidationReport report = RegistryAdmin.validate(db);
        assertThat(Files.readAllBytes(db)).as("the file is only read").isEqualTo(before);
        assertThat(Files.getLastModifiedTime(db)).isEqualTo(modified);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains("-journal") || n.contains("-wal")))
                    .isEmpty();
        }
        return report;
    }

    @Test
    void aValidFileValidates() throws IOException {
        ValidationReport report = validateUntouched(valid());

        assertThat(report.valid()).isTrue();
        assertThat(report.tags()).isEqualTo(6);
        assertThat(report.alarms()).isEqualTo(3);
        assertThat(report.describe()).startsWith(dir.resolve("plant.db") + ": 6 tags, 3 alarms, valid (");
    }

    @Test
    void connectionsCannotWrite() throws Exception {
        Path db = valid();
        byte[] before = Files.readAllBytes(db);
        RegistryLoader.Result loaded = RegistryLoader.load(db, 1, 2, 1_000);

        for (String sql : new String[] { "DELETE FROM tag", "UPDATE bank SET size = 1", "CREATE TABLE x (y)" }) {
            try (Connection connection = Sqlite.readOnly(db); Statement statement = connection.createStatement()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.execute(sql)).as(sql)
                        .isInstanceOf(SQLException.class);
            }
        }
        // Even with query_only switched off, the connection was opened read-only.
        try (Connection connection = Sqlite.readOnly(db); Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA query_only = 0");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.execute("DELETE FROM tag"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("readonly");
        }
        assertThat(loaded.registry().tag("plant1/line1/tt101")).as("the lookups of a loaded file answer").isPresent();
        loaded.registry().retire();
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }

    @Test
    void aMissingFileIsNeverCreatedByOpeningIt() {
        Path missing = dir.resolve("gone.db");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sqlite.readOnly(missing)).isInstanceOf(SQLException.class);

        assertThat(missing).doesNotExist();
    }

    @Test
    void reportsEveryProblemWithTheRowsInvolved() throws Exception {
        Path db = valid();
        sql(db,
                // an overlap, a misaligned number, one past the end of its bank, an unknown type
                "UPDATE tag SET byte_offset = 0 WHERE path = 'plant1/line2/lt201'",
                "INSERT INTO tag (id, path, type, bank_id, byte_offset, bit_offset, length) VALUES (50, 'x/misaligned', 'INT32', 0, 6, 0, 4)",
                "INSERT INTO tag (id, path, type, bank_id, byte_offset, bit_offset, length) VALUES (51, 'x/past_end', 'FLOAT64', 0, 1024, 0, 8)",
                "INSERT INTO tag (id, path, type, bank_id, byte_offset, bit_offset, length) VALUES (52, 'x/odd', 'DECIMAL', 0, 900, 0, 4)",
                "INSERT INTO tag (id, path, type, bank_id, byte_offset, bit_offset, length) VALUES (53, 'x/nowhere', 'INT8', 7, 0, 0, 1)",
                // an alarm on a missing tag, and one whose flags sit on another alarm's
                "INSERT INTO alarm (id, name, tag_id, condition, limit_value, severity, flag_bank_id, flag_byte) VALUES (10, 'ghost', 999, 'HI', 1, 'LOW', 1, 9)",
                "INSERT INTO alarm (id, name, tag_id, condition, limit_value, severity, flag_bank_id, flag_byte) VALUES (11, 'twin', 1, 'HI', 1, 'LOW', 1, 0)");

        ValidationReport report = validateUntouched(db);

        assertThat(report.problems()).extracting(Problem::toString).containsExactly(
                "DANGLING_ALARM: alarm ghost watches tag 999, which does not exist [alarm ghost (alarm 10)]",
                "MISALIGNED: INT32 at byte 6 is misaligned: its offset must be a multiple of 4 [x/misaligned (tag 50, INT32 at bank 0 byte 6..+4)]",
                "OUT_OF_BOUNDS: bytes 1024..1032 run past the end of bank 'process' (1024 bytes) [x/past_end (tag 51, FLOAT64 at bank 0 byte 1024..+8)]",
                "UNKNOWN_TYPE: unknown type: use BOOL, INT8..INT64, UINT8..UINT32, FLOAT32, FLOAT64 or STRING(n) [x/odd (tag 52, DECIMAL at bank 0 byte 900..+4)]",
                "UNKNOWN_BANK: unknown bank 7 (banks: 0 'process', 1 'alarms') [x/nowhere (tag 53, INT8 at bank 7 byte 0..+1)]",
                "OVERLAP: allocations overlap in bank 'process' at bytes 0..4 [plant1/line2/lt201 (tag 6, FLOAT32 at bank 0 byte 0..+4); plant1/line1/tt101 (tag 1, FLOAT32 at bank 0 byte 0..+4)]",
                "OVERLAP: allocations overlap in bank 'alarms' at bytes 0..1 [flags of alarm twin; flags of alarm tt101_hi]");
        assertThat(report.describe()).contains("10 tags, 4 alarms, 7 problems");
    }

    @Test
    void findsDuplicatePathsInAFileWithoutTheUniqueConstraint() throws Exception {
        Path db = dir.resolve("hand.db");
        sql(db, "PRAGMA application_id = " + Schema.APPLICATION_ID, "PRAGMA user_version = 1",
                "CREATE TABLE bank (id INTEGER PRIMARY KEY, name TEXT, size INTEGER)",
                "CREATE TABLE tag (id INTEGER PRIMARY KEY, path TEXT, type TEXT, bank_id INTEGER, byte_offset INTEGER,"
                        + " bit_offset INTEGER, length INTEGER, unit TEXT, description TEXT, writable INTEGER, eng_low REAL, eng_high REAL)",
                "CREATE TABLE tag_property (tag_id INTEGER, key TEXT, value TEXT)",
                "CREATE TABLE alarm (id INTEGER PRIMARY KEY, name TEXT, tag_id INTEGER, condition TEXT, limit_value REAL,"
                        + " deadband REAL, severity TEXT, requires_ack INTEGER, latching INTEGER, on_delay_ms INTEGER,"
                        + " off_delay_ms INTEGER, max_shelve_s INTEGER, message TEXT, flag_bank_id INTEGER, flag_byte INTEGER)",
                "INSERT INTO bank VALUES (0, 'process', 64)",
                "INSERT INTO tag (id, path, type, bank_id, byte_offset, bit_offset, length) VALUES (1, 'a', 'INT8', 0, 0, 0, 1)",
                "INSERT INTO tag (id, path, type, bank_id, byte_offset, bit_offset, length) VALUES (2, 'a', 'INT8', 0, 1, 0, 1)");

        assertThat(validateUntouched(db).problems()).extracting(Problem::toString)
                .containsExactly("DUPLICATE_PATH: path 'a' is used by several tags [tags 1, 2]");
    }

    @Test
    void anAlarmWithoutANameIsAProblemNotAFailureAndLeavesNothingOpen() throws Exception {
        Path db = valid();
        // The schema's NOT NULL is only text: a hand-edited file can hold a NULL name (quick_check stays ok).
        sql(db, "PRAGMA writable_schema = ON",
                "UPDATE sqlite_master SET sql = replace(sql, 'name TEXT NOT NULL UNIQUE', 'name TEXT UNIQUE') WHERE name = 'alarm'");
        sql(db, "UPDATE alarm SET name = NULL WHERE id = (SELECT min(id) FROM alarm)");

        RegistryLoader.Result loaded = RegistryLoader.load(db, 1, 2, 1_000);

        assertThat(loaded.registry()).isNull();
        assertThat(loaded.report().problems()).extracting(Problem::kind).containsExactly(Kind.MALFORMED);
        assertThat(loaded.report().problems().get(0).message()).contains("has no name");
    }

    @Test
    void tagPathsThatDoNotExistAreNotCached() throws Exception {
        LoadedRegistry registry = RegistryLoader.load(valid(), 1, 2, 1_000).registry();
        try {
            for (int i = 0; i < 1_000; i++) {
                assertThat(registry.tag("no/such/tag/" + i + "/" + "x".repeat(1_000))).isEmpty();
            }
            assertThat(registry.tag("plant1/line1/tt101")).isPresent();

            assertThat(registry.cachedPaths()).as("a client's unknown paths must not fill the heap").isEqualTo(1);
        } finally {
            registry.retire();
        }
    }

    @Test
    void refusesInfiniteOrInvertedRangesAndOverlongNames() throws Exception {
        Path db = valid();
        sql(db,
                "UPDATE tag SET eng_high = 9e999 WHERE path = 'plant1/line1/tt101'",
                "UPDATE tag SET eng_low = 10, eng_high = 5 WHERE path = 'plant1/line2/lt201'",
                "UPDATE tag SET path = 'p/' || replace(hex(zeroblob(600)), '0', 'x') WHERE id = 3",
                "UPDATE alarm SET name = replace(hex(zeroblob(600)), '0', 'a') WHERE id = (SELECT min(id) FROM alarm)");

        ValidationReport report = validateUntouched(db);

        assertThat(report.problems()).extracting(Problem::message).contains(
                "tag plant1/line1/tt101 has the engineering range -20.0 to Inf: a range is two finite numbers, low <= high",
                "tag plant1/line2/lt201 has the engineering range 10.0 to 5.0: a range is two finite numbers, low <= high")
                .anySatisfy(m -> assertThat(m).matches("tag \\d+ has a path longer than 1024 bytes"))
                .anySatisfy(m -> assertThat(m).matches("alarm \\d+ has a name longer than 1024 bytes"));
    }

    @Test
    void refusesAMissingFile() {
        assertThat(RegistryAdmin.validate(dir.resolve("none.db")).problems().get(0).message())
                .startsWith("there is no registry file here");
    }

    @Test
    void refusesGarbage() throws IOException {
        Path db = dir.resolve("garbage.db");
        Files.writeString(db, "this is not a database at all, just some text".repeat(100));

        assertThat(validateUntouched(db).problems()).extracting(Problem::kind, p -> p.message().startsWith(
                "it is not an SQLite database, or it is truncated or damaged")).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Kind.INTEGRITY, true));
    }

    @Test
    void refusesATruncatedFile() throws IOException {
        Path db = valid();
        byte[] all = Files.readAllBytes(db);
        Files.write(db, Arrays.copyOf(all, all.length / 2));

        ValidationReport report = validateUntouched(db);

        assertThat(report.valid()).isFalse();
        assertThat(report.problems().get(0).kind()).isEqualTo(Kind.INTEGRITY);
    }

    @Test
    void refusesAForeignDatabase() throws Exception {
        Path db = dir.resolve("foreign.db");
        sql(db, "CREATE TABLE t (x)");

        assertThat(validateUntouched(db).problems().get(0).message())
                .isEqualTo("it is an SQLite database but not an RMA Nexus registry (application_id 0x00000000, expected 0x524D4E58)");
    }

    @Test
    void refusesAnotherSchemaVersion() throws Exception {
        Path db = valid();
        sql(db, "PRAGMA user_version = 7");

        assertThat(RegistryAdmin.validate(db).problems().get(0).message())
                .isEqualTo("it has schema version 7; this RMA Nexus reads versions 1 to 3");
    }
}
