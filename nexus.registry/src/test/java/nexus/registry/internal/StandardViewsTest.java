package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.registry.Problem;
import nexus.registry.ValidationReport;

/**
 * A registry file may carry any SQL under the names of the public views: the node serves the
 * standard views of the file's schema version whatever the file holds, and validate says so.
 */
class StandardViewsTest {

    @TempDir
    Path dir;

    private Path host() throws Exception {
        Path json = dir.resolve("host.json");
        Files.writeString(json, """
                {"banks": [{"name": "process", "size": 64}, {"name": "alarms", "size": 8}],
                 "tags": [{"path": "local/t1", "type": "FLOAT32", "bank": "process"},
                          {"path": "secret/t2", "type": "FLOAT32", "bank": "process"}],
                 "alarms": [{"name": "local_hi", "tag": "local/t1", "condition": "HI", "limit": 10},
                            {"name": "secret_hi", "tag": "secret/t2", "condition": "HI", "limit": 99}]}
                """);
        Path db = dir.resolve("registry.db");
        assertThat(RegistryAdmin.importList(json, db).problems()).isEmpty();
        return db;
    }

    private static void edit(Path db, String... sql) throws SQLException {
        try (Connection writer = Sqlite.create(db); Statement statement = writer.createStatement()) {
            for (String s : sql) {
                statement.execute(s);
            }
        }
    }

    private static List<String> column(Connection db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                values.add(row.getString(1));
            }
        }
        return values;
    }

    private RegistryService served(Path db) {
        RegistryService service = new RegistryService(db, false, 2, 500, 0, new RegistryCopies(dir.resolve("copies")), 0,
                version -> { });
        service.poll();
        assertThat(service.current()).as(service.status().toString()).isNotNull();
        return service;
    }

    /** The attack: a forged alarms view named the secret alarm under a tag in the caller's scope. */
    private static final String[] HOSTILE = {
        "DROP VIEW alarms",
        "CREATE VIEW alarms AS SELECT a.id, a.name, 1 AS tag_id, 'local/t1' AS tag, a.condition, a.limit_value,"
                + " a.deadband, a.severity, a.requires_ack, a.latching, a.on_delay_ms, a.off_delay_ms, a.max_shelve_s,"
                + " a.message, 'alarms' AS flag_bank, a.flag_byte, 0 AS contributed FROM alarm a" };

    @Test
    void aHostileViewInTheFileIsServedAsTheStandardView() throws Exception {
        Path db = host();
        edit(db, HOSTILE);
        RegistryService service = served(db);

        try (CopyReader copy = new CopyReader(service.current())) {
            assertThat(column(copy.db, "SELECT name || ' ' || tag_id || ' ' || tag FROM alarms ORDER BY id"))
                    .containsExactly("local_hi 1 local/t1", "secret_hi 2 secret/t2");
            // what a caller scoped to local/** sees: the scope views filter the public ones by tag id
            assertThat(column(copy.db, "SELECT name FROM alarms WHERE tag_id IN (SELECT id FROM tags WHERE path GLOB 'local/*')"))
                    .containsExactly("local_hi");
        }
        try (Connection file = Sqlite.readOnly(db)) {
            assertThat(column(file, "SELECT tag_id FROM alarms")).as("the user's file is never written")
                    .containsExactly("1", "1");
        }
        service.close();
    }

    @Test
    void aDroppedViewOrATableInItsPlaceIsServedAsTheStandardView() throws Exception {
        Path db = host();
        edit(db, "DROP VIEW alarms", "DROP VIEW tags", "CREATE TABLE tags (id INTEGER, path TEXT)",
                "INSERT INTO tags VALUES (1, 'lie')");
        RegistryService service = served(db);

        try (CopyReader copy = new CopyReader(service.current())) {
            assertThat(column(copy.db, "SELECT name FROM alarms ORDER BY id")).containsExactly("local_hi", "secret_hi");
            assertThat(column(copy.db, "SELECT path FROM tags ORDER BY id")).containsExactly("local/t1", "secret/t2");
        }
        service.close();
    }

    @Test
    void aTriggerInTheFileIsNotInTheServedCopy() throws Exception {
        Path db = host();
        edit(db, "CREATE TRIGGER hijack AFTER INSERT ON tag BEGIN UPDATE alarm SET limit_value = 0; END");
        RegistryService service = served(db);

        try (CopyReader copy = new CopyReader(service.current())) {
            assertThat(column(copy.db, "SELECT name FROM sqlite_schema WHERE type = 'trigger'")).isEmpty();
        }
        service.close();
    }

    @Test
    void validateReportsViewsThatAreNotTheStandardOnes() throws Exception {
        Path db = host();
        edit(db, HOSTILE);
        edit(db, "DROP VIEW tags", "CREATE TABLE tags (id INTEGER, path TEXT)");

        ValidationReport report = RegistryAdmin.validate(db);

        assertThat(report.valid()).isFalse();
        assertThat(report.problems()).extracting(Problem::kind).containsOnly(Problem.Kind.INTEGRITY);
        assertThat(report.problems()).extracting(Problem::message).satisfiesExactlyInAnyOrder(
                m -> assertThat(m).contains("the view alarms is not the standard view of schema version 3")
                        .contains("re-import"),
                m -> assertThat(m).contains("the view tags is a table, not a view"));
    }

    /** A file made by hand from the tables alone is served with the standard views. */
    @Test
    void validateTakesAFileWithoutViews() throws Exception {
        Path db = host();
        edit(db, "DROP VIEW banks", "DROP VIEW tags", "DROP VIEW tag_properties", "DROP VIEW alarms");

        assertThat(RegistryAdmin.validate(db).problems()).isEmpty();
    }

    @Test
    void validateTakesAStandardViewWrittenWithOtherWhitespace() throws Exception {
        Path db = host();
        String spaced = Schema.views(Schema.VERSION).get(0).replace(" ", "\n   ");
        edit(db, "DROP VIEW banks", spaced);

        assertThat(RegistryAdmin.validate(db).problems()).isEmpty();
    }

    @Test
    void aVersionTwoFileIsServedWithTheViewsOfVersionTwo() throws Exception {
        Path db = host();
        edit(db, "DROP VIEW alarms", "ALTER TABLE alarm DROP COLUMN tag_path", "PRAGMA user_version = 2",
                "CREATE VIEW alarms AS SELECT 'lie' AS name FROM alarm");
        RegistryService service = served(db);

        try (CopyReader copy = new CopyReader(service.current())) {
            assertThat(column(copy.db, "SELECT name || ' ' || tag FROM alarms ORDER BY id"))
                    .containsExactly("local_hi local/t1", "secret_hi secret/t2");
            assertThat(column(copy.db, "SELECT name FROM pragma_table_info('alarms')")).doesNotContain("contributed");
        }
        service.close();
    }
}
