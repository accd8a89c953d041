package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.query.Quality;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.registry.Contribution;
import nexus.registry.Contribution.ContributedBank;
import nexus.registry.Tag;
import nexus.registry.internal.RegistryFiles;
import nexus.rma.Allocation;
import nexus.rma.Bank;
import nexus.rma.BlockRead;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;
import nexus.rma.internal.RmaBackends;

/**
 * Users' SQL over a registry version with contributed tags (a federation host's mirror): the rows
 * carry the values the contributor keeps, and say STALE when its memory does.
 */
class ContributedTagsTest {

    @TempDir
    Path dir;

    /** The memory the contributor keeps: a remote node's one bank. */
    private final RmaBackend remote = RmaBackends.heap(List.of(new Bank(0, "node1", 64)));
    private volatile boolean offline;
    private RegistryFiles.Opened registry;
    private RmaBackend local;
    private QueryEngine engine;

    @BeforeEach
    void open() throws Exception {
        Path list = dir.resolve("registry.csv");
        Files.writeString(list, TagPlant.LIST);
        Path file = dir.resolve("registry.db");
        assertThat(RegistryFiles.importList(list, file).valid()).isTrue();
        RmaBackend mirror = new CountingBackend(remote) {
            @Override
            public void read(BlockRead block) {
                super.read(block);
                if (offline && block.ok()) {
                    block.markStale(); // the node went offline: its last values are kept, not good
                }
            }
        };
        Contribution contribution = new Contribution("sparkplug", List.of(new ContributedBank("mirror_node1", 64,
                "sparkplug plant/node1", mirror, 0)), List.of(
                        tag("remote/node1/level", Allocation.of(0, 0, RmaType.FLOAT32)),
                        tag("remote/node1/count", Allocation.of(0, 8, RmaType.INT32))));
        registry = RegistryFiles.open(file, dir.resolve("copies"), 2, List.of(contribution));
        local = RmaBackends.heap(registry.banks().subList(0, 2));
        engine = new QueryEngine(Limits.DEFAULT, Admission.defaults(Limits.DEFAULT.timeoutMillis()),
                Executors.newCachedThreadPool(QueryComponent.daemon("test-parse")),
                Executors.newSingleThreadScheduledExecutor(QueryComponent.daemon("test-timeout")));
        remote.write(Allocation.of(0, 0, RmaType.FLOAT32), 12.5f);
        remote.write(Allocation.of(0, 8, RmaType.INT32), 42);
        local.write(registry.tag("plant/tank/level").orElseThrow().allocation(), 80.0f);
    }

    @AfterEach
    void close() {
        engine.close();
        registry.close();
    }

    private static Tag tag(String path, Allocation allocation) {
        return new Tag(0, path, allocation, null, "mirrored", false, null, null, Map.of());
    }

    private QueryResult select() {
        return engine.select(registry, local, "SELECT path, bank, id FROM tags WHERE path IN ('remote/node1/level',"
                + " 'remote/node1/count', 'plant/tank/level') ORDER BY path", QueryOptions.DEFAULT);
    }

    @Test
    void contributedTagsCarryTheValuesTheirContributorKeeps() {
        QueryResult result = select();

        assertThat(result.rows()).extracting(r -> r.cells().get(0), r -> r.cells().get(1), r -> r.tag().value(),
                r -> r.tag().quality()).containsExactly(
                        tuple("plant/tank/level", "process", 80.0f, Quality.GOOD),
                        tuple("remote/node1/count", "mirror_node1", 42L, Quality.GOOD),
                        tuple("remote/node1/level", "mirror_node1", 12.5f, Quality.GOOD));
    }

    @Test
    void aMemoryThatMarksItsReadsStaleGivesStaleValues() {
        offline = true;

        QueryResult result = select();

        assertThat(result.rows()).extracting(r -> r.cells().get(0), r -> r.tag().value(), r -> r.tag().quality())
                .containsExactly(
                        tuple("plant/tank/level", 80.0f, Quality.GOOD),
                        tuple("remote/node1/count", 42L, Quality.STALE),
                        tuple("remote/node1/level", 12.5f, Quality.STALE));
    }

    @Test
    void explainNamesWhatAContributedBankMirrors() {
        nexus.query.ReadPlan plan = engine.explain(registry, "SELECT id FROM tags WHERE path IN ('remote/node1/level',"
                + " 'plant/tank/level')", QueryOptions.DEFAULT);

        assertThat(plan.banks()).extracting(nexus.query.ReadPlan.BankReads::name, nexus.query.ReadPlan.BankReads::source)
                .containsExactly(tuple("process", null), tuple("mirror_node1", "sparkplug plant/node1"));
    }
}
