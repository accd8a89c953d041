package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.Quality;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.ReadPlan;
import nexus.registry.Tag;
import nexus.rma.Bank;
import nexus.rma.internal.RmaBackends;

class QueryEngineTest {

    @TempDir
    static Path dir;

    static Fixture plant;

    @BeforeAll
    static void plant() {
        plant = new Fixture(dir, 2_000, new Limits(500, 1_000, 2_000, 65_536, 64, 4_096, 16));
    }

    @AfterAll
    static void close() {
        plant.close();
    }

    private static Tag tag(String path) {
        return plant.registry.tag(path).orElseThrow();
    }

    @Test
    void rowsThatCarryATagIdGetItsLiveValue() {
        plant.rma.write(tag("site1/area1/line1/tank2/level").allocation(), 42.5);
        plant.rma.write(tag("site1/area1/line1/pump1/running").allocation(), true);
        plant.rma.write(tag("site1/area1/line1/valve3/label").allocation(), "V-103");

        QueryResult result = plant.engine.select(plant.registry, plant.rma,
                "SELECT id, path, unit FROM tags WHERE path IN ('site1/area1/line1/tank2/level',"
                        + " 'site1/area1/line1/pump1/running', 'site1/area1/line1/valve3/label') ORDER BY path",
                QueryOptions.DEFAULT);

        assertThat(result.columns()).containsExactly("id", "path", "unit");
        assertThat(result.rows()).extracting(r -> r.cells().get(1), r -> r.tag().value(), r -> r.tag().quality())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("site1/area1/line1/pump1/running", true, Quality.GOOD),
                        org.assertj.core.groups.Tuple.tuple("site1/area1/line1/tank2/level", 42.5f, Quality.GOOD),
                        org.assertj.core.groups.Tuple.tuple("site1/area1/line1/valve3/label", "V-103", Quality.GOOD));
        assertThat(result.rows().get(1).tag().timestamp()).isPositive();
        assertThat(result.truncated()).isFalse();
        assertThat(result.stats().tags()).isEqualTo(3);
        assertThat(result.stats().blocks()).isBetween(1, 3);
    }

    @Test
    void everyRowGetsItsOwnTagsValueInWhateverOrderAndHoweverOftenTheRowsNameIt() {
        List<Tag> levels = plant.registry.tags("site1/", null, 100_000).stream().filter(t -> t.path().endsWith("/level")).toList();
        assertThat(levels).hasSizeGreaterThan(20);
        for (int i = 0; i < levels.size(); i++) {
            plant.rma.write(levels.get(i).allocation(), 1000.0f + i);
        }
        java.util.Map<String, Float> written = new java.util.HashMap<>();
        for (int i = 0; i < levels.size(); i++) {
            written.put(levels.get(i).path(), 1000.0f + i);
        }
        for (String order : List.of("path", "path DESC", "id % 7, path DESC", "path", "path DESC", "id % 7, path DESC")) {
            // each twice: the second answer is the result cache's
            QueryResult result = plant.engine.select(plant.registry, plant.rma,
                    "SELECT id, path FROM (SELECT id, path FROM tags WHERE path LIKE '%/level' UNION ALL"
                            + " SELECT id, path FROM tags WHERE path LIKE '%/level') ORDER BY " + order, QueryOptions.DEFAULT);
            assertThat(result.rows()).as(order).hasSize(2 * levels.size());
            for (QueryResult.Row row : result.rows()) {
                assertThat(row.tag().value()).as("%s, ordered by %s", row.cells().get(1), order)
                        .isEqualTo(written.get((String) row.cells().get(1)));
            }
        }
    }

    @Test
    void aggregatesStayMetadata() {
        QueryResult result = plant.engine.select(plant.registry, plant.rma,
                "SELECT unit, count(*) AS n FROM tags GROUP BY unit ORDER BY unit", QueryOptions.DEFAULT);

        assertThat(result.columns()).containsExactly("unit", "n");
        assertThat(result.rows()).allSatisfy(row -> assertThat(row.tag()).isNull());
        assertThat(result.stats().blocks()).isZero();
    }

    @Test
    void twoColumnsOfOneNameAreRefusedNamingTheFix() {
        NexusException refused = org.assertj.core.api.Assertions.catchThrowableOfType(NexusException.class,
                () -> plant.engine.select(plant.registry, plant.rma, "SELECT path, path FROM tags LIMIT 3", QueryOptions.DEFAULT));
        assertThat(refused.code()).isEqualTo(ErrorCode.QUERY_REJECTED);
        assertThat(refused.getMessage()).contains("'path'").contains(" AS ");
    }

    @Test
    void aColumnNamedLikeALiveFieldKeepsItsValueAndTheRowsCarryNoLiveValues() {
        QueryResult properties = plant.engine.select(plant.registry, plant.rma,
                "SELECT * FROM tag_properties WHERE key = 'asset' LIMIT 3", QueryOptions.DEFAULT);
        assertThat(properties.columns()).contains("tag_id", "value");
        assertThat(properties.rows()).isNotEmpty().allSatisfy(row -> assertThat(row.tag()).isNull());
        assertThat(properties.stats().tags()).isZero();
        QueryResult aliased = plant.engine.select(plant.registry, plant.rma,
                "SELECT tag_id, key, value AS property FROM tag_properties WHERE key = 'asset' LIMIT 3", QueryOptions.DEFAULT);
        assertThat(aliased.rows()).isNotEmpty().allSatisfy(row -> assertThat(row.tag()).isNotNull());
    }

    @Test
    void propertiesAndAlarmsCarryTheirTagsValueToo() {
        QueryResult properties = plant.engine.select(plant.registry, plant.rma,
                "SELECT tag_id, path FROM tag_properties WHERE key = 'asset' AND value = 'tank2' LIMIT 3", QueryOptions.DEFAULT);
        QueryResult alarms = plant.engine.select(plant.registry, plant.rma,
                "SELECT name, tag_id FROM alarms LIMIT 3", QueryOptions.DEFAULT);
        QueryResult alarmIds = plant.engine.select(plant.registry, plant.rma, "SELECT id FROM alarms LIMIT 3",
                QueryOptions.DEFAULT);

        assertThat(properties.rows()).isNotEmpty().allSatisfy(row -> assertThat(row.tag()).isNotNull());
        assertThat(alarms.rows()).isNotEmpty().allSatisfy(row -> assertThat(row.tag()).isNotNull());
        assertThat(alarmIds.rows()).as("an alarm's own id is no tag id").allSatisfy(row -> assertThat(row.tag()).isNull());
    }

    @Test
    void theRowCapSetsTruncatedAndTheCallerMayOnlyLowerIt() {
        QueryResult capped = plant.engine.select(plant.registry, plant.rma, "SELECT id FROM tags", QueryOptions.DEFAULT);
        QueryResult lowered = plant.engine.select(plant.registry, plant.rma, "SELECT id FROM tags", QueryOptions.limit(10));
        QueryResult raised = plant.engine.select(plant.registry, plant.rma, "SELECT id FROM tags", QueryOptions.limit(1_000_000));
        QueryResult exact = plant.engine.select(plant.registry, plant.rma, "SELECT id FROM tags LIMIT 10", QueryOptions.limit(10));

        assertThat(capped.rows()).hasSize(500);
        assertThat(capped.truncated()).isTrue();
        assertThat(lowered.rows()).hasSize(10);
        assertThat(raised.rows()).as("the configured maximum wins").hasSize(1_000);
        assertThat(exact.truncated()).as("exactly the limit is not truncated").isFalse();
    }

    @Test
    void aMissingBackendOrBankDegradesQualityAndNeverFailsTheQuery() {
        String sql = "SELECT id FROM tags WHERE path LIKE 'site1/area1/line1/%' LIMIT 20";

        QueryResult none = plant.engine.select(plant.registry, null, sql, QueryOptions.DEFAULT);
        QueryResult small = plant.engine.select(plant.registry, RmaBackends.heap(List.of(new Bank(0, "process", 8))), sql,
                QueryOptions.DEFAULT);

        assertThat(none.rows()).isNotEmpty().allSatisfy(r -> assertThat(r.tag().quality()).isEqualTo(Quality.BAD_NO_BACKEND));
        assertThat(none.rows()).allSatisfy(r -> assertThat(r.tag().value()).isNull());
        assertThat(small.rows()).extracting(r -> r.tag().quality()).contains(Quality.BAD_OUT_OF_RANGE);
    }

    @Test
    void anAnswerTooLargeForMemoryIsRefusedBeforeItIsHeld() {
        // hex() doubles a text: 13 of them turn 1,000 characters into 8,192,000, within SQLite's
        // 10 MB value limit; 10 such rows are 80 MB. Unbounded, 60 of them took a 512 MB node down with
        // an OutOfMemoryError (ExitOnOutOfMemoryError): one request, within every limit of the guard.
        String big = "'" + "a".repeat(1_000) + "'";
        for (int i = 0; i < 13; i++) {
            big = "hex(" + big + ")";
        }
        String sql = "SELECT " + big + " AS x FROM tags LIMIT 10";

        assertThatThrownBy(() -> plant.engine.select(plant.registry, plant.rma, sql, QueryOptions.DEFAULT))
                .isInstanceOf(NexusException.class)
                .satisfies(e -> assertThat(((NexusException) e).code()).isEqualTo(ErrorCode.QUERY_REJECTED))
                .hasMessageContaining("MiB");
        QueryResult small = plant.engine.select(plant.registry, plant.rma,
                "SELECT hex(hex(hex('abc'))) AS x FROM tags LIMIT 10", QueryOptions.DEFAULT);
        assertThat(small.rows()).hasSize(10);
    }

    @Test
    void theCallerMayShortenTheTimeLimit() {
        assertThatThrownBy(() -> plant.engine.select(plant.registry, plant.rma, "SELECT count(*) FROM tags a, tags b, tags c",
                new QueryOptions(0, 50))).isInstanceOf(NexusException.class)
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.QUERY_TIMEOUT);
    }

    @Test
    void readsValuesAtKnownAllocations() {
        Tag level = tag("site1/area1/line1/tank2/level_sp");
        Tag run = tag("site1/area1/line1/pump1/start_cmd");
        plant.rma.write(level.allocation(), 12.5);
        plant.rma.write(run.allocation(), true);

        var values = plant.engine.read(plant.rma, List.of(level.allocation(), run.allocation()));

        assertThat(values).extracting(v -> v.value()).containsExactly(12.5f, true);
        assertThat(plant.engine.read(null, List.of(level.allocation()))).extracting(v -> v.quality())
                .containsExactly(Quality.BAD_NO_BACKEND);
    }

    @Test
    void explainShowsTheMergedBlocks() {
        ReadPlan plan = plant.engine.explain(plant.registry, "SELECT id FROM tags WHERE path LIKE 'site1/area1/line1/tank2/%'",
                QueryOptions.DEFAULT);

        assertThat(plan.tags()).isEqualTo(4);
        assertThat(plan.banks()).hasSize(1);
        assertThat(plan.banks().get(0).name()).isEqualTo("process");
        assertThat(plan.blocks()).isEqualTo(1);
        assertThat(plan.banks().get(0).blocks().get(0).tags()).isEqualTo(4);
        assertThat(plan.maxGap()).isEqualTo(64);
    }

    @Test
    void aRepeatedQueryUsesTheCachedPlan() {
        String sql = "SELECT id FROM tags WHERE path LIKE 'site1/area1/line2/%'";
        QueryResult first = plant.engine.select(plant.registry, plant.rma, sql, QueryOptions.DEFAULT);
        QueryResult second = plant.engine.select(plant.registry, plant.rma, "  " + sql.replace(" ", "   ") + " ", QueryOptions.DEFAULT);

        assertThat(first.stats().planCached()).isFalse();
        assertThat(second.stats().planCached()).isTrue();
        assertThat(second.rows()).hasSameSizeAs(first.rows());
    }

    @Test
    void sqliteErrorsNameWhatIsWrong() {
        assertRejected("SELECT nosuch FROM tags", "no such column: nosuch");
        assertRejected("SELECT path FROM tags WHERE", "syntax error");
        assertRejected("SELECT path FROM tags WHERE path = = 'x'", "syntax error at line 1, column 36, near '= 'x''");
        assertRejected("SELECT path FROM nosuch", "table nosuch is not queryable");
        assertRejected("", "no SQL given");
    }

    @Test
    void limitZeroReturnsTheColumnsAndNoRowsLikeSqlLimitZero() {
        QueryResult some = plant.engine.select(plant.registry, plant.rma, "SELECT id, path FROM tags WHERE path LIKE"
                + " 'site1/area1/line1/%'", QueryOptions.limit(0));
        QueryResult none = plant.engine.select(plant.registry, plant.rma, "SELECT id, path FROM tags WHERE path = 'nosuch'",
                QueryOptions.limit(0));

        assertThat(some.columns()).containsExactly("id", "path");
        assertThat(some.rows()).isEmpty();
        assertThat(some.truncated()).as("rows matched but none returned").isTrue();
        assertThat(none.columns()).containsExactly("id", "path");
        assertThat(none.rows()).isEmpty();
        assertThat(none.truncated()).as("nothing matched").isFalse();
        assertThat(plant.engine.select(plant.registry, plant.rma, "SELECT id FROM tags", QueryOptions.DEFAULT).rows())
                .as("no limit given: the configured default").hasSize(500);
        assertThatThrownBy(() -> QueryOptions.limit(-2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDamagedRegistryCopyIsBackendUnavailableNeverTheQuerysFaultAndNamesNoPath() throws Exception {
        Path healthy = plant.file;
        Path malformed = dir.resolve("malformed.db");
        java.nio.file.Files.copy(healthy, malformed);
        byte[] bytes = java.nio.file.Files.readAllBytes(malformed);
        // Keep the header page, garble every page after it: the schema and the tables are unreadable.
        java.util.Random random = new java.util.Random(14);
        for (int i = 4_096; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        java.nio.file.Files.write(malformed, bytes);
        Path foreign = dir.resolve("foreign.db");
        java.nio.file.Files.write(foreign, "this is not a database, only a text file that is long enough to look like one"
                .repeat(100).getBytes(java.nio.charset.StandardCharsets.UTF_8));

        for (Path damaged : List.of(malformed, foreign)) {
            nexus.registry.Registry registry = readingFrom(damaged);
            assertThatThrownBy(() -> plant.engine.select(registry, plant.rma, "SELECT id, path FROM tags", QueryOptions.DEFAULT))
                    .as(damaged.getFileName().toString()).isInstanceOf(NexusException.class)
                    .hasMessage("the registry copy of this version cannot be read: see /health")
                    .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
            assertThatThrownBy(() -> plant.engine.explain(registry, "SELECT id FROM tags", QueryOptions.DEFAULT))
                    .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
        }
        assertThat(plant.engine.admission().running()).as("every slot given back").isZero();
    }

    @Test
    void storageFailuresInSqliteWordsAreNeverTheClientsFault() {
        for (String message : List.of("[SQLITE_CORRUPT] The database disk image is malformed (database disk image is malformed)",
                "[SQLITE_NOTADB] File opened that is not a database file (file is not a database)",
                "[SQLITE_IOERR_READ] Some kind of disk I/O error occurred (disk I/O error)",
                "[SQLITE_CANTOPEN] Unable to open the database file (unable to open database file)",
                "[SQLITE_FULL] Insertion failed because database is full (database or disk is full)")) {
            NexusException e = SqlRunner.translate(new java.sql.SQLException(message + " /home/op/run/data/registry.db"));
            assertThat(e.code()).as(message).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
            assertThat(e.getMessage()).doesNotContain("/home").doesNotContain("SQLITE");
        }
        assertThat(SqlRunner.translate(new java.sql.SQLException("[SQLITE_ERROR] SQL error or missing database (no such"
                + " column: x)")).code()).isEqualTo(ErrorCode.QUERY_REJECTED);
    }

    /** The plant's registry, but its copy is this file. */
    private static nexus.registry.Registry readingFrom(Path file) {
        nexus.registry.Registry served = plant.registry;
        return new DelegatingRegistry(served, served.version()) {
            @Override
            public String file() {
                return file.toString();
            }

            @Override
            public nexus.registry.RegistryCopy leaseCopy() {
                return new nexus.registry.RegistryCopy() {
                    @Override
                    public long version() {
                        return served.version();
                    }

                    @Override
                    public Path file() {
                        return file;
                    }

                    @Override
                    public boolean retired() {
                        return false;
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }

    @Test
    void aQueryThatRunsTooLongIsStopped() {
        Fixture slow = new Fixture(dir.resolve("slow"), 2_000, new Limits(10, 10, 200, 65_536, 64, 4_096, 4));
        try {
            assertThatThrownBy(() -> slow.engine.select(slow.registry, slow.rma,
                    "SELECT count(*) FROM tags a, tags b, tags c", QueryOptions.DEFAULT))
                    .isInstanceOf(NexusException.class)
                    .hasMessageStartingWith("the query ran longer than its time limit and was stopped")
                    .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.QUERY_TIMEOUT);
            assertThat(slow.engine.select(slow.registry, slow.rma, "SELECT count(*) FROM tags", QueryOptions.DEFAULT)
                    .rows()).as("the connection still works").hasSize(1);
        } finally {
            slow.close();
        }
    }

    private static QueryResult select(String sql, Object... params) {
        return plant.engine.select(plant.registry, plant.rma, sql, QueryOptions.DEFAULT.withParams(java.util.Arrays.asList(params)));
    }

    private static void assertInvalid(String sql, List<Object> params, String message) {
        assertThatThrownBy(() -> plant.engine.select(plant.registry, plant.rma, sql, QueryOptions.DEFAULT.withParams(params)))
                .isInstanceOf(NexusException.class).hasMessage(message)
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aPlaceholderWithoutAValueIsRefusedSayingHowManyOfEach() {
        assertInvalid("SELECT path FROM tags WHERE path = ?", List.of(),
                "the SQL has 1 placeholder (?) but params has 0 values: send one value per placeholder, in order");
        assertInvalid("SELECT path FROM tags WHERE path = ? OR path = ?", List.of("a"),
                "the SQL has 2 placeholders (?) but params has 1 value: send one value per placeholder, in order");
        assertInvalid("SELECT path FROM tags", List.of("a"),
                "the SQL has 0 placeholders (?) but params has 1 value: send one value per placeholder, in order");
        assertInvalid("SELECT path FROM tags WHERE id = ?3", List.of(1L),
                "the SQL has 3 placeholders (?) but params has 1 value: send one value per placeholder, in order");
    }

    @Test
    void paramsAreBoundByPositionAsTheirTypes() {
        QueryResult byPath = select("SELECT id, path FROM tags WHERE path = ?", "site1/area1/line1/tank2/level");
        QueryResult byId = select("SELECT path FROM tags WHERE id = ?", byPath.rows().get(0).cells().get(0));
        QueryResult typed = select("SELECT typeof(?) AS a, typeof(?) AS b, typeof(?) AS c, typeof(?) AS d, typeof(?) AS e, ? + ? AS f, ? AS g",
                "x", 3L, 2.5, true, null, 40, 2, false);

        assertThat(byPath.rows()).hasSize(1);
        assertThat(byPath.rows().get(0).tag()).as("a parameterised row still gets its value").isNotNull();
        assertThat(byId.rows()).extracting(r -> r.cells().get(0)).containsExactly("site1/area1/line1/tank2/level");
        assertThat(typed.rows().get(0).cells()).containsExactly("text", "integer", "real", "integer", "null", 42L, 0L);
        assertThat(select("SELECT ? || ''", "it's -- not; SQL").rows().get(0).cells())
                .as("a value is never SQL text").containsExactly("it's -- not; SQL");
    }

    @Test
    void numberedPlaceholdersBindByNumber() {
        QueryResult result = select("SELECT ?2, ?1, ?2 || ?", "a", "b", "c");

        assertThat(result.rows().get(0).cells()).containsExactly("b", "a", "bc");
    }

    @Test
    void namedPlaceholdersAreRefusedSayingWhatToUse() {
        for (String sql : List.of("SELECT path FROM tags WHERE path = :path", "SELECT path FROM tags WHERE path = @path",
                "SELECT path FROM tags WHERE path = $path", "SELECT ?0", "SELECT ?99999999999")) {
            assertThatThrownBy(() -> select(sql, "x")).as(sql).isInstanceOf(NexusException.class)
                    .hasMessageContaining("use ? or ?NNN")
                    .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.QUERY_REJECTED);
        }
        assertThat(select("SELECT ':a', \"@b\", '$c' FROM tags LIMIT 1").rows()).as("inside quotes they are text").hasSize(1);
    }

    @Test
    void aParamThatIsNoScalarIsRefusedNamingItsIndex() {
        assertInvalid("SELECT ?, ?", java.util.Arrays.asList("a", java.util.Map.of()),
                "params[1] is an object: a parameter is a string, a number, true, false or null");
        assertInvalid("SELECT ?", List.of(List.of(1)), "params[0] is a list: a parameter is a string, a number, true, false or null");
        assertInvalid("SELECT ?", List.of(Double.POSITIVE_INFINITY), "params[0] is not a finite number");
        assertInvalid("SELECT ?", List.of(new java.math.BigInteger("99999999999999999999")),
                "params[0] is 99999999999999999999: whole numbers must fit 64 bits (-9223372036854775808..9223372036854775807)");
        assertInvalid("SELECT ?", List.of(new java.math.BigDecimal("1e400")),
                "params[0] is 1E+400: beyond the range of a 64-bit float (±1.7976931348623157E308)");
        assertInvalid("SELECT ?", List.of(new java.math.BigDecimal("1e-400")),
                "params[0] is 1E-400: too small for a 64-bit float, it would be 0 (the smallest is ±4.9E-324)");
        assertThat(select("SELECT ?", new java.math.BigDecimal("2.5")).rows().get(0).cells()).containsExactly(2.5);
    }

    @Test
    void theCachedPlanIsReusedOnlyForTheSameTagsWhateverTheParams() {
        String sql = "SELECT id FROM tags WHERE path LIKE ? ORDER BY path";
        plant.rma.write(tag("site1/area1/line1/tank2/level_sp").allocation(), 11.0);
        plant.rma.write(tag("site1/area1/line2/tank2/level_sp").allocation(), 22.0);

        QueryResult line1 = select(sql, "site1/area1/line1/tank2/level_sp");
        QueryResult line2 = select(sql, "site1/area1/line2/tank2/level_sp");
        QueryResult line2again = select(sql, "site1/area1/line2/tank2/level_sp");

        assertThat(line1.rows()).extracting(r -> r.tag().value()).containsExactly(11.0f);
        assertThat(line2.stats().planCached()).as("other tags: a new plan").isFalse();
        assertThat(line2.rows()).extracting(r -> r.tag().value()).containsExactly(22.0f);
        assertThat(line2again.stats().planCached()).isTrue();
        assertThat(line2again.rows()).extracting(r -> r.tag().value()).containsExactly(22.0f);
    }

    @Test
    void explainBindsParamsToo() {
        ReadPlan plan = plant.engine.explain(plant.registry, "SELECT id FROM tags WHERE path LIKE ?",
                QueryOptions.DEFAULT.withParams(List.of("site1/area1/line1/tank2/%")));

        assertThat(plan.tags()).isEqualTo(4);
        assertThatThrownBy(() -> plant.engine.explain(plant.registry, "SELECT id FROM tags WHERE path LIKE ?",
                QueryOptions.DEFAULT)).isInstanceOf(NexusException.class).hasMessageStartingWith("the SQL has 1 placeholder");
    }

    private static void assertRejected(String sql, String message) {
        assertThatThrownBy(() -> plant.engine.select(plant.registry, plant.rma, sql, QueryOptions.DEFAULT))
                .isInstanceOf(NexusException.class).hasMessageContaining(message)
                .extracting(e -> ((NexusException) e).code()).isEqualTo(ErrorCode.QUERY_REJECTED);
    }
}
