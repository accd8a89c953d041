package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.NexusException;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;

/** The engine under heavy queries, on a real SQLite registry: short queries keep being answered. */
class QueryAdmissionTest {

    /** Allowed by the guard, and on 2,000 tags 8e9 rows: it runs until its time limit. */
    private static final String HEAVY = "SELECT count(*) FROM tags a, tags b, tags c";
    private static final String LIGHT = "SELECT id, path FROM tags WHERE path = 'site1/area1/line1/tank2/level'";

    @TempDir
    Path dir;

    private final ExecutorService clients = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        clients.shutdownNow();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    /** @return the outcome: "OK" or the error code */
    private Future<String> submit(Fixture plant, String sql) {
        return clients.submit(() -> {
            try {
                plant.engine.select(plant.registry, plant.rma, sql, QueryOptions.DEFAULT);
                return "OK";
            } catch (NexusException e) {
                return e.code().name();
            }
        });
    }

    @Test
    void heavyQueriesLeaveOneSlotForLightOnes() throws Exception {
        Limits limits = new Limits(100, 100, 3_000, 65_536, 64, 4_096, 4);
        try (Fixture plant = new Fixture(dir, 2_000, limits, 3, new Admission(3, 8, 2_000, 100, 1, 3))) {
            List<Future<String>> heavy = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                heavy.add(submit(plant, HEAVY));
            }
            await("two heavy queries run long and the third was refused", () -> plant.engine.admission().longRunning() == 2
                    && plant.engine.admission().refused(Admission.Refusal.TOO_MANY_LONG) == 1);

            QueryResult light = plant.engine.select(plant.registry, plant.rma, LIGHT, QueryOptions.DEFAULT);
            assertThat(light.rows()).hasSize(1);
            assertThat(plant.engine.explain(plant.registry, LIGHT, QueryOptions.DEFAULT).tags()).isEqualTo(1);

            List<String> outcomes = new ArrayList<>();
            for (Future<String> future : heavy) {
                outcomes.add(future.get(20, TimeUnit.SECONDS));
            }
            assertThat(outcomes).containsExactlyInAnyOrder("OVERLOADED", "QUERY_TIMEOUT", "QUERY_TIMEOUT");
            Admission.Stats after = plant.engine.admission();
            assertThat(after.running()).isZero();
            assertThat(after.longRunning()).isZero();
            assertThat(after.admitted()).isEqualTo(5);
        }
    }

    @Test
    void whenEverySlotIsTakenAndNoneMayWaitSelectAndExplainAreRefused() throws Exception {
        Limits limits = new Limits(100, 100, 2_000, 65_536, 64, 4_096, 4);
        // long.after beyond the time limit: no query is stopped for being long, both slots stay taken
        try (Fixture plant = new Fixture(dir, 2_000, limits, 2, new Admission(2, 0, 0, 60_000, 1, 2))) {
            List<Future<String>> heavy = List.of(submit(plant, HEAVY), submit(plant, HEAVY));
            await("both slots are taken", () -> plant.engine.admission().running() == 2);

            String select = submit(plant, LIGHT).get(20, TimeUnit.SECONDS);
            String explain = clients.submit(() -> {
                try {
                    plant.engine.explain(plant.registry, LIGHT, QueryOptions.DEFAULT);
                    return "OK";
                } catch (NexusException e) {
                    return e.code().name();
                }
            }).get(20, TimeUnit.SECONDS);

            assertThat(select).isEqualTo("OVERLOADED");
            assertThat(explain).isEqualTo("OVERLOADED");
            assertThat(plant.engine.admission().refused(Admission.Refusal.QUEUE_FULL)).isEqualTo(2);
            for (Future<String> future : heavy) {
                assertThat(future.get(20, TimeUnit.SECONDS)).isEqualTo("QUERY_TIMEOUT");
            }
            assertThat(plant.engine.select(plant.registry, plant.rma, LIGHT, QueryOptions.DEFAULT).rows())
                    .as("slots given back").hasSize(1);
        }
    }
}
