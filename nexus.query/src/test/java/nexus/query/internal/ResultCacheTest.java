package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

import nexus.core.Access;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.ReadPlan;
import nexus.registry.Registry;
import nexus.registry.internal.RegistryFiles;

class ResultCacheTest {

    @TempDir
    static Path dir;

    static Fixture plant;
    static RegistryFiles.Opened renamed;
    static Registry v1;
    static Registry v2;

    static final Limits LIMITS = new Limits(500, 1_000, 2_000, 65_536, 64, 4_096, 16);
    static final String TANK = "site1/area1/line1/tank2/";

    /** Queries with and without tags, parameters, truncation, scopes and live-field columns. */
    static final List<Ask> CORPUS = List.of(
            new Ask("SELECT id, path, unit FROM tags WHERE path LIKE 'site1/area1/line1/tank2/%' ORDER BY path"),
            new Ask("SELECT  id ,\n path FROM tags   WHERE path LIKE 'site1/area1/line1/tank2/%' ORDER BY path"),
            new Ask("SELECT id, path FROM tags ORDER BY id"),
            new Ask("SELECT id, path FROM tags ORDER BY id", new QueryOptions(7, 0)),
            new Ask("SELECT unit, count(*) AS n FROM tags GROUP BY unit ORDER BY unit"),
            new Ask("SELECT id, type FROM tags WHERE path LIKE ? ORDER BY id", new QueryOptions(50, 0, List.of("site1/area2/%"))),
            new Ask("SELECT id, type FROM tags WHERE path LIKE ? ORDER BY id", new QueryOptions(50, 0, List.of("site1/area1/%"))),
            new Ask("SELECT tag_id, key, value FROM tag_properties ORDER BY tag_id, key LIMIT 40"),
            new Ask("SELECT id, path FROM tags WHERE path = 'a  b'"),
            new Ask("SELECT id, path FROM tags ORDER BY path LIMIT 30", QueryOptions.DEFAULT, ScopedQueryTest.AREA_VIEWER));

    record Ask(String sql, QueryOptions options, Access access) {
        Ask(String sql) {
            this(sql, QueryOptions.DEFAULT, Access.UNRESTRICTED);
        }

        Ask(String sql, QueryOptions options) {
            this(sql, options, Access.UNRESTRICTED);
        }

        QueryResult on(QueryEngine engine, Registry registry) {
            return engine.select(registry, plant.rma, access, sql, options);
        }
    }

    @BeforeAll
    static void plants() throws SQLException, java.io.IOException {
        plant = new Fixture(java.nio.file.Files.createDirectories(dir.resolve("a")), 2_000, LIMITS);
        Path file = dir.resolve("renamed.db");
        RegistryFiles.demo(file, 2_000);
        try (Connection db = new SQLiteConfig().createConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement sql = db.createStatement()) {
            sql.execute("UPDATE tag SET path = '" + TANK + "depth' WHERE path = '" + TANK + "level'");
            sql.execute("UPDATE alarm SET tag_path = '" + TANK + "depth' WHERE tag_path = '" + TANK + "level'");
            String gone = "SELECT id FROM tag WHERE path = '" + TANK + "high_switch'";
            sql.execute("DELETE FROM tag_property WHERE tag_id IN (" + gone + ")");
            sql.execute("DELETE FROM alarm WHERE tag_id IN (" + gone + ") OR tag_path = '" + TANK + "high_switch'");
            sql.execute("DELETE FROM tag WHERE id IN (" + gone + ")");
        }
        renamed = RegistryFiles.open(file, 2);
        v1 = new DelegatingRegistry(plant.registry, 1);
        v2 = new DelegatingRegistry(renamed, 2);
    }

    @AfterAll
    static void close() {
        plant.close();
        renamed.close();
    }

    static QueryEngine engine(long cacheBytes) {
        return new QueryEngine(LIMITS, Admission.defaults(LIMITS.timeoutMillis()), cacheBytes,
                Executors.newCachedThreadPool(QueryComponent.daemon("test-parse")),
                Executors.newSingleThreadScheduledExecutor(QueryComponent.daemon("test-timeout")));
    }

    /** Everything but live values: columns, cells, which rows carry a tag, truncated, version. */
    static List<Object> metadata(QueryResult result) {
        List<Object> rows = new ArrayList<>();
        for (QueryResult.Row row : result.rows()) {
            rows.add(List.of(row.cells(), row.tag() != null));
        }
        return List.of(result.columns(), rows, result.truncated(), result.registryVersion());
    }

    /** Live values too: nothing writes between the runs, so a cached answer equals an uncached one whole. */
    static List<Object> whole(QueryResult result) {
        List<Object> rows = new ArrayList<>();
        for (QueryResult.Row row : result.rows()) {
            rows.add(row.tag() == null ? List.of(row.cells())
                    : List.of(row.cells(), String.valueOf(row.tag().value()), row.tag().quality(), row.tag().timestamp()));
        }
        return List.of(metadata(result), rows);
    }

    @Test
    void cachedAnswersAreTheUncachedOnes() {
        try (QueryEngine cold = engine(0); QueryEngine cached = engine(ResultCache.DEFAULT_BYTES)) {
            for (Ask ask : CORPUS) {
                QueryResult expected = ask.on(cold, v1);
                QueryResult first = ask.on(cached, v1);
                long hits = cached.results().hits();
                QueryResult second = ask.on(cached, v1);

                assertThat(cached.results().hits()).as(ask.sql()).isEqualTo(hits + 1);
                assertThat(second.stats().sqlNanos()).isZero();
                assertThat(whole(first)).as(ask.sql()).isEqualTo(whole(expected));
                assertThat(whole(second)).as(ask.sql()).isEqualTo(whole(expected));
            }
            assertThat(cold.results().hits() + cold.results().misses()).isZero();
        }
    }

    @Test
    void hitsShareEachRowsCellListButNeverABlob() {
        try (QueryEngine cached = engine(ResultCache.DEFAULT_BYTES)) {
            String sql = "SELECT id, path, CASE WHEN path LIKE '%level' THEN X'0102' END AS raw FROM tags WHERE path LIKE '"
                    + TANK + "%' ORDER BY path";
            cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT);
            QueryResult second = cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT);
            QueryResult third = cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT);

            assertThat(cached.results().hits()).isEqualTo(2);
            int blobs = 0;
            for (int r = 0; r < third.rows().size(); r++) {
                List<Object> then = second.rows().get(r).cells();
                List<Object> now = third.rows().get(r).cells();
                if (now.get(2) instanceof byte[] blob) {
                    blobs++;
                    assertThat(now).isNotSameAs(then);
                    assertThat(blob).isNotSameAs(then.get(2)).containsExactly(1, 2);
                    ((byte[]) then.get(2))[0] = 9; // a client's change to its answer reaches no other answer
                    assertThat(blob).containsExactly(1, 2);
                } else {
                    assertThat(now).isSameAs(then);
                }
                assertThatThrownBy(() -> now.set(0, 0L)).isInstanceOf(UnsupportedOperationException.class);
            }
            assertThat(blobs).isPositive().isLessThan(third.rows().size());
        }
    }

    @Test
    void liveValuesAreReadAgainOnAHit() {
        try (QueryEngine cached = engine(ResultCache.DEFAULT_BYTES)) {
            String sql = "SELECT id, path FROM tags WHERE path = '" + TANK + "level'";
            plant.rma.write(plant.registry.tag(TANK + "level").orElseThrow().allocation(), 12.5);
            assertThat(cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT).rows().get(0).tag().value()).isEqualTo(12.5f);
            plant.rma.write(plant.registry.tag(TANK + "level").orElseThrow().allocation(), 77.0);

            QueryResult hit = cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT);

            assertThat(cached.results().hits()).isEqualTo(1);
            assertThat(hit.rows().get(0).tag().value()).isEqualTo(77.0f);
        }
    }

    @Test
    void aNewRegistryVersionIsNeverAnsweredWithTheOldOnesMetadata() {
        String sql = "SELECT id, path FROM tags WHERE path LIKE '" + TANK + "%' ORDER BY path";
        try (QueryEngine cold = engine(0); QueryEngine cached = engine(ResultCache.DEFAULT_BYTES)) {
            QueryResult old = cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT);
            cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT);
            assertThat(cached.results().hits()).isEqualTo(1);

            QueryResult now = cached.select(v2, plant.rma, sql, QueryOptions.DEFAULT);
            QueryResult again = cached.select(v2, plant.rma, sql, QueryOptions.DEFAULT);

            assertThat(old.rows()).extracting(r -> r.cells().get(1)).contains(TANK + "level", TANK + "high_switch");
            assertThat(now.rows()).extracting(r -> r.cells().get(1)).contains(TANK + "depth")
                    .doesNotContain(TANK + "level", TANK + "high_switch");
            assertThat(metadata(now)).isEqualTo(metadata(cold.select(v2, plant.rma, sql, QueryOptions.DEFAULT)));
            assertThat(metadata(again)).isEqualTo(metadata(now));
            assertThat(cached.results().hits()).isEqualTo(2);
            // a query still in flight on the old version after the new one was seen runs uncached
            assertThat(metadata(cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT))).isEqualTo(metadata(old));
            assertThat(metadata(cached.select(v2, plant.rma, sql, QueryOptions.DEFAULT))).isEqualTo(metadata(now));
            assertThat(cached.results().hits()).isEqualTo(3);
        }
    }

    @Test
    void aRegistryChangeDropsEveryEntry() {
        try (QueryEngine cached = engine(ResultCache.DEFAULT_BYTES)) {
            cached.select(v1, plant.rma, "SELECT id FROM tags LIMIT 5", QueryOptions.DEFAULT);
            assertThat(cached.results().size()).isEqualTo(1);

            cached.registryChanged();

            assertThat(cached.results().size()).isZero();
            assertThat(cached.results().bytes()).isZero();
        }
    }

    @Test
    void theByteBoundEvictsTheLeastRecentlyUsed() {
        String a = "SELECT id, path FROM tags ORDER BY id LIMIT 100";
        String b = "SELECT id, path FROM tags ORDER BY id LIMIT 100 OFFSET 100";
        String c = "SELECT id, path FROM tags ORDER BY id LIMIT 100 OFFSET 200";
        long one;
        try (QueryEngine probe = engine(ResultCache.DEFAULT_BYTES)) {
            probe.select(v1, plant.rma, a, QueryOptions.DEFAULT);
            one = probe.results().bytes();
        }
        try (QueryEngine cached = engine(one * 2 + one / 2)) {
            cached.select(v1, plant.rma, a, QueryOptions.DEFAULT);
            cached.select(v1, plant.rma, b, QueryOptions.DEFAULT);
            cached.select(v1, plant.rma, a, QueryOptions.DEFAULT); // a is now the most recently used
            cached.select(v1, plant.rma, c, QueryOptions.DEFAULT); // b goes

            assertThat(cached.results().evictions()).isEqualTo(1);
            assertThat(cached.results().size()).isEqualTo(2);
            assertThat(cached.results().bytes()).isLessThanOrEqualTo(one * 2 + one / 2);
            long hits = cached.results().hits();
            cached.select(v1, plant.rma, a, QueryOptions.DEFAULT);
            assertThat(cached.results().hits()).isEqualTo(hits + 1);
            cached.select(v1, plant.rma, b, QueryOptions.DEFAULT);
            assertThat(cached.results().hits()).isEqualTo(hits + 1);
        }
    }

    @Test
    void anAnswerLargerThanTheBoundIsServedUncached() {
        String sql = "SELECT id, path, unit FROM tags ORDER BY id";
        try (QueryEngine cold = engine(0); QueryEngine cached = engine(4_096)) {
            QueryResult first = cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT);
            QueryResult second = cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT);

            assertThat(cached.results().tooLarge()).isEqualTo(2);
            assertThat(cached.results().hits()).isZero();
            assertThat(cached.results().size()).isZero();
            assertThat(first.rows()).hasSize(500);
            assertThat(whole(second)).isEqualTo(whole(cold.select(v1, plant.rma, sql, QueryOptions.DEFAULT)));
        }
    }

    @Test
    void scopesAndRowCapsAreKeptApart() {
        String sql = "SELECT id, path FROM tags ORDER BY path LIMIT 30";
        try (QueryEngine cached = engine(ResultCache.DEFAULT_BYTES)) {
            QueryResult all = cached.select(v1, plant.rma, Access.UNRESTRICTED, sql, QueryOptions.DEFAULT);
            QueryResult area = cached.select(v1, plant.rma, ScopedQueryTest.AREA_VIEWER, sql, QueryOptions.DEFAULT);
            QueryResult few = cached.select(v1, plant.rma, Access.UNRESTRICTED, sql, new QueryOptions(3, 0));

            assertThat(cached.results().hits()).isZero();
            assertThat(area.rows()).allSatisfy(r -> assertThat((String) r.cells().get(1)).startsWith("site1/area2/"));
            assertThat(all.rows()).anySatisfy(r -> assertThat((String) r.cells().get(1)).doesNotStartWith("site1/area2/"));
            assertThat(few.rows()).hasSize(3);
            assertThat(few.truncated()).isTrue();
        }
    }

    @Test
    void aHitIsAdmittedLikeTheQuery() {
        String sql = "SELECT id FROM tags LIMIT 5";
        try (QueryEngine cached = new QueryEngine(LIMITS, new Admission(2, 0, 0, 500, 1, 2), ResultCache.DEFAULT_BYTES,
                Executors.newCachedThreadPool(QueryComponent.daemon("test-parse")),
                Executors.newSingleThreadScheduledExecutor(QueryComponent.daemon("test-timeout")))) {
            cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT);
            try (Admission.Ticket one = cached.admit(); Admission.Ticket two = cached.admit()) {
                assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(NexusException.class,
                        () -> cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT)).code()).isEqualTo(ErrorCode.OVERLOADED);
            }
            assertThat(cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT).rows()).hasSize(5);
            assertThat(cached.results().hits()).isEqualTo(2);
        }
    }

    @Test
    void queriesThatReadTheClockAreNeverCached() {
        try (QueryEngine cached = engine(ResultCache.DEFAULT_BYTES)) {
            cached.select(v1, plant.rma, "SELECT datetime('now') AS t", QueryOptions.DEFAULT);
            cached.select(v1, plant.rma, "SELECT datetime(?) AS t", new QueryOptions(1, 0, List.of("NOW")));
            cached.select(v1, plant.rma, "SELECT CURRENT_TIMESTAMP AS t", QueryOptions.DEFAULT);
            // no argument is 'now' too: the date and time functions read the clock unless told a time
            cached.select(v1, plant.rma, "SELECT unixepoch() AS t", QueryOptions.DEFAULT);
            cached.select(v1, plant.rma, "SELECT path, julianday () AS t FROM tags LIMIT 1", QueryOptions.DEFAULT);
            cached.select(v1, plant.rma, "SELECT STRFTIME('%s') AS t", QueryOptions.DEFAULT);

            assertThat(cached.results().size()).isZero();
            assertThat(cached.results().hits() + cached.results().misses()).isZero();
        }
    }

    @Test
    void explainSaysWhetherASelectWouldBeAnsweredFromTheCache() {
        try (QueryEngine cached = engine(ResultCache.DEFAULT_BYTES); QueryEngine off = engine(0)) {
            String sql = "SELECT id, path FROM tags WHERE path LIKE 'site1/%' LIMIT 20";
            ReadPlan.CacheUse before = cached.explain(v1, sql, QueryOptions.DEFAULT).cache();
            assertThat(before.enabled()).isTrue();
            assertThat(before.cacheable()).isTrue();
            assertThat(before.cached()).isFalse();

            cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT);
            cached.select(v1, plant.rma, sql, QueryOptions.DEFAULT);
            ReadPlan.CacheUse after = cached.explain(v1, sql, QueryOptions.DEFAULT).cache();

            assertThat(after.cached()).isTrue();
            assertThat(after.hits()).isEqualTo(1);
            assertThat(after.misses()).isEqualTo(1);
            assertThat(after.hitRate()).isEqualTo(0.5);
            assertThat(cached.results().hits()).as("an explain is no lookup").isEqualTo(1);
            assertThat(cached.explain(v1, sql, new QueryOptions(5, 0, List.of())).cache().cached())
                    .as("another row cap is another answer").isFalse();
            assertThat(cached.explain(v1, "SELECT path, unixepoch() AS t FROM tags LIMIT 1", QueryOptions.DEFAULT).cache())
                    .extracting(ReadPlan.CacheUse::cacheable, ReadPlan.CacheUse::cached).containsExactly(false, false);
            assertThat(off.explain(v1, sql, QueryOptions.DEFAULT).cache())
                    .extracting(ReadPlan.CacheUse::enabled, ReadPlan.CacheUse::cacheable, ReadPlan.CacheUse::hitRate)
                    .containsExactly(false, false, 0.0);
        }
    }

    @Test
    void cacheOffRunsEveryQuery() {
        try (QueryEngine off = engine(0)) {
            String sql = "SELECT id FROM tags LIMIT 5";
            off.select(v1, plant.rma, sql, QueryOptions.DEFAULT);
            QueryResult second = off.select(v1, plant.rma, sql, QueryOptions.DEFAULT);

            assertThat(second.rows()).hasSize(5);
            assertThat(off.results().size()).isZero();
            assertThat(off.results().metrics()).anySatisfy(f -> {
                assertThat(f.name()).isEqualTo("nexus_query_cache_max_bytes");
                assertThat(f.samples().get(0).value()).isZero();
            });
        }
    }

    @Test
    void concurrentSelectsStayCorrect() throws Exception {
        try (QueryEngine cold = engine(0); QueryEngine cached = engine(64 * 1024)) {
            List<List<Object>> expected = new ArrayList<>();
            for (Ask ask : CORPUS) {
                expected.add(metadata(ask.on(cold, v1)));
            }
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int seed = t;
                    done.add(threads.submit(() -> {
                        int checked = 0;
                        for (int i = 0; i < 60; i++) {
                            int q = (i * 7 + seed * 3) % CORPUS.size();
                            assertThat(metadata(CORPUS.get(q).on(cached, v1))).as(CORPUS.get(q).sql()).isEqualTo(expected.get(q));
                            checked++;
                        }
                        return checked;
                    }));
                }
                for (Future<Integer> f : done) {
                    assertThat(f.get()).isEqualTo(60);
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(cached.results().hits()).isPositive();
            assertThat(cached.results().bytes()).isLessThanOrEqualTo(64 * 1024);
        }
    }

    @Test
    void whiteSpaceIsFoldedOutsideLiteralsOnly() {
        assertThat(ResultCache.normalise("  SELECT  id,\n\tpath FROM tags  ")).isEqualTo("SELECT id, path FROM tags");
        assertThat(ResultCache.normalise("SELECT 'a  b', \"x  y\", [p  q], `r  s`   FROM tags"))
                .isEqualTo("SELECT 'a  b', \"x  y\", [p  q], `r  s` FROM tags");
        assertThat(ResultCache.normalise("SELECT 'it''s  here'  AS x")).isEqualTo("SELECT 'it''s  here' AS x");
        String commented = "SELECT id FROM tags -- all\n  WHERE 1";
        assertThat(ResultCache.normalise(commented)).isEqualTo(commented);
        assertThat(ResultCache.normalise("SELECT id /* x */ FROM tags")).isEqualTo("SELECT id /* x */ FROM tags");
    }

    @Test
    void theKeyTakesTheScopeCapTextAndParameters() {
        ResultCache cache = new ResultCache(1 << 20);
        ResultCache.Key key = cache.key(3, PathScope.ALL, 10, "SELECT  1", List.of("a"));
        assertThat(key).isEqualTo(cache.key(3, PathScope.ALL, 10, "SELECT 1 ", List.of("a")));
        assertThat(key).isNotEqualTo(cache.key(4, PathScope.ALL, 10, "SELECT 1", List.of("a")));
        assertThat(key).isNotEqualTo(cache.key(3, PathScope.of("site1/**"), 10, "SELECT 1", List.of("a")));
        assertThat(key).isNotEqualTo(cache.key(3, PathScope.ALL, 11, "SELECT 1", List.of("a")));
        assertThat(key).isNotEqualTo(cache.key(3, PathScope.ALL, 10, "SELECT 1", List.of("b")));
        assertThat(new ResultCache(0).key(3, PathScope.ALL, 10, "SELECT 1", List.of())).isNull();
    }
}
