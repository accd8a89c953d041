package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.registry.Problem;
import nexus.registry.Tag;
import nexus.registry.ValidationReport;

/** Per-tag write roles: the tag-list column, schema version 2, and files of version 1. */
class WriteRolesTest {

    @TempDir
    Path dir;

    private static final String CSV = """
            # bank process 64
            path,type,bank,writable,write_roles
            a/setpoint,FLOAT32,process,1,operator shift_lead
            a/command,BOOL,process,1,engineer
            a/free,INT16,process,1,
            a/reading,FLOAT32,process,0,
            """;

    private LoadedRegistry load(Path file) {
        RegistryLoader.Result result = RegistryLoader.load(file, 1, 1, 1_000);
        assertThat(result.report().problems()).isEmpty();
        return result.registry();
    }

    private Path imported(String name, String list) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, list);
        Path db = dir.resolve(name + ".db");
        assertThat(RegistryAdmin.importList(file, db).problems()).isEmpty();
        return db;
    }

    private static List<String> rows(Path db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = Sqlite.readOnly(db); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                rows.add(row.getString(1) + "=" + row.getString(2));
            }
        }
        return rows;
    }

    @Test
    void aCsvColumnBecomesTheTagsWriteRolesAndTheViewsColumn() throws Exception {
        Path db = imported("plant.csv", CSV);

        LoadedRegistry registry = load(db);
        assertThat(registry.tag("a/setpoint").orElseThrow().writeRoles()).containsExactly("operator", "shift_lead");
        assertThat(registry.tag("a/command").orElseThrow().writeRoles()).containsExactly("engineer");
        assertThat(registry.tag("a/free").orElseThrow().writeRoles()).as("none named").isEmpty();
        assertThat(registry.tags("a/", null, 10)).extracting(Tag::path, t -> t.writeRoles().size())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a/command", 1),
                        org.assertj.core.groups.Tuple.tuple("a/free", 0),
                        org.assertj.core.groups.Tuple.tuple("a/reading", 0),
                        org.assertj.core.groups.Tuple.tuple("a/setpoint", 2));
        registry.retire();
        assertThat(rows(db, "SELECT path, write_roles FROM tags ORDER BY id")).containsExactly(
                "a/setpoint=operator shift_lead", "a/command=engineer", "a/free=null", "a/reading=null");
        assertThat(rows(db, "SELECT 'version', user_version FROM pragma_user_version")).containsExactly("version=3");
    }

    @Test
    void writeRolesSurviveAnExportAndReimportInBothFormats() throws Exception {
        Path db = imported("plant.csv", CSV);

        for (String format : List.of("csv", "json")) {
            Path list = dir.resolve("export." + format);
            Path again = dir.resolve("again-" + format + ".db");
            RegistryAdmin.exportList(db, list);
            assertThat(RegistryAdmin.importList(list, again).problems()).as(format).isEmpty();

            LoadedRegistry first = load(db);
            LoadedRegistry second = load(again);
            for (String path : List.of("a/setpoint", "a/command", "a/free", "a/reading")) {
                assertThat(second.tag(path)).as(format + " " + path).isEqualTo(first.tag(path));
            }
            first.retire();
            second.retire();
        }
        assertThat(Files.readString(dir.resolve("export.csv")))
                .contains("path,type,bank,byte_offset,bit_offset,unit,description,writable,eng_low,eng_high,write_roles\n")
                .contains("a/setpoint,FLOAT32,process,0,0,,,1,,,operator shift_lead\n")
                .contains("a/free,INT16,process,6,0,,,1,,,\n");
        String json = Files.readString(dir.resolve("export.json"));
        assertThat(json.replaceAll("\\s+", "")).contains("\"writeRoles\":[\"operator\",\"shift_lead\"]")
                .contains("\"writeRoles\":[\"engineer\"]");
        assertThat(json.split("\"writeRoles\"", -1)).as("a tag without write roles has no member").hasSize(3);
    }

    @Test
    void aJsonListNamesWriteRolesAsAnArray() throws Exception {
        Path db = imported("plant.json", """
                {"banks": [{"name": "process", "size": 64}],
                 "tags": [{"path": "v/open", "type": "BOOL", "bank": "process", "writable": true,
                           "writeRoles": ["operator", "engineer", "operator"]},
                          {"path": "v/close", "type": "BOOL", "bank": "process", "writable": true}]}
                """);

        LoadedRegistry registry = load(db);
        assertThat(registry.tag("v/open").orElseThrow().writeRoles()).as("sorted, once each")
                .containsExactly("engineer", "operator");
        assertThat(registry.tag("v/close").orElseThrow().writeRoles()).isEmpty();
        registry.retire();
        assertThat(rows(db, "SELECT path, write_roles FROM tags ORDER BY id"))
                .containsExactly("v/open=engineer operator", "v/close=null");
    }

    @Test
    void badRoleNamesInACsvAreReportedWithLineAndColumn() throws IOException {
        Path list = dir.resolve("bad.csv");
        Files.writeString(list, """
                # bank process 64
                path,type,bank,writable,write_roles
                a/one,FLOAT32,process,1,Operator
                a/two,FLOAT32,process,1,operator  shift-lead 9lives
                a/three,FLOAT32,process,0,operator
                """);
        Path db = dir.resolve("bad.db");

        ValidationReport report = RegistryAdmin.importList(list, db);

        assertThat(report.problems()).extracting(Problem::toString).containsExactly(
                "MALFORMED: write_roles: 'Operator' is not a role name: " + WriteRoles.RULE + " [bad.csv:3:5]",
                "MALFORMED: write_roles: '9lives' is not a role name: " + WriteRoles.RULE + " [bad.csv:4:5]");
        assertThat(db).doesNotExist();

        Files.writeString(list, Files.readString(list).replace("Operator", "operator").replace(" 9lives", ""));
        assertThat(RegistryAdmin.importList(list, db).problems()).extracting(Problem::toString).containsExactly(
                "MALFORMED: tag a/three names write roles (operator) but is not writable: make it writable,"
                        + " or remove its write roles [bad.csv:5]");
        assertThat(db).doesNotExist();
    }

    @Test
    void badWriteRolesInAJsonListAreReportedWithLineAndColumn() throws IOException {
        Path list = dir.resolve("bad.json");
        Files.writeString(list, """
                {"banks": [{"name": "process", "size": 64}],
                 "tags": [
                   {"path": "a", "type": "BOOL", "bank": "process", "writable": true, "writeRoles": "operator"},
                   {"path": "b", "type": "BOOL", "bank": "process", "writable": true, "writeRoles": ["operator", 7, "Boss"]},
                   {"path": "c", "type": "BOOL", "bank": "process", "writable": true, "write_roles": "operator"},
                   {"path": "d", "type": "BOOL", "bank": "process", "writeRoles": ["operator"]}
                 ]}
                """);

        ValidationReport report = RegistryAdmin.importList(list, dir.resolve("bad.db"));

        assertThat(report.problems()).extracting(Problem::toString).containsExactly(
                "MALFORMED: writeRoles \"operator\" is not an array of role names, e.g. [\"operator\", \"shift_lead\"] [bad.json:3:4]",
                "MALFORMED: writeRoles holds 7, which is not a role name in quotes [bad.json:4:4]",
                "MALFORMED: writeRoles: 'Boss' is not a role name: " + WriteRoles.RULE + " [bad.json:4:4]",
                "MALFORMED: write_roles is the CSV column; in JSON the member is writeRoles, an array of role names [bad.json:5:4]");

        Files.writeString(list, Files.readString(list).replace("\"operator\", 7, \"Boss\"", "\"operator\"")
                .replace("\"writeRoles\": \"operator\"", "\"writeRoles\": [\"operator\"]")
                .replace("\"write_roles\": \"operator\"", "\"writeRoles\": []"));
        assertThat(RegistryAdmin.importList(list, dir.resolve("bad.db")).problems()).extracting(Problem::toString)
                .containsExactly("MALFORMED: tag d names write roles (operator) but is not writable: make it writable,"
                        + " or remove its write roles [bad.json:6:4]");
    }

    @Test
    void aFileOfSchemaVersion1LoadsWithoutWriteRoles() throws Exception {
        Path db = dir.resolve("old.db");
        try (Connection connection = Sqlite.create(db); Statement statement = connection.createStatement()) {
            for (String sql : VERSION_1) {
                statement.execute(sql);
            }
            statement.execute("INSERT INTO bank VALUES (0, 'process', 64)");
            statement.execute("INSERT INTO tag (id, path, type, bank_id, byte_offset, bit_offset, length, writable)"
                    + " VALUES (1, 'old/setpoint', 'FLOAT32', 0, 0, 0, 4, 1)");
            statement.execute("INSERT INTO tag_property VALUES (1, 'area', 'north')");
        }

        LoadedRegistry registry = load(db);
        Tag tag = registry.tag("old/setpoint").orElseThrow();
        assertThat(tag.writable()).isTrue();
        assertThat(tag.writeRoles()).isEmpty();
        assertThat(registry.withProperty("area")).extracting(Tag::writeRoles).containsExactly(Set.of());
        assertThat(registry.tags(new long[] { 1 })).extracting(Tag::path, Tag::writeRoles)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("old/setpoint", Set.of()));
        registry.retire();

        Path exported = dir.resolve("old.csv");
        RegistryAdmin.exportList(db, exported);
        Path upgraded = dir.resolve("new.db");
        assertThat(RegistryAdmin.importList(exported, upgraded).problems()).as("re-importing writes version 2").isEmpty();
        assertThat(rows(upgraded, "SELECT path, write_roles FROM tags")).containsExactly("old/setpoint=null");
    }

    @Test
    void aStoredValueThatIsNotRoleNamesMakesTheFileInvalid() throws Exception {
        Path db = imported("plant.csv", CSV);
        try (Connection connection = Sqlite.create(db); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE tag SET write_roles = 'operator  engineer' WHERE path = 'a/setpoint'");
            statement.execute("UPDATE tag SET write_roles = 'Root' WHERE path = 'a/command'");
            statement.execute("UPDATE tag SET write_roles = 'operator' WHERE path = 'a/reading'");
        }

        assertThat(RegistryAdmin.validate(db).problems()).extracting(Problem::toString).containsExactly(
                "MALFORMED: write_roles 'operator  engineer' is not role names separated by single spaces"
                        + " (NULL when the tag names none) [a/setpoint (tag 1)]",
                "MALFORMED: write_roles holds 'Root' is not a role name: " + WriteRoles.RULE + " [a/command (tag 2)]",
                "MALFORMED: tag a/reading names write_roles 'operator' but is not writable: make it writable,"
                        + " or set write_roles to NULL [a/reading (tag 4)]");
    }

    /** The schema as version 1 wrote it: no write_roles, in the table or the view. */
    private static final List<String> VERSION_1 = List.of(
            "PRAGMA application_id = " + Schema.APPLICATION_ID,
            "PRAGMA user_version = 1",
            "CREATE TABLE bank (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, size INTEGER NOT NULL)",
            "CREATE TABLE tag (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, type TEXT NOT NULL,"
                    + " bank_id INTEGER NOT NULL REFERENCES bank(id), byte_offset INTEGER NOT NULL,"
                    + " bit_offset INTEGER NOT NULL DEFAULT 0, length INTEGER NOT NULL, unit TEXT, description TEXT,"
                    + " writable INTEGER NOT NULL DEFAULT 0, eng_low REAL, eng_high REAL)",
            "CREATE TABLE tag_property (tag_id INTEGER NOT NULL REFERENCES tag(id), key TEXT NOT NULL, value TEXT,"
                    + " PRIMARY KEY (tag_id, key)) WITHOUT ROWID",
            "CREATE TABLE alarm (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, tag_id INTEGER NOT NULL,"
                    + " condition TEXT NOT NULL, limit_value REAL, deadband REAL NOT NULL DEFAULT 0, severity TEXT NOT NULL,"
                    + " requires_ack INTEGER NOT NULL DEFAULT 1, latching INTEGER NOT NULL DEFAULT 0,"
                    + " on_delay_ms INTEGER NOT NULL DEFAULT 0, off_delay_ms INTEGER NOT NULL DEFAULT 0,"
                    + " max_shelve_s INTEGER NOT NULL DEFAULT 0, message TEXT, flag_bank_id INTEGER NOT NULL,"
                    + " flag_byte INTEGER NOT NULL)",
            "CREATE VIEW tags AS SELECT t.id, t.path, t.type, b.name AS bank, t.bank_id, t.byte_offset, t.bit_offset,"
                    + " t.length, t.unit, t.description, t.writable, t.eng_low, t.eng_high"
                    + " FROM tag t JOIN bank b ON b.id = t.bank_id");
}
