package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.registry.AlarmDefinition;
import nexus.registry.Registry;
import nexus.registry.ValidationReport;

/**
 * Review: a registry file of schema version 2 (every file written before this change) with an alarm
 * still loads, and still takes contributions (a federation host upgraded in place), its alarm view
 * as version 2 had it.
 */
class SchemaTwoContributionTest {

    @TempDir
    Path dir;

    @Test
    void aVersionTwoFileWithAnAlarmIsServedAloneAndWithAContribution() throws Exception {
        ContributionFixture plant = new ContributionFixture(dir);
        Path list = dir.resolve("host.json");
        Files.writeString(list, """
                {"banks": [{"name": "process", "size": 64}, {"name": "alarms", "size": 8}],
                 "tags": [{"path": "local/level", "type": "FLOAT32", "bank": "process"}],
                 "alarms": [{"name": "level_hi", "tag": "local/level", "condition": "HI", "limit": 90}]}
                """);
        assertThat(RegistryAdmin.importList(list, plant.db).problems()).isEmpty();
        try (Connection db = Sqlite.create(plant.db); Statement s = db.createStatement()) {
            s.execute("DROP VIEW alarms");
            s.execute("ALTER TABLE alarm DROP COLUMN tag_path");
            s.execute("CREATE VIEW alarms AS SELECT a.id, a.name, a.tag_id, t.path AS tag, a.condition, a.limit_value,"
                    + " a.deadband, a.severity, a.requires_ack, a.latching, a.on_delay_ms, a.off_delay_ms,"
                    + " a.max_shelve_s, a.message, fb.name AS flag_bank, a.flag_byte"
                    + " FROM alarm a LEFT JOIN tag t ON t.id = a.tag_id LEFT JOIN bank fb ON fb.id = a.flag_bank_id");
            s.execute("PRAGMA user_version = 2");
        }

        RegistryService service = plant.service(false);
        service.poll();
        Registry alone = service.current();
        assertThat(alone).as("a version 2 file is served").isNotNull();
        assertThat(alone.alarms()).extracting(AlarmDefinition::name, AlarmDefinition::tagPath, AlarmDefinition::resolved)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("level_hi", "local/level", true));

        ValidationReport report = service.contribute(plant.mirror("sparkplug", "mirror_n1"));

        assertThat(report.valid()).as(report.describe()).isTrue();
        Registry with = service.current();
        assertThat(with.version()).isEqualTo(2);
        assertThat(with.alarms()).extracting(AlarmDefinition::name).containsExactly("level_hi");
        try (CopyReader sql = new CopyReader(with); Statement statement = sql.db.createStatement();
                ResultSet row = statement.executeQuery("SELECT name, tag FROM alarms")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(2)).isEqualTo("local/level");
        }
        service.close();
    }
}
