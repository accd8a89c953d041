package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.registry.AlarmDefinition;
import nexus.registry.Contribution;
import nexus.registry.Contribution.ContributedBank;
import nexus.registry.Problem;
import nexus.registry.Tag;
import nexus.registry.ValidationReport;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;
import nexus.rma.internal.RmaBackends;

/**
 * Defects found by attacking alarms on contributed tags: each test failed while its defect was there.
 */
class ContributedAlarmLoadTest {

    @TempDir
    Path dir;

    /**
     * A host file with one tag (imported, so ANALYZE statistics say "1 tag") and N contributed alarms; a
     * mirror of N tags. Each contributed version is built from the file's copy, statistics included, so
     * SQLite planned the alarms' resolution by path as a scan of tag per alarm: N x N row visits (with
     * N = 50,000 a host took minutes to serve an edge's birth). Each version's copy is analysed again.
     */
    @Test
    void aMirrorOfTwentyThousandTagsWithAnAlarmEachIsServedWithStatisticsOfTheVersionNotOfTheFile() throws Exception {
        int n = 20_000;
        StringBuilder list = new StringBuilder("""
                {"banks": [{"name": "process", "size": 64}, {"name": "alarms", "size": 32768}],
                 "tags": [{"path": "local/level", "type": "FLOAT32", "bank": "process"}],
                 "alarms": [""");
        for (int i = 0; i < n; i++) {
            list.append(i == 0 ? "" : ",").append("{\"name\": \"a").append(i).append("\", \"tag\": \"sparkplug/n1/t")
                    .append(i).append("\", \"contributed\": true, \"condition\": \"HI\", \"limit\": 1}");
        }
        list.append("]}");
        Path json = dir.resolve("host.json");
        Files.writeString(json, list);
        Path db = dir.resolve("registry.db");
        assertThat(RegistryAdmin.importList(json, db).problems()).isEmpty();
        RegistryService service = new RegistryService(db, false, 2, 500, 0, new RegistryCopies(dir.resolve("copies")),
                0, version -> { });
        service.poll();
        RmaBackend memory = RmaBackends.heap(List.of(new Bank(0, "remote", n * 4)));
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tags.add(new Tag(0, "sparkplug/n1/t" + i, Allocation.of(0, i * 4, RmaType.FLOAT32), null, null, false,
                    null, null, Map.of()));
        }

        ValidationReport report = service.contribute(new Contribution("sparkplug",
                List.of(new ContributedBank("mirror_n1", n * 4, "sparkplug plant/n1", memory, 0)), tags));

        assertThat(report.valid()).as(report.describe()).isTrue();
        assertThat(service.current().alarms()).allMatch(AlarmDefinition::resolved);
        try (CopyReader sql = new CopyReader(service.current()); Statement statement = sql.db.createStatement();
                ResultSet row = statement.executeQuery("SELECT stat FROM sqlite_stat1 WHERE tbl = 'tag' LIMIT 1")) {
            assertThat(row.next()).isTrue();
            assertThat(Long.parseLong(row.getString(1).split(" ")[0])).as("the tags the planner counts on")
                    .isEqualTo(n + 1L);
        }
        service.close();
    }

    /**
     * A tag added to the host's file at a path a contributed alarm names takes the alarm over without a
     * word: the mirror's tag is left out (DUPLICATE_PATH), the alarm silently watches the local value, and
     * the file validates although an import of the same content is refused ("says its tag is contributed,
     * but this list defines it").
     */
    @Test
    void aFileTagAtAContributedAlarmsPathMakesTheFileInvalidAsTheImportDoes() throws Exception {
        Path json = dir.resolve("host.json");
        Files.writeString(json, """
                {"banks": [{"name": "process", "size": 64}, {"name": "alarms", "size": 8}],
                 "tags": [{"path": "local/level", "type": "FLOAT32", "bank": "process"}],
                 "alarms": [{"name": "temp_hi", "tag": "sparkplug/n1/temp", "contributed": true, "condition": "HI", "limit": 80}]}
                """);
        Path db = dir.resolve("registry.db");
        assertThat(RegistryAdmin.importList(json, db).problems()).isEmpty();
        try (Connection connection = Sqlite.create(db); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO tag (path, type, bank_id, byte_offset, bit_offset, length, writable)"
                    + " VALUES ('sparkplug/n1/temp', 'FLOAT32', 0, 8, 0, 4, 0)");
        }

        assertThat(RegistryAdmin.validate(db).problems()).extracting(Problem::message).containsExactly("alarm temp_hi"
                + " watches contributed tag sparkplug/n1/temp, but the registry file defines that path (tag 2): a"
                + " contributed tag comes from a contribution; watch the file's tag by its id (not contributed), or give"
                + " the file's tag another path");
    }
}
