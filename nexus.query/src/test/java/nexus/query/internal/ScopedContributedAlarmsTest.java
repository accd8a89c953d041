package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.Access;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.registry.Contribution;
import nexus.registry.Contribution.ContributedBank;
import nexus.registry.Tag;
import nexus.registry.internal.RegistryFiles;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;
import nexus.rma.internal.RmaBackends;

/**
 * A scoped caller's SQL over the alarms of a version with contributed tags sees an alarm exactly when
 * its tag's path is in scope — an alarm on a contributed tag by the path it names, whether the version
 * has that tag or not, as the alarm service lists it; never one outside.
 */
class ScopedContributedAlarmsTest {

    @TempDir
    Path dir;

    private RegistryFiles.Opened registry;
    private RmaBackend local;
    private QueryEngine engine;

    @BeforeEach
    void open() throws Exception {
        Path list = dir.resolve("host.json");
        Files.writeString(list, """
                {"banks": [{"name": "process", "size": 64}, {"name": "alarms", "size": 8}],
                 "tags": [{"path": "plant/level", "type": "FLOAT32", "bank": "process"}],
                 "alarms": [
                   {"name": "plant_level_hi", "tag": "plant/level", "condition": "HI", "limit": 90},
                   {"name": "node1_level_hi", "tag": "remote/node1/level", "contributed": true, "condition": "HI", "limit": 80},
                   {"name": "node9_level_hi", "tag": "remote/node9/level", "contributed": true, "condition": "HI", "limit": 80},
                   {"name": "other_level_hi", "tag": "other/node1/level", "contributed": true, "condition": "HI", "limit": 80}
                 ]}
                """);
        Path file = dir.resolve("registry.db");
        assertThat(RegistryFiles.importList(list, file).valid()).isTrue();
        RmaBackend remote = RmaBackends.heap(List.of(new Bank(0, "node1", 64)));
        Contribution contribution = new Contribution("sparkplug", List.of(new ContributedBank("mirror_node1", 64,
                "sparkplug plant/node1", remote, 0)), List.of(new Tag(0, "remote/node1/level",
                        Allocation.of(0, 0, RmaType.FLOAT32), null, "mirrored", false, null, null, Map.of())));
        registry = RegistryFiles.open(file, dir.resolve("copies"), 2, List.of(contribution));
        local = RmaBackends.heap(registry.banks().subList(0, 2));
        remote.write(Allocation.of(0, 0, RmaType.FLOAT32), 12.5f);
        engine = new QueryEngine(Limits.DEFAULT, Admission.defaults(Limits.DEFAULT.timeoutMillis()),
                Executors.newCachedThreadPool(QueryComponent.daemon("test-parse")),
                Executors.newSingleThreadScheduledExecutor(QueryComponent.daemon("test-timeout")));
    }

    @AfterEach
    void close() {
        engine.close();
        registry.close();
    }

    private List<String> alarms(PathScope scope) {
        Access access = new Access(new TreeSet<>(Set.of("remote-viewer")), EnumSet.of(Permission.READ), scope,
                PathScope.NONE, 0, 0);
        QueryResult result = engine.select(registry, local, access, "SELECT name, tag, contributed, tag_id FROM alarms ORDER BY name",
                QueryOptions.DEFAULT);
        return result.rows().stream().map(r -> r.cells().get(0) + "|" + r.cells().get(1) + "|" + r.cells().get(2)
                + "|" + (r.tag() == null ? "-" : r.tag().value())).toList();
    }

    @Test
    void aScopedCallerSeesTheAlarmsOfItsPathsResolvedOrNotAndNoOther() {
        assertThat(alarms(PathScope.of("remote/**"))).containsExactly(
                "node1_level_hi|remote/node1/level|1|12.5",
                "node9_level_hi|remote/node9/level|1|-");
        assertThat(alarms(PathScope.of("plant/**"))).containsExactly("plant_level_hi|plant/level|0|0.0");
        assertThat(alarms(PathScope.ALL)).hasSize(4);
    }

    @Test
    void aScopedCallerCountsNoAlarmOutsideItsScope() {
        Access access = new Access(new TreeSet<>(Set.of("remote-viewer")), EnumSet.of(Permission.READ),
                PathScope.of("remote/node9/**"), PathScope.NONE, 0, 0);
        QueryResult counts = engine.select(registry, local, access, "SELECT (SELECT count(*) FROM alarms),"
                + " (SELECT count(*) FROM tags), (SELECT count(*) FROM banks)", QueryOptions.DEFAULT);

        assertThat(counts.rows().get(0).cells()).as("one alarm, no tag, the bank of its flag byte")
                .containsExactly(1L, 0L, 1L);
    }
}
