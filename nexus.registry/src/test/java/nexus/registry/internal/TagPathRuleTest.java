package nexus.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import nexus.registry.Contribution;
import nexus.registry.Problem;
import nexus.registry.ValidationReport;
import nexus.rma.Allocation;
import nexus.rma.RmaType;

/** One tag path rule (nexus.core.TagPath) for lists, files, contributed alarms and contributions. */
class TagPathRuleTest {

    @TempDir
    Path dir;

    // From the attacker's ContributedAlarmAttackTest (branch h-attack): the tests about path length.

    /** docs/registry.md: paths at most 1,024 UTF-8 bytes, checked when a list is imported. */
    @Test
    void anImportRefusesAPathLongerThan1024BytesInsteadOfWritingAFileValidateRefuses() throws Exception {
        Path json = dir.resolve("long.json");
        Files.writeString(json, "{\"banks\": [{\"name\": \"process\", \"size\": 64}],"
                + " \"tags\": [{\"path\": \"a/" + "x".repeat(2048) + "\", \"type\": \"FLOAT32\", \"bank\": \"process\"}]}");
        Path db = dir.resolve("long.db");

        ValidationReport imported = RegistryAdmin.importList(json, db);

        assertThat(imported.valid()).as("the import's report: %s", imported.describe()).isFalse();
        assertThat(Files.exists(db)).as("nothing written").isFalse();
        assertThat(imported.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).contains("1024");
            assertThat(p.where()).singleElement().asString().startsWith("long.json:1:");
        });
    }

    /** A contributed alarm's path is held to the path rules too (length): 3,000 bytes can never be a tag. */
    @Test
    void aContributedAlarmWhosePathIsLongerThan1024BytesIsRefused() throws Exception {
        Path json = dir.resolve("long.json");
        Files.writeString(json, "{\"banks\": [{\"name\": \"process\", \"size\": 64}, {\"name\": \"alarms\", \"size\": 8}],"
                + " \"tags\": [], \"alarms\": [{\"name\": \"x\", \"tag\": \"s/" + "a".repeat(3000)
                + "\", \"contributed\": true, \"condition\": \"HI\", \"limit\": 1}]}");

        assertThat(RegistryAdmin.importList(json, dir.resolve("long.db")).valid()).isFalse();
    }

    @Test
    void anImportRefusesEveryPathThatIsNoTagPathWithItsLineAndColumn() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "# bank process 64\npath,type,bank\nok/a,BOOL,process\na//b,BOOL,process\n/lead,BOOL,process\n"
                + "trail/,BOOL,process\nx/../y,BOOL,process\n.,BOOL,process\n\"line\nbreak\",BOOL,process\n");

        ValidationReport report = RegistryAdmin.importList(csv, dir.resolve("bad.db"));

        assertThat(report.problems()).hasSize(6).allSatisfy(p -> {
            assertThat(p.message()).contains("is no tag path");
        });
        // a CSV place is file:line (a JSON one file:line:column)
        assertThat(report.problems()).extracting(p -> p.where().get(0))
                .containsExactly("bad.csv:4", "bad.csv:5", "bad.csv:6", "bad.csv:7", "bad.csv:8", "bad.csv:9");
    }

    @Test
    void anImportRefusesAContributedAlarmWhosePathHasADotSegment() throws Exception {
        Path json = dir.resolve("dots.json");
        Files.writeString(json, "{\"banks\": [{\"name\": \"alarms\", \"size\": 8}], \"tags\": [], \"alarms\": [{\"name\":"
                + " \"x\", \"tag\": \"sites/../secret\", \"contributed\": true, \"condition\": \"HI\", \"limit\": 1}]}");

        ValidationReport report = RegistryAdmin.importList(json, dir.resolve("dots.db"));

        assertThat(report.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("'..'"));
    }

    @Test
    void aFileWhosePathsBreakTheRuleIsInvalidAndEachIsListed() throws Exception {
        Path db = dir.resolve("registry.db");
        assertThat(RegistryAdmin.importList(ImportTest.EXAMPLES.resolve("plant.json"), db).valid()).isTrue();
        List<Object> bad = List.of("a//b", "/lead", "trail/", "", "..", "x/./y", "nul\u0000here", "line\nbreak",
                "del\u007F", new byte[] { 'a', '/', 'b' });
        try (Connection writer = Sqlite.create(db);
                PreparedStatement insert = writer.prepareStatement("INSERT INTO tag (path, type, bank_id, byte_offset,"
                        + " bit_offset, length, writable) VALUES (?, 'BOOL', 0, 900, ?, 1, 0)");
                PreparedStatement alarm = writer.prepareStatement("UPDATE alarm SET tag_id = NULL, tag_path = ?"
                        + " WHERE id = (SELECT min(id) FROM alarm)")) {
            for (int i = 0; i < bad.size(); i++) {
                insert.setObject(1, bad.get(i));
                insert.setInt(2, i % 8);
                insert.executeUpdate();
            }
            alarm.setString(1, "sites//n1");
            alarm.executeUpdate();
        }

        ValidationReport report = RegistryAdmin.validate(db);

        List<Problem> paths = report.problems().stream().filter(p -> p.message().contains("no tag path")
                || p.message().contains("no tag can have")).toList();
        assertThat(report.valid()).isFalse();
        assertThat(paths).hasSize(bad.size() + 1);
        assertThat(paths).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("U+0000"))
                .anySatisfy(m -> assertThat(m).contains("blob, not text"))
                .anySatisfy(m -> assertThat(m).contains("watches a contributed tag").contains("empty segment"));
        assertThat(paths).flatExtracting(Problem::where).asString().doesNotContain("\n").doesNotContain("\u0000");
    }

    @Test
    void aContributedTagWhosePathIsNoTagPathIsLeftOutAndTheRestServed() throws Exception {
        ContributionFixture f = new ContributionFixture(dir);
        RegistryService service = f.service(false);
        service.poll();
        Contribution mirror = new Contribution("sparkplug", List.of(f.bank("mirror_n1", 64)), List.of(
                ContributionFixture.tag("sparkplug/n1/ok", Allocation.of(0, 0, RmaType.FLOAT32), Map.of()),
                ContributionFixture.tag("sparkplug/n1/../../plant1/line1/tt101", Allocation.of(0, 4, RmaType.FLOAT32), Map.of()),
                ContributionFixture.tag("sparkplug/n1/bad\nname", Allocation.of(0, 8, RmaType.FLOAT32), Map.of()),
                ContributionFixture.tag("sparkplug/n1/" + "x".repeat(1100), Allocation.of(0, 12, RmaType.FLOAT32), Map.of())));

        ValidationReport report = service.contribute(mirror);

        assertThat(service.current().version()).as(report.describe()).isEqualTo(2);
        assertThat(service.current().tag("sparkplug/n1/ok")).isPresent();
        assertThat(service.current().tag("sparkplug/n1/bad\nname")).isEmpty();
        assertThat(service.current().tag("plant1/line1/tt101").orElseThrow().allocation().bank())
                .as("the file's tag, not the mirror's").isLessThan(2);
        assertThat(report.problems()).hasSize(3).allSatisfy(p -> {
            assertThat(p.message()).contains("is left out: its path is no tag path");
            assertThat(p.message() + p.where()).doesNotContain("\n");
        });
        service.close();
    }

    /**
     * Not a test of speed (timings are never asserted): prints the load time of a large demo registry.
     * Run with {@code -Dnexus.loadTiming=true -Dtest=TagPathRuleTest}.
     */
    @Test
    @EnabledIfSystemProperty(named = "nexus.loadTiming", matches = "true")
    void aMillionTagDemoRegistryLoads() {
        Path db = dir.resolve("demo.db");
        assertThat(RegistryFiles.demo(db, 1_000_000).valid()).isTrue();
        for (int run = 0; run < 2; run++) {
            long started = System.nanoTime();
            RegistryLoader.Result result = RegistryLoader.load(db, 1, 1, 1_000);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(result.registry()).as(result.report().describe()).isNotNull();
            System.out.println("load of a 1,000,000-tag demo registry: " + millis + " ms");
            result.registry().close();
        }
    }
}
