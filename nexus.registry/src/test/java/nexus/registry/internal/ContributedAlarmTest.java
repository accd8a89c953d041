package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.registry.AlarmDefinition;
import nexus.registry.Problem;
import nexus.registry.Problem.Kind;
import nexus.registry.Registry;
import nexus.registry.ValidationReport;

/**
 * Alarms on contributed tags (a federation mirror's): named by path, resolved in each version, and
 * never the reason a version is refused.
 */
class ContributedAlarmTest {

    @TempDir
    Path dir;

    private ContributionFixture plant;

    @BeforeEach
    void plant() throws IOException {
        plant = new ContributionFixture(dir);
        Path list = dir.resolve("host.json");
        Files.writeString(list, """
                {"banks": [{"name": "process", "size": 64}, {"name": "alarms", "size": 8}],
                 "tags": [{"path": "local/level", "type": "FLOAT32", "bank": "process"}],
                 "alarms": [
                   {"name": "level_hi", "tag": "local/level", "condition": "HI", "limit": 90},
                   {"name": "temp_hi", "tag": "sparkplug/n1/temp", "contributed": true, "condition": "HI", "limit": 80,
                    "deadband": 2, "severity": "HIGH"},
                   {"name": "running_hi", "tag": "sparkplug/n1/running", "contributed": true, "condition": "HI", "limit": 1},
                   {"name": "elsewhere", "tag": "sparkplug/n9/door", "contributed": true, "condition": "TRUE"}
                 ]}
                """);
        ValidationReport imported = RegistryAdmin.importList(list, plant.db);
        assertThat(imported.problems()).isEmpty();
    }

    @Test
    void withoutAContributionTheVersionIsServedAndEachContributedAlarmSaysItsTagIsMissing() throws Exception {
        RegistryService service = plant.service(false);
        service.poll();

        Registry version = service.current();
        assertThat(version.version()).isEqualTo(1);
        assertThat(version.alarms()).extracting(AlarmDefinition::name, AlarmDefinition::tagPath,
                AlarmDefinition::contributed, AlarmDefinition::resolved).containsExactly(
                        tuple("level_hi", "local/level", false, true),
                        tuple("temp_hi", "sparkplug/n1/temp", true, false),
                        tuple("running_hi", "sparkplug/n1/running", true, false),
                        tuple("elsewhere", "sparkplug/n9/door", true, false));
        AlarmDefinition temp = version.alarms().get(1);
        assertThat(temp.tagId()).isEqualTo(AlarmDefinition.NO_TAG);
        assertThat(temp.tagProblem()).isEqualTo("tag sparkplug/n1/temp is not in registry version 1: no contribution has"
                + " it now (a federation host mirrors it while its edge node's last birth has it); the alarm keeps its"
                + " state and is evaluated again once a version has the tag");
        assertThat(alarmsView(version)).containsExactly("level_hi|1|local/level|0", "temp_hi|null|sparkplug/n1/temp|1",
                "running_hi|null|sparkplug/n1/running|1", "elsewhere|null|sparkplug/n9/door|1");
        service.close();
    }

    @Test
    void aContributionResolvesTheAlarmsOnItsTagsAndATypeTheAlarmCannotWatchIsTheAlarmsProblemNotTheVersions()
            throws Exception {
        RegistryService service = plant.service(false);
        service.poll();

        ValidationReport report = service.contribute(plant.mirror("sparkplug", "mirror_n1"));

        assertThat(report.valid()).as(report.describe()).isTrue();
        Registry version = service.current();
        assertThat(version.version()).isEqualTo(2);
        long tempId = version.tag("sparkplug/n1/temp").orElseThrow().id();
        long runningId = version.tag("sparkplug/n1/running").orElseThrow().id();
        AlarmDefinition temp = version.alarms().get(1);
        assertThat(temp.tagId()).isEqualTo(tempId);
        assertThat(temp.tagProblem()).isNull();
        assertThat(temp.resolved()).isTrue();
        AlarmDefinition running = version.alarms().get(2);
        assertThat(running.tagId()).isEqualTo(runningId);
        assertThat(running.resolved()).isFalse();
        assertThat(running.tagProblem()).isEqualTo("alarm running_hi watches a BOOL tag with HI: use TRUE or FALSE (the"
                + " contributed tag is a BOOL in registry version 2); the alarm keeps its state and is evaluated again once"
                + " a version gives the tag a type it can watch");
        assertThat(version.alarms().get(3).tagProblem()).startsWith("tag sparkplug/n9/door is not in registry version 2");
        assertThat(alarmsView(version)).contains("temp_hi|" + tempId + "|sparkplug/n1/temp|1");

        service.withdraw("sparkplug");
        Registry after = service.current();
        assertThat(after.version()).isEqualTo(3);
        assertThat(after.alarms().get(1).tagId()).as("the tag went with its contribution").isEqualTo(AlarmDefinition.NO_TAG);
        assertThat(after.alarms().get(1).tagProblem()).startsWith("tag sparkplug/n1/temp is not in registry version 3");
        service.close();
    }

    @Test
    void aJsonExportKeepsTheContributedAlarmsAndReimportsThemAsTheyWere() throws Exception {
        Path list = dir.resolve("export.json");
        RegistryAdmin.exportList(plant.db, list);

        assertThat(Files.readString(list)).contains("\"tag\" : \"sparkplug/n1/temp\",\n    \"contributed\" : true");
        Path again = dir.resolve("again.db");
        assertThat(RegistryAdmin.importList(list, again).problems()).isEmpty();
        LoadedRegistry first = RegistryLoader.load(plant.db, 1, 1, 1_000).registry();
        LoadedRegistry second = RegistryLoader.load(again, 1, 1, 1_000).registry();
        assertThat(second.alarms()).isEqualTo(first.alarms());
        first.retire();
        second.retire();
    }

    @Test
    void aListThatDefinesAContributedTagOrLeavesItsPathOutOrGetsItsLimitWrongIsRefused() throws IOException {
        Path list = dir.resolve("bad.json");
        Files.writeString(list, """
                {"banks": [{"name": "process", "size": 64}, {"name": "alarms", "size": 8}],
                 "tags": [{"path": "local/level", "type": "FLOAT32", "bank": "process"}],
                 "alarms": [
                   {"name": "defined_here", "tag": "local/level", "contributed": true, "condition": "HI", "limit": 90},
                   {"name": "no_path", "contributed": true, "condition": "TRUE"},
                   {"name": "no_limit", "tag": "sparkplug/n1/temp", "contributed": true, "condition": "HI"},
                   {"name": "too_long", "tag": "%s", "contributed": true, "condition": "TRUE"}
                 ]}
                """.formatted("x/".repeat(600)));

        List<Problem> problems = RegistryAdmin.importList(list, dir.resolve("bad.db")).problems();

        assertThat(problems).extracting(Problem::kind, Problem::message).containsExactly(
                tuple(Kind.INCONSISTENT_ALARM, "alarm defined_here says its tag 'local/level' is contributed, but this"
                        + " list defines it: remove \"contributed\""),
                tuple(Kind.DANGLING_ALARM, "alarm no_path watches a contributed tag but names none: give its path in \"tag\""),
                tuple(Kind.INCONSISTENT_ALARM, "alarm no_limit has condition HI but no numeric limit"),
                tuple(Kind.MALFORMED, "alarm too_long watches a contributed tag whose path no tag can have:"
                        + " the path is longer than 1024 UTF-8 bytes"));
        assertThat(dir.resolve("bad.db")).doesNotExist();
    }

    @Test
    void aFileWhoseContributedAlarmPointsAtAnotherTagIsInvalid() throws Exception {
        try (Connection db = Sqlite.create(plant.db); Statement statement = db.createStatement()) {
            statement.execute("UPDATE alarm SET tag_id = 1 WHERE name = 'temp_hi'");
        }

        assertThat(RegistryAdmin.validate(plant.db).problems()).extracting(Problem::kind, Problem::message)
                .containsExactly(tuple(Kind.MALFORMED, "alarm temp_hi watches contributed tag sparkplug/n1/temp but its"
                        + " tag_id 1 is not that tag's id: an alarm on a contributed tag has tag_id NULL in the registry file"));
    }

    /** @return the view {@code alarms} as name|tag_id|tag|contributed rows */
    private static List<String> alarmsView(Registry version) throws Exception {
        List<String> rows = new ArrayList<>();
        try (CopyReader sql = new CopyReader(version); Statement statement = sql.db.createStatement();
                ResultSet row = statement.executeQuery("SELECT name, tag_id, tag, contributed FROM alarms ORDER BY id")) {
            while (row.next()) {
                rows.add(row.getString(1) + "|" + row.getString(2) + "|" + row.getString(3) + "|" + row.getInt(4));
            }
        }
        return rows;
    }
}
