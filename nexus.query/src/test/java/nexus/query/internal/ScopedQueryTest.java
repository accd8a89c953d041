package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sqlite.SQLiteConfig;

import nexus.core.Access;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.ReadPlan;
import nexus.registry.Tag;
import nexus.registry.internal.RegistryFiles;
import nexus.rma.RmaBackend;
import nexus.rma.internal.RmaBackends;

/**
 * A role limited to {@code site1/area2/**} queries the demo plant with SQL that tries to see
 * outside. Each answer is compared with what the same SQL answers for an admin over a registry that
 * holds only the visible part (the plant's file with every other tag, property, alarm and unused
 * bank deleted, ids and offsets unchanged): equal answers are the proof that nothing outside shows
 * up in a row, a count, a plan or a message.
 */
class ScopedQueryTest {

    /** The area the role sees; the plant has tags in site1/area1 and site1/area2 (2,000 tags). */
    static final String AREA = "site1/area2/";

    static final PathScope SCOPE = PathScope.of("site1/area2/**");

    /** A tag inside the role's area, and one outside. */
    static final String INSIDE = "site1/area2/line11/pump1/running";
    static final String OUTSIDE = "site1/area1/line1/pump1/running";

    @TempDir
    static Path dir;

    /** The whole plant, as the role queries it. */
    static RegistryFiles.Opened whole;
    static RmaBackend wholeRma;
    static QueryEngine engine;

    /** Only the role's part, as the admin queries it (its own engine: both registries are version 1). */
    static RegistryFiles.Opened part;
    static RmaBackend partRma;
    static QueryEngine reference;

    @BeforeAll
    static void plants() throws Exception {
        Path wholeFile = dir.resolve("whole.db");
        if (!RegistryFiles.demo(wholeFile, 2_000).valid()) {
            throw new IllegalStateException("demo plant invalid");
        }
        Path partFile = dir.resolve("part.db");
        Files.copy(wholeFile, partFile);
        keepOnly(partFile, AREA);
        whole = RegistryFiles.open(wholeFile, 2);
        part = RegistryFiles.open(partFile, 2);
        wholeRma = RmaBackends.heap(whole.banks());
        partRma = RmaBackends.heap(part.banks());
        engine = engine(Limits.DEFAULT);
        reference = engine(Limits.DEFAULT);
        // The same values inside in both; outside only in the whole plant, where nothing may show them.
        for (String path : List.of(INSIDE, "site1/area2/line11/tank2/level")) {
            Tag tag = whole.tag(path).orElseThrow();
            Object value = path.endsWith("running") ? (Object) true : (Object) 12.5;
            wholeRma.write(tag.allocation(), value);
            partRma.write(part.tag(path).orElseThrow().allocation(), value);
        }
        wholeRma.write(whole.tag(OUTSIDE).orElseThrow().allocation(), true);
    }

    @AfterAll
    static void close() {
        engine.close();
        reference.close();
        whole.close();
        part.close();
    }

    static QueryEngine engine(Limits limits) {
        return new QueryEngine(limits, Admission.defaults(limits.timeoutMillis()),
                Executors.newCachedThreadPool(QueryComponent.daemon("test-parse")),
                Executors.newSingleThreadScheduledExecutor(QueryComponent.daemon("test-timeout")));
    }

    /** Deletes everything outside the prefix, with SQL of its own (not the code under test's globs). */
    static void keepOnly(Path file, String prefix) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        try (Connection db = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement sql = db.createStatement()) {
            String outside = "SELECT id FROM tag WHERE substr(path, 1, " + prefix.length() + ") <> '" + prefix + "'";
            sql.execute("DELETE FROM tag_property WHERE tag_id IN (" + outside + ")");
            sql.execute("DELETE FROM alarm WHERE tag_id IN (" + outside + ")");
            sql.execute("DELETE FROM tag WHERE id IN (" + outside + ")");
            sql.execute("DELETE FROM bank WHERE id NOT IN (SELECT bank_id FROM tag) AND id NOT IN (SELECT flag_bank_id FROM alarm)");
        }
    }

    /** A role that reads only its area and may not write. */
    static Access area(int maxRows, long timeoutMillis) {
        return new Access(new TreeSet<>(Set.of("area2-viewer")), EnumSet.of(Permission.READ), SCOPE, PathScope.NONE, maxRows,
                timeoutMillis);
    }

    static final Access AREA_VIEWER = area(0, 0);

    /** The corpus: SQL that tries to count, join, union, probe or guess its way outside. */
    static List<String> corpus() {
        return List.of(
                "SELECT count(*) FROM tags",
                "SELECT count(*), sum(length), min(byte_offset), max(byte_offset), avg(length), total(id), min(id), max(id) FROM tags",
                "SELECT group_concat(path, ';') FROM tags",
                "SELECT string_agg(unit, ',') FROM tags",
                "SELECT min(path), max(path), count(DISTINCT bank_id) FROM tags",
                "SELECT id, path, unit FROM tags ORDER BY id",
                "SELECT * FROM tags ORDER BY path",
                "SELECT count(*) FROM tag_properties",
                "SELECT key, value, count(*) FROM tag_properties GROUP BY key, value ORDER BY key, value",
                "SELECT count(*), group_concat(name) FROM alarms",
                "SELECT * FROM alarms ORDER BY id",
                "SELECT * FROM banks ORDER BY id",
                "SELECT t.path, p.key, p.value FROM tags t JOIN tag_properties p ON p.tag_id = t.id ORDER BY t.path, p.key",
                "SELECT a.name, t.path, b.name AS bank, b.size FROM alarms a JOIN tags t ON t.id = a.tag_id JOIN banks b ON b.name = t.bank ORDER BY a.name",
                "SELECT count(*) FROM tags t, alarms a, banks b",
                "SELECT count(*) FROM tag_properties p, banks b",
                "SELECT count(*) FROM tag_properties p LEFT JOIN tags t ON t.id = p.tag_id WHERE t.id IS NULL",
                "SELECT count(*) FROM alarms a LEFT JOIN tags t ON t.id = a.tag_id WHERE t.id IS NULL",
                "SELECT b.name, count(t.id) FROM banks b LEFT JOIN tags t ON t.bank_id = b.id GROUP BY b.name ORDER BY b.name",
                "SELECT (SELECT count(*) FROM tags) + (SELECT count(*) FROM alarms) + (SELECT count(*) FROM tag_properties) AS n",
                "SELECT path FROM tags WHERE id = (SELECT max(id) FROM tags)",
                "SELECT path FROM tags WHERE id = (SELECT min(tag_id) FROM tag_properties)",
                "SELECT path FROM tags UNION SELECT tag FROM alarms UNION SELECT path FROM tag_properties ORDER BY 1",
                "SELECT count(*) FROM (SELECT path FROM tags UNION ALL SELECT tag FROM alarms UNION ALL SELECT path FROM tag_properties)",
                "SELECT EXISTS (SELECT 1 FROM tags WHERE path LIKE 'site1/area1/%')",
                "SELECT EXISTS (SELECT 1 FROM tag_properties WHERE value = 'area1')",
                "SELECT EXISTS (SELECT 1 FROM alarms WHERE tag NOT LIKE 'site1/area2/%')",
                "SELECT count(*) FROM tags WHERE id IN (SELECT tag_id FROM alarms)",
                "SELECT count(*) FROM tags WHERE id NOT IN (SELECT tag_id FROM tag_properties)",
                "SELECT count(*) FROM tags WHERE path LIKE 'site1/area1%'",
                "SELECT count(*) FROM tags WHERE path LIKE '%area1%' OR path LIKE '%area3%'",
                "SELECT count(*) FROM tags WHERE glob('site1/area[!2]*', path)",
                "SELECT count(*) FROM tags WHERE glob('*', path)",
                "SELECT count(*) FROM tags WHERE path < 'site1/area2/'",
                "SELECT count(*) FROM tags WHERE path IN ('" + OUTSIDE + "', '" + INSIDE + "')",
                "SELECT count(*) FROM tags WHERE id BETWEEN 1 AND 100",
                "WITH x AS (SELECT id FROM tags) SELECT count(*) FROM x",
                "WITH a AS (SELECT tag_id FROM alarms), p AS (SELECT tag_id FROM tag_properties) SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM p)",
                "SELECT flag_bank, count(*), max(flag_byte) FROM alarms GROUP BY flag_bank",
                "SELECT name, size FROM banks WHERE id NOT IN (SELECT bank_id FROM tags)",
                "VALUES ((SELECT count(*) FROM alarms))",
                "SELECT typeof(id), count(*) FROM tags GROUP BY 1",
                "SELECT path FROM tags ORDER BY byte_offset DESC, bit_offset DESC LIMIT 3",
                "SELECT tag_id FROM tag_properties WHERE key = 'kind' AND value = 'pump' ORDER BY tag_id",
                "SELECT value, count(*) FROM tag_properties WHERE key = 'area' GROUP BY value",
                "SELECT sum(t.length) FROM tags t JOIN banks b ON b.id = t.bank_id",
                "SELECT t.path FROM tags t WHERE EXISTS (SELECT 1 FROM alarms a WHERE a.tag_id = t.id) ORDER BY 1",
                "SELECT id FROM tags INTERSECT SELECT tag_id FROM alarms",
                "SELECT id FROM tags EXCEPT SELECT tag_id FROM tag_properties");
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void theRoleSeesExactlyWhatARegistryOfItsPartHolds(String sql) {
        QueryResult scoped = engine.select(whole, wholeRma, AREA_VIEWER, sql, QueryOptions.DEFAULT);
        QueryResult expected = reference.select(part, partRma, Access.UNRESTRICTED, sql, QueryOptions.DEFAULT);

        assertThat(scoped.columns()).isEqualTo(expected.columns());
        assertThat(rows(scoped)).isEqualTo(rows(expected));
        assertThat(scoped.truncated()).isEqualTo(expected.truncated());
        assertThat(scoped.stats().tags()).isEqualTo(expected.stats().tags());
        assertThat(scoped.stats().blocks()).isEqualTo(expected.stats().blocks());
        assertThat(scoped.stats().bytesRead()).isEqualTo(expected.stats().bytesRead());
        assertThat(scoped.stats().tagBytes()).isEqualTo(expected.stats().tagBytes());
        assertThat(String.valueOf(rows(scoped))).doesNotContain("area1", OUTSIDE);
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void explainPlansOnlyTheRolesOwnAllocations(String sql) {
        ReadPlan scoped = engine.explain(whole, AREA_VIEWER, sql, QueryOptions.DEFAULT);
        ReadPlan expected = reference.explain(part, Access.UNRESTRICTED, sql, QueryOptions.DEFAULT);

        // the plans alike; the two engines' result caches have seen different queries
        assertThat(scoped).usingRecursiveComparison().ignoringFields("cache").isEqualTo(expected);
    }

    @Test
    void theCorpusIsNotEmptyForTheRole() {
        // The comparison proves nothing if the part were empty: the role sees tags, properties, alarms and banks.
        QueryResult counts = engine.select(whole, wholeRma, AREA_VIEWER, "SELECT (SELECT count(*) FROM tags),"
                + " (SELECT count(*) FROM tag_properties), (SELECT count(*) FROM alarms), (SELECT count(*) FROM banks)",
                QueryOptions.DEFAULT);
        QueryResult all = engine.select(whole, wholeRma, Access.UNRESTRICTED, "SELECT count(*) FROM tags", QueryOptions.DEFAULT);

        assertThat(counts.rows().get(0).cells()).allSatisfy(n -> assertThat((Long) n).isPositive());
        assertThat((Long) counts.rows().get(0).cells().get(0)).isLessThan((Long) all.rows().get(0).cells().get(0));
    }

    @Test
    void theTagsOfAnAnswerAreThoseTheRoleSeesInRowOrderEachOnce() {
        String sql = "SELECT t.id FROM tags t JOIN tag_properties p ON p.tag_id = t.id WHERE t.path IN ('" + INSIDE
                + "', '" + OUTSIDE + "', 'site1/area2/line11/tank2/level') ORDER BY t.path DESC";
        double before = queries();

        nexus.query.TagSelection scoped = engine.selectTags(whole, AREA_VIEWER, sql, QueryOptions.DEFAULT);
        nexus.query.TagSelection all = engine.selectTags(whole, Access.UNRESTRICTED, sql, QueryOptions.DEFAULT);

        assertThat(scoped.paths()).containsExactly("site1/area2/line11/tank2/level", INSIDE);
        assertThat(all.paths()).containsExactly("site1/area2/line11/tank2/level", INSIDE, OUTSIDE);
        assertThat(scoped.registryVersion()).isEqualTo(whole.version());
        assertThat(queries()).as("counted as queries").isEqualTo(before + 2);
    }

    private static double queries() {
        return engine.counts().metrics().get(0).samples().get(0).value();
    }

    @Test
    void anAnswerWithoutATagIdNamesNoTag() {
        assertThatThrownBy(() -> engine.selectTags(whole, AREA_VIEWER, "SELECT path FROM tags", QueryOptions.DEFAULT))
                .isInstanceOfSatisfying(NexusException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("carries no tag").contains("SELECT id FROM tags");
                });
    }

    @Test
    void rowsOfTheRolesTagsCarryTheirLiveValues() {
        QueryResult result = engine.select(whole, wholeRma, AREA_VIEWER,
                "SELECT id, path FROM tags WHERE path IN ('" + INSIDE + "', '" + OUTSIDE + "')", QueryOptions.DEFAULT);

        assertThat(result.rows()).singleElement().satisfies(row -> {
            assertThat(row.cells().get(1)).isEqualTo(INSIDE);
            assertThat(row.tag().value()).isEqualTo(true);
        });
    }

    static List<String> outsideNames() {
        return List.of(
                "SELECT path FROM main.tags",
                "SELECT count(*) FROM main.tag_properties",
                "SELECT count(*) FROM \"main\".\"alarms\"",
                "SELECT count(*) FROM [main].banks",
                "SELECT count(*) FROM tags WHERE id IN (SELECT id FROM main.tags)",
                "SELECT count(*) FROM temp.scope",
                "SELECT count(*) FROM temp.tags",
                "SELECT count(*) FROM scope",
                "SELECT count(*) FROM scope_bank",
                "SELECT count(*) FROM tag",
                "SELECT count(*) FROM tag_property",
                "SELECT count(*) FROM alarm",
                "SELECT count(*) FROM bank",
                "SELECT sql FROM sqlite_master",
                "SELECT sql FROM sqlite_schema",
                "SELECT sql FROM sqlite_temp_master",
                "SELECT sql FROM sqlite_temp_schema",
                "SELECT sql FROM temp.sqlite_master",
                "SELECT * FROM pragma_table_info('tag')",
                "SELECT * FROM pragma_table_list",
                "SELECT * FROM pragma_database_list",
                "SELECT count(*) FROM tags t WHERE EXISTS (SELECT 1 FROM main.tag x WHERE x.id = t.id + 1)",
                "SELECT path FROM tags UNION SELECT path FROM main.tags",
                "PRAGMA temp.table_info(scope)",
                "SELECT sqlite_version()",
                // A name that a WITH query or a subquery takes somewhere is still the table where SQLite resolves it so.
                "SELECT * FROM (WITH tag AS (SELECT 1 AS id) SELECT id FROM tag) a, (SELECT count(*), group_concat(path) FROM tag) b",
                "SELECT count(*) FROM tags WHERE id IN (WITH tag AS (SELECT 1) SELECT 1) AND id IN (SELECT id FROM tag)",
                "SELECT * FROM (WITH sqlite_stat4 AS (SELECT 1 AS x) SELECT x FROM sqlite_stat4) a, sqlite_stat4",
                "SELECT * FROM (SELECT 1 AS x) AS tag, (SELECT count(*) FROM tag) b",
                "SELECT * FROM (SELECT 1 AS x) AS sqlite_stat1 JOIN sqlite_stat1 s ON 1",
                // SQLite's "x IN table": the parser reads the table's name as a column's.
                "SELECT count(*) FROM tags WHERE ('tag', 'sqlite_autoindex_tag_1', '2000 1') IN sqlite_stat1",
                "SELECT count(*) FROM tags WHERE id IN main.tag",
                "SELECT count(*) FROM tags WHERE id IN scope",
                // An aggregate's ORDER BY is walked like every other expression.
                "SELECT group_concat(path ORDER BY (SELECT count(*) FROM tag)) FROM tags",
                "SELECT group_concat(path ORDER BY randomblob(9)) FROM tags",
                // A window's PARTITION BY and LIKE's ESCAPE are walked too; "IN [name]" is SQLite's IN table.
                "SELECT count(*) OVER (PARTITION BY (SELECT count(*) FROM tag)) FROM tags",
                "SELECT count(*) FROM tags WHERE path LIKE 'x' ESCAPE (SELECT min(path) FROM tag)",
                "SELECT count(*) FROM tags WHERE id IN [tag]",
                // The text itself: a sqlite_ name or a schema's dot anywhere outside a string literal.
                "SELECT \"sqlite_stat1\" FROM tags",
                "SELECT main . tags FROM tags");
    }

    @ParameterizedTest
    @MethodSource("outsideNames")
    void namesThatReachPastTheViewsAreRefusedAlikeForEveryone(String sql) {
        Throwable scoped = catchThrowable(() -> engine.select(whole, wholeRma, AREA_VIEWER, sql, QueryOptions.DEFAULT));
        Throwable expected = catchThrowable(() -> reference.select(part, partRma, Access.UNRESTRICTED, sql, QueryOptions.DEFAULT));

        assertThat(scoped).isInstanceOf(NexusException.class);
        assertThat(((NexusException) scoped).code()).isEqualTo(ErrorCode.QUERY_REJECTED);
        assertThat(scoped).hasMessage(expected.getMessage());
        assertThat(scoped.getMessage()).doesNotContain("area1");
    }

    @Test
    void everyOtherNameAQueryConnectionResolvesIsOneAWithQueryMayNotTake() throws SQLException {
        Set<String> names = new TreeSet<>();
        try (Connection db = new SQLiteConfig().createConnection("jdbc:sqlite:" + dir.resolve("whole.db").toAbsolutePath());
                Statement sql = db.createStatement();
                java.sql.ResultSet rows = sql.executeQuery("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        for (String ddl : ScopeViews.DDL) {
            names.add(ddl.split(" ")[3]);
        }

        assertThat(names).contains("tag", "scope").allSatisfy(name -> assertThat(
                SqlGuard.VIEWS.contains(name) || SqlGuard.HIDDEN.contains(name) || name.startsWith("sqlite_"))
                .as(name).isTrue());
    }

    @Test
    void theTablesBehindTheViewsHoldOnlyTheScopesPartOnAScopedConnection() throws SQLException {
        // Behind the guard: should SQL name a table past it, a scoped connection answers the part alone.
        String counts = "SELECT (SELECT count(*) FROM tag), (SELECT count(*) FROM tag_property), (SELECT count(*) FROM alarm),"
                + " (SELECT count(*) FROM bank), (SELECT count(*) FROM tags), (SELECT count(*) FROM main.tags)";
        List<Long> scoped = new ArrayList<>();
        try (Connection db = new SQLiteConfig().createConnection("jdbc:sqlite:" + dir.resolve("whole.db").toAbsolutePath())) {
            new ScopeViews(SCOPE).prepare(db);
            try (Statement sql = db.createStatement(); java.sql.ResultSet rows = sql.executeQuery(counts)) {
                for (int i = 1; i <= 6; i++) {
                    scoped.add(rows.getLong(i));
                }
            }
        }
        List<Long> part = new ArrayList<>();
        try (Connection db = new SQLiteConfig().createConnection("jdbc:sqlite:" + dir.resolve("part.db").toAbsolutePath());
                Statement sql = db.createStatement(); java.sql.ResultSet rows = sql.executeQuery(counts)) {
            for (int i = 1; i <= 6; i++) {
                part.add(rows.getLong(i));
            }
        }

        assertThat(scoped.subList(0, 5)).isEqualTo(part.subList(0, 5));
        assertThat(scoped.get(5)).as("main's own view still reads main's tables").isGreaterThan(part.get(5));
    }

    @Test
    void aTextAcceptedForOneScopeIsCheckedAgainForAnother() {
        // A cache hit shows in the query's guardNanos: it must not tell a caller that another scope ran the text.
        java.util.concurrent.atomic.AtomicInteger parsed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService parsing = Executors.newSingleThreadExecutor();
        java.util.concurrent.ExecutorService counting = new java.util.concurrent.AbstractExecutorService() {
            @Override
            public void execute(Runnable task) {
                parsed.incrementAndGet();
                parsing.execute(task);
            }

            @Override
            public void shutdown() {
                parsing.shutdown();
            }

            @Override
            public List<Runnable> shutdownNow() {
                return parsing.shutdownNow();
            }

            @Override
            public boolean isShutdown() {
                return parsing.isShutdown();
            }

            @Override
            public boolean isTerminated() {
                return parsing.isTerminated();
            }

            @Override
            public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
                return parsing.awaitTermination(timeout, unit);
            }
        };
        try {
            SqlGuard guard = new SqlGuard(10_000, counting);
            String sql = "SELECT path FROM tags WHERE path = '" + OUTSIDE + "'";

            guard.check(PathScope.ALL, sql);
            guard.check(PathScope.ALL, sql);
            assertThat(parsed).as("a repeat in one scope is not parsed again").hasValue(1);
            guard.check(SCOPE, sql);
            assertThat(parsed).as("another scope's first check parses").hasValue(2);
        } finally {
            parsing.shutdownNow();
        }
    }

    @Test
    void aSchemaNameIsRefusedWithTheViewsToUseInstead() {
        assertThatThrownBy(() -> engine.select(whole, wholeRma, Access.UNRESTRICTED, "SELECT path FROM main.tags",
                QueryOptions.DEFAULT))
                .isInstanceOf(NexusException.class)
                .hasMessage("schema main is not queryable: query the views alarms, banks, tag_properties, tags by their names alone");
    }

    static List<String> failing() {
        return List.of(
                "SELECT nosuch FROM tags",
                "SELECT path FROM tags WHERE nosuch = '" + OUTSIDE + "'",
                "SELECT abs(-9223372036854775808) FROM tags",
                "SELECT t.nosuch FROM tags t JOIN alarms a ON a.tag_id = t.id",
                "SELECT count(*) FROM tags GROUP BY nosuch",
                "SELECT path FROM tags UNION SELECT path, id FROM tags");
    }

    @ParameterizedTest
    @MethodSource("failing")
    void sqliteErrorsReadAsOverThePartAlone(String sql) {
        Throwable scoped = catchThrowable(() -> engine.select(whole, wholeRma, AREA_VIEWER, sql, QueryOptions.DEFAULT));
        Throwable expected = catchThrowable(() -> reference.select(part, partRma, Access.UNRESTRICTED, sql, QueryOptions.DEFAULT));

        assertThat(scoped).isInstanceOf(NexusException.class).hasMessage(expected.getMessage());
        assertThat(((NexusException) scoped).code()).isEqualTo(((NexusException) expected).code());
        assertThat(scoped.getMessage()).doesNotContain("scope", "temp", "main.");
    }

    @Test
    void placeholderProbesSeeNothingOutside() {
        QueryOptions probe = QueryOptions.DEFAULT.withParams(List.of("site1/area1/%"));
        QueryResult scoped = engine.select(whole, wholeRma, AREA_VIEWER, "SELECT count(*) FROM tags WHERE path LIKE ?", probe);

        assertThat(scoped.rows().get(0).cells()).containsExactly(0L);
    }

    @Test
    void aCallerWithoutReadSeesEmptyViews() {
        Access none = new Access(new TreeSet<>(Set.of("writer")), EnumSet.of(Permission.WRITE), PathScope.ALL, PathScope.ALL, 0, 0);

        QueryResult result = engine.select(whole, wholeRma, none, "SELECT (SELECT count(*) FROM tags), (SELECT count(*)"
                + " FROM tag_properties), (SELECT count(*) FROM alarms), (SELECT count(*) FROM banks)", QueryOptions.DEFAULT);
        ReadPlan plan = engine.explain(whole, none, "SELECT id FROM tags", QueryOptions.DEFAULT);

        assertThat(result.rows().get(0).cells()).containsExactly(0L, 0L, 0L, 0L);
        assertThat(plan.tags()).isZero();
        assertThat(Access.NONE.seesAll()).isFalse();
        assertThat(engine.select(whole, wholeRma, Access.NONE, "SELECT count(*) FROM tags", QueryOptions.DEFAULT).rows().get(0)
                .cells()).containsExactly(0L);
    }

    @Test
    void theRolesRowCapTightensTheEnginesOwn() {
        QueryResult capped = engine.select(whole, wholeRma, area(5, 0), "SELECT id FROM tags", QueryOptions.limit(100));
        QueryResult lower = engine.select(whole, wholeRma, area(5, 0), "SELECT id FROM tags", QueryOptions.limit(3));
        ReadPlan plan = engine.explain(whole, area(5, 0), "SELECT id FROM tags", QueryOptions.DEFAULT);
        QueryResult uncapped = engine.select(whole, wholeRma, AREA_VIEWER, "SELECT id FROM tags", QueryOptions.limit(100));

        assertThat(capped.rows()).hasSize(5);
        assertThat(capped.truncated()).isTrue();
        assertThat(lower.rows()).as("the caller may go lower still").hasSize(3);
        assertThat(plan.tags()).isEqualTo(5);
        assertThat(uncapped.rows()).hasSize(100);
    }

    @Test
    void theRolesTimeLimitTightensTheEnginesOwn() {
        QueryEngine patient = engine(new Limits(10, 10, 120_000, 65_536, 64, 4_096, 4));
        try {
            // Billions of rows: only the role's limit of 100 ms can stop it before the test gives up.
            Throwable stopped = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> catchThrowable(() -> patient.select(whole, wholeRma, area(0, 100),
                            "SELECT count(*) FROM tags a, tags b, tags c, tags d", QueryOptions.DEFAULT)));

            assertThat(stopped).isInstanceOf(NexusException.class)
                    .hasMessageStartingWith("the query ran longer than its time limit and was stopped");
            assertThat(((NexusException) stopped).code()).isEqualTo(ErrorCode.QUERY_TIMEOUT);
        } finally {
            patient.close();
        }
    }

    @Test
    void eachScopeHasItsOwnConnectionsAndTheWholeNamespaceNone() {
        QueryEngine counting = engine(Limits.DEFAULT);
        try {
            counting.select(whole, wholeRma, Access.UNRESTRICTED, "SELECT count(*) FROM tags", QueryOptions.DEFAULT);
            assertThat(counting.sqlScopes()).as("seeing everything costs no scope").isZero();

            counting.select(whole, wholeRma, AREA_VIEWER, "SELECT count(*) FROM tags", QueryOptions.DEFAULT);
            counting.select(whole, wholeRma, area(5, 0), "SELECT count(*) FROM tags", QueryOptions.DEFAULT);
            assertThat(counting.sqlScopes()).as("one pool per scope, whatever the row cap").isEqualTo(1);

            for (int i = 0; i < RegistrySql.SCOPED_POOLS + 3; i++) {
                Access other = new Access(new TreeSet<>(Set.of("r" + i)), EnumSet.of(Permission.READ),
                        PathScope.of("site1/area2/line" + (11 + i) + "/**"), PathScope.NONE, 0, 0);
                QueryResult line = counting.select(whole, wholeRma, other, "SELECT count(*) FROM tags WHERE path NOT LIKE"
                        + " 'site1/area2/line" + (11 + i) + "/%'", QueryOptions.DEFAULT);
                assertThat(line.rows().get(0).cells()).containsExactly(0L);
            }
            assertThat(counting.sqlScopes()).as("least recently used scopes are closed").isEqualTo(RegistrySql.SCOPED_POOLS);
        } finally {
            counting.close();
        }
    }

    /** The whole registry, whose copy is leased only once {@code release} opens (it says so on {@code leasing}). */
    private nexus.registry.Registry leasingOnlyWhenReleased(java.util.concurrent.CountDownLatch leasing,
            java.util.concurrent.CountDownLatch release) {
        return new DelegatingRegistry(whole, whole.version()) {
            @Override
            public nexus.registry.RegistryCopy leaseCopy() {
                leasing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.leaseCopy();
            }
        };
    }

    @Test
    void aScopePushedOutByOthersWhileItOpenedIsOpenedAgainNotRefused() throws Exception {
        java.util.concurrent.CountDownLatch leasing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        nexus.registry.Registry slow = leasingOnlyWhenReleased(leasing, release);
        try (RegistrySql sql = new RegistrySql(1, 1_000)) {
            java.util.concurrent.ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                java.util.concurrent.Future<Long> scoped = other.submit(() -> {
                    try (CopyPool.Borrowed db = sql.borrow(slow, SCOPE)) {
                        return count(db);
                    }
                });
                assertThat(leasing.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < RegistrySql.SCOPED_POOLS; i++) {
                    sql.borrow(whole, PathScope.of("site1/area2/line" + (11 + i) + "/**")).close();
                }

                release.countDown();

                assertThat(scoped.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("the borrower whose scope was pushed out")
                        .isEqualTo(part.tags("", null, 100_000).size());
            } finally {
                release.countDown();
                other.shutdownNow();
            }
        }
    }

    @Test
    void aScopeBeingLaidOverItsConnectionsHoldsUpNoOtherQuery() throws Exception {
        java.util.concurrent.CountDownLatch leasing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        nexus.registry.Registry slow = leasingOnlyWhenReleased(leasing, release);
        try (RegistrySql sql = new RegistrySql(2, 1_000)) {
            java.util.concurrent.ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                java.util.concurrent.Future<Long> scoped = other.submit(() -> {
                    try (CopyPool.Borrowed db = sql.borrow(slow, SCOPE)) {
                        return count(db);
                    }
                });
                assertThat(leasing.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

                // While that scope opens, the whole namespace and another scope are served (a wait
                // for the engine-wide lock would last until the release below: the test gives up instead).
                Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                    try (CopyPool.Borrowed db = sql.borrow(whole, PathScope.ALL)) {
                        assertThat(count(db)).isEqualTo(whole.index().size());
                    }
                    try (CopyPool.Borrowed db = sql.borrow(whole, PathScope.of("site1/area1/**"))) {
                        assertThat(count(db)).isBetween(1L, whole.index().size() - 1L);
                    }
                });
                assertThat(scoped.isDone()).isFalse();

                release.countDown();
                assertThat(scoped.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(part.tags("", null, 100_000).size());
            } finally {
                release.countDown();
                other.shutdownNow();
            }
        }
    }

    private static long count(CopyPool.Borrowed db) throws SQLException {
        try (Statement count = db.db().createStatement(); java.sql.ResultSet row = count.executeQuery("SELECT count(*) FROM tags")) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void theSameTextOverAnotherScopeIsAnotherPlan() {
        String sql = "SELECT id FROM tags WHERE path LIKE 'site1/%' LIMIT 50";
        QueryResult admin = engine.select(whole, wholeRma, Access.UNRESTRICTED, sql, QueryOptions.DEFAULT);
        QueryResult role = engine.select(whole, wholeRma, AREA_VIEWER, sql, QueryOptions.DEFAULT);
        QueryResult again = engine.select(whole, wholeRma, AREA_VIEWER, sql, QueryOptions.DEFAULT);

        assertThat(rows(admin)).isNotEqualTo(rows(role));
        assertThat(role.stats().planCached()).isFalse();
        assertThat(again.stats().planCached()).isTrue();
        assertThat(new ArrayList<>(rows(again))).isEqualTo(rows(role));
    }

    /** Cells, value and quality per row (the two plants' timestamps differ). */
    static List<List<Object>> rows(QueryResult result) {
        List<List<Object>> rows = new ArrayList<>();
        for (QueryResult.Row row : result.rows()) {
            List<Object> cells = new ArrayList<>(row.cells());
            cells.add(row.tag() == null ? "no tag" : row.tag().quality() + " " + row.tag().value());
            rows.add(cells);
        }
        return rows;
    }
}
