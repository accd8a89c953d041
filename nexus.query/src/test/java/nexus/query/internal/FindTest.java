package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import nexus.core.Access;
import nexus.core.AlarmCondition;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.core.Severity;
import nexus.core.TagPath;
import nexus.query.FindAlarms;
import nexus.query.FindFilter;
import nexus.query.FindPlan;
import nexus.query.FindResult;
import nexus.query.Quality;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.registry.Tag;

/**
 * The find service on the demo plant (2,000 tags) over the real query engine: every field against the
 * SQL a person would write for it, globs against {@link PathScope}, injection attempts, a scoped
 * caller, and paging under a live filter.
 */
class FindTest {

    @TempDir
    static Path dir;

    static Fixture plant;
    static EngineQueries queries;
    static Finder finder;
    static final AtomicReference<FindAlarms> ALARMS = new AtomicReference<>();
    static final Caller ADMIN = Caller.of("admin", Set.of("admin"), "test");
    static final Caller AREA2 = Caller.of("viewer", Set.of("area2"), "test");
    static final Access AREA2_ACCESS = new Access(new TreeSet<>(Set.of("area2")), EnumSet.of(Permission.READ),
            PathScope.of("site1/area2/**"), PathScope.NONE, 0, 0);
    static List<String> allPaths;
    static String fileHash;

    @BeforeAll
    static void plant() throws Exception {
        plant = new Fixture(dir, 2_000, Limits.DEFAULT);
        queries = new EngineQueries(plant.engine, plant.registry, plant.rma,
                caller -> caller.equals(AREA2) ? AREA2_ACCESS : Access.UNRESTRICTED);
        finder = new Finder(queries, ALARMS::get);
        allPaths = paths(sql("SELECT id, path FROM tags ORDER BY path"));
        // Levels of tanks get values 0, 1, 2, … in path order, so a range picks a known part.
        int i = 0;
        for (String path : paths(sql("SELECT id, path FROM tags WHERE path LIKE '%/level' ORDER BY path"))) {
            Tag tag = plant.registry.tag(path).orElseThrow();
            plant.rma.write(tag.allocation(), (float) i++);
        }
        fileHash = hash(plant.file);
    }

    @AfterAll
    static void close() throws Exception {
        assertThat(hash(plant.file)).as("the registry file is byte-identical").isEqualTo(fileHash);
        plant.close();
    }

    static String hash(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static QueryResult sql(String sql) {
        return plant.engine.select(plant.registry, plant.rma, Access.UNRESTRICTED, sql, new QueryOptions(100_000, 0));
    }

    static List<String> paths(QueryResult result) {
        return result.rows().stream().map(r -> (String) r.cells().get(result.columns().indexOf("path") < 0 ? 0
                : result.columns().indexOf("path"))).toList();
    }

    static FindFilter filter(List<String> globs) {
        return new FindFilter(globs, Map.of(), Set.of(), Set.of(), null, null, null, FindFilter.Order.PATH,
                FindFilter.MAX_LIMIT, null, false);
    }

    static List<String> found(Caller caller, FindFilter filter) {
        return finder.find(caller, filter).rows().stream().map(r -> r.tag().path()).toList();
    }

    static List<List<String>> globs() {
        return List.of(List.of("**"), List.of("site1/**"), List.of("site1/*/line3/**"), List.of("site1/area1/line1/pump*/**"),
                List.of("*/area?/line1/tank*/level"), List.of("**/level"), List.of("site1/area1/line1/pump1/running"),
                List.of("site1"), List.of("site1/**/speed"), List.of("site1/area_/**"), List.of("site1/area[12]/**"),
                List.of("site1/area%/**"), List.of("*"), List.of("*/**"), List.of("**/**/pump1/*"),
                List.of("site1/area1/line1/**", "site1/area2/line11/**"), List.of("site1/area1/line1/*p*/s*d"),
                List.of("site1/area1/line1/pump1/run?ing"), List.of("nosuch/**"), List.of("site1/area1/line1/pump1/running/**"));
    }

    @ParameterizedTest
    @MethodSource("globs")
    void globsMatchExactlyWhatTheNamespaceRuleMatches(List<String> globs) {
        PathScope scope = new PathScope(globs);
        List<String> expected = allPaths.stream().filter(scope::matches).toList();

        assertThat(found(ADMIN, filter(globs))).isEqualTo(expected);
    }

    @Test
    void pathGlobAgreesWithPathScopeOnGeneratedGlobsAndPaths() {
        String[] pieces = { "a", "b", "ab", "*", "?", "**", "a*", "*b", "a?b", "[", "%", "_" };
        String[] texts = { "a", "b", "ab", "aab", "abb", "axb", "[", "%", "_", "" };
        java.util.Random random = new java.util.Random(16);
        for (int n = 0; n < 20_000; n++) {
            String glob = String.join("/", random.ints(1 + random.nextInt(4), 0, pieces.length).mapToObj(i -> pieces[i])
                    .toList());
            String path = String.join("/", random.ints(1 + random.nextInt(5), 0, texts.length).mapToObj(i -> texts[i])
                    .toList());
            PathScope.of(glob);
            assertThat(PathGlob.matches(glob, path)).as(glob + " ~ " + path)
                    .isEqualTo(backtracking(glob.split("/", -1), 0, path.split("/", -1), 0));
            String prefix = PathGlob.literalPrefix(glob);
            if (PathScope.of(glob).matches(path)) {
                assertThat(path).as(glob).startsWith(prefix);
            }
        }
    }

    /** The plain recursive reading of the glob rule, the reference the bounded matcher must agree with. */
    private static boolean backtracking(String[] glob, int g, String[] path, int p) {
        if (g == glob.length) {
            return p == path.length;
        }
        if (glob[g].equals("**")) {
            for (int skip = p; skip <= path.length; skip++) {
                if (backtracking(glob, g + 1, path, skip)) {
                    return true;
                }
            }
            return false;
        }
        return p < path.length && path[p].matches(segmentRegex(glob[g])) && backtracking(glob, g + 1, path, p + 1);
    }

    private static String segmentRegex(String segment) {
        StringBuilder regex = new StringBuilder();
        for (char c : segment.toCharArray()) {
            regex.append(c == '*' ? "[^/]*" : c == '?' ? "[^/]" : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return regex.toString();
    }

    @Test
    void pathGlobInSqlRefusesAPathLongerThanAnyTagPathInsteadOfMatchingIt() {
        NexusException e = catchThrowableOfType(() -> plant.engine.select(plant.registry, plant.rma, Access.UNRESTRICTED,
                "SELECT path_glob(?, ?) AS m FROM tags LIMIT 1", new QueryOptions(1, 0, List.of("*b",
                        "a".repeat(TagPath.MAX_BYTES + 1)))), NexusException.class);

        assertThat(e).as("SQL can build a 10 MB string; SQLite cannot interrupt a function").isNotNull();
        assertThat(e.getMessage()).contains("path_glob: the path is 1025 characters; no tag path is longer than 1024 bytes");
    }

    @Test
    void aGlobThatWouldBacktrackForeverAnswersAtOnce() {
        String glob = String.join("/", java.util.Collections.nCopies(150, "**/*"));

        assertThat(PathGlob.matches(glob, "a/b/c/d/e/f/g/h/i/j")).isFalse();
        assertThat(found(ADMIN, filter(List.of(glob)))).isEmpty();
    }

    @Test
    void literalGlobsAndGlobsOfAWholeSubtreeNeedNoFunction() {
        FindFilter filter = filter(List.of("site1/area1/line1/tank2/level", "site1/area2/**"));
        FindPlan plan = finder.explain(ADMIN, filter);

        assertThat(plan.sql()).contains("(path = ? OR (path = ? OR (path >= ? AND path < ?)))").doesNotContain("path_glob");
        assertThat(plan.params()).startsWith("site1/area1/line1/tank2/level", "site1/area2", "site1/area2/", "site1/area20");
    }

    @Test
    void successorBoundsExactlyThePathsWithThePrefix() {
        assertThat(PathGlob.successor("site1")).isEqualTo("site2");
        assertThat(PathGlob.successor("a\uD7FF")).isEqualTo("a\uE000");
        assertThat(PathGlob.successor("a" + new String(Character.toChars(0x10FFFF)))).isEqualTo("b");
        assertThat(PathGlob.successor("")).isNull();
        assertThat(PathGlob.literalPrefix("site1/**")).isEqualTo("site1");
        assertThat(PathGlob.literalPrefix("site1/area1/pump*/x")).isEqualTo("site1/area1/pump");
        assertThat(PathGlob.literalPrefix("**/x")).isEmpty();
    }

    @Test
    void everyFieldFindsWhatTheHandWrittenSqlFinds() {
        FindFilter filter = new FindFilter(List.of("site1/area1/**"), Map.of("kind", Set.of("tank", "pump")), Set.of("%", "rpm"),
                Set.of("FLOAT32"), false, new FindFilter.AlarmCriteria(true, Set.of(Severity.HIGH), Set.of(AlarmCondition.HI)),
                null, FindFilter.Order.PATH_DESC, FindFilter.MAX_LIMIT, null, false);
        List<String> expected = paths(sql("SELECT id, path FROM tags t WHERE path LIKE 'site1/area1/%'"
                + " AND id IN (SELECT tag_id FROM tag_properties WHERE key = 'kind' AND value IN ('tank', 'pump'))"
                + " AND unit IN ('%', 'rpm') AND type = 'FLOAT32' AND writable = 0"
                + " AND EXISTS (SELECT 1 FROM alarms a WHERE a.tag_id = t.id AND severity = 'HIGH' AND condition = 'HI')"
                + " ORDER BY path DESC"));

        assertThat(expected).isNotEmpty();
        assertThat(found(ADMIN, filter)).isEqualTo(expected);
    }

    @Test
    void tagsWithoutAlarmsAndWritableOnes() {
        FindFilter none = new FindFilter(List.of(), Map.of(), Set.of(), Set.of(), true, new FindFilter.AlarmCriteria(false, null,
                null), null, null, FindFilter.MAX_LIMIT, null, false);

        assertThat(found(ADMIN, none)).isEqualTo(paths(sql("SELECT id, path FROM tags t WHERE writable = 1 AND NOT EXISTS"
                + " (SELECT 1 FROM alarms a WHERE a.tag_id = t.id) ORDER BY path"))).isNotEmpty();
    }

    static List<String> hostile() {
        return List.of("'); DROP TABLE tag; --", "\" OR 1=1 --", "x' UNION SELECT sql FROM sqlite_master --", "a\u0000b",
                "x".repeat(10_000), "日本/工場/**", "%", "_", "*/**", "?", "\\", "\uD83D\uDE00");
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void valuesNeverBecomeSqlText(String value) {
        FindFilter filter = new FindFilter(List.of(), Map.of(value, Set.of(value)), Set.of(value), Set.of(value), null, null,
                null, null, 10, null, false);
        FindPlan plan = finder.explain(ADMIN, filter);
        FindFilter plain = new FindFilter(List.of(), Map.of("k", Set.of("v")), Set.of("u"), Set.of("t"), null, null, null, null,
                10, null, false);

        assertThat(plan.sql()).isEqualTo(finder.explain(ADMIN, plain).sql());
        assertThat(plan.params()).contains(value);
        assertThat(finder.find(ADMIN, filter).rows()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void hostileGlobsAreRefusedOrMatchLiterally(String glob) {
        try {
            FindResult result = finder.find(ADMIN, filter(List.of(glob)));
            assertThat(result.rows().stream().map(r -> r.tag().path())).allMatch(p -> PathScope.of(glob).matches(p));
            assertThat(finder.explain(ADMIN, filter(List.of(glob))).sql()).doesNotContain("DROP", "UNION", "\u0000", "日本");
        } catch (NexusException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).startsWith("paths[0]: ");
        }
    }

    @Test
    void emptySegmentsAndInnerDoubleStarsAreRefusedNamingTheGlob() {
        for (String glob : List.of("site1//x", "/site1", "site1/", "site1/area**", "")) {
            assertThatThrownBy(() -> finder.find(ADMIN, filter(List.of("**", glob)))).isInstanceOf(NexusException.class)
                    .hasMessageStartingWith("paths[1]: ");
        }
    }

    @Test
    void aScopedCallerFindsOnlyInsideItsScopeWhateverTheGlob() {
        List<String> inside = allPaths.stream().filter(p -> p.startsWith("site1/area2/")).toList();

        assertThat(found(AREA2, filter(List.of("**")))).isEqualTo(inside).isNotEmpty();
        assertThat(found(AREA2, filter(List.of("site1/area1/**")))).isEmpty();
        FindFilter alarmsAnywhere = new FindFilter(List.of(), Map.of("area", Set.of("area1", "area2")), Set.of(), Set.of(), null,
                new FindFilter.AlarmCriteria(true, null, null), null, null, FindFilter.MAX_LIMIT, null, false);
        assertThat(found(AREA2, alarmsAnywhere)).allMatch(p -> p.startsWith("site1/area2/")).isNotEmpty();
    }

    @Test
    void pagesUnderALiveFilterNeitherSkipNorRepeat() {
        FindFilter.Live live = new FindFilter.Live(new FindFilter.Range(null, 10.0, 40.0, null), Set.of(Quality.GOOD), null);
        FindFilter filter = new FindFilter(List.of("**/level"), Map.of(), Set.of(), Set.of(), null, null, live, null, 3, null,
                false);
        List<String> expected = found(ADMIN, filter.withLimit(FindFilter.MAX_LIMIT));
        assertThat(expected).hasSize(30);

        List<String> paged = new ArrayList<>();
        FindFilter page = filter;
        int pages = 0;
        while (true) {
            FindResult result = finder.find(ADMIN, page);
            result.rows().forEach(r -> paged.add(r.tag().path()));
            assertThat(result.matched()).isEqualTo(result.rows().size()).isLessThanOrEqualTo(3);
            assertThat(result.examined()).isGreaterThanOrEqualTo(result.matched());
            pages++;
            if (result.cursor() == null) {
                break;
            }
            page = filter.withCursor(result.cursor());
        }
        assertThat(paged).isEqualTo(expected);
        assertThat(new LinkedHashSet<>(paged)).hasSameSizeAs(paged);
        assertThat(pages).as("ten full pages, and one that examines the rest and finds none").isEqualTo(11);
    }

    @Test
    void theExaminedBoundEndsAPageWithACursorThatLeadsOn() {
        FindFilter.Live never = new FindFilter.Live(new FindFilter.Range(1e9, null, null, null), Set.of(), null);
        FindFilter filter = new FindFilter(List.of(), Map.of(), Set.of(), Set.of(), null, null, never, null, 5, null, false);
        Finder bounded = new Finder(queries, ALARMS::get, 700);

        List<Integer> examined = new ArrayList<>();
        FindFilter page = filter;
        while (true) {
            FindResult result = bounded.find(ADMIN, page);
            assertThat(result.rows()).isEmpty();
            examined.add(result.examined());
            if (result.cursor() == null) {
                break;
            }
            page = filter.withCursor(result.cursor());
        }
        assertThat(examined).containsExactly(700, 700, allPaths.size() - 1_400);
        assertThat(finder.find(ADMIN, filter).examined()).isEqualTo(allPaths.size());
    }

    @Test
    void aCursorIsOnlyAPlaceToContinueFromWhateverPathItHolds() {
        FindFilter filter = filter(List.of("**")).withLimit(3);
        String hostile = FindCursor.encode(filter, "site1/area2') OR 1=1; DROP TABLE tag; --");

        assertThat(found(ADMIN, filter.withCursor(hostile)))
                .containsExactlyElementsOf(allPaths.stream().filter(p -> p.compareTo("site1/area2') OR") > 0).limit(3).toList());
    }

    @Test
    void cursorsOfAnotherFilterOrDamagedOnesAreRefused() {
        FindFilter filter = filter(List.of("site1/**")).withLimit(5);
        String cursor = finder.find(ADMIN, filter).cursor();
        assertThat(cursor).startsWith("f1.");

        assertThat(found(ADMIN, filter.withCursor(cursor))).first().isEqualTo(allPaths.get(5));
        for (String bad : List.of("f1." + cursor.substring(3, 10), "f2." + cursor.substring(3), "garbage", "f1.!!!", "f1.")) {
            assertThatThrownBy(() -> finder.find(ADMIN, filter.withCursor(bad))).isInstanceOf(NexusException.class)
                    .hasMessageStartingWith("cursor: ");
        }
        assertThatThrownBy(() -> finder.find(ADMIN, filter(List.of("site2/**")).withCursor(cursor)))
                .hasMessageContaining("belongs to another filter");
    }

    @Test
    void aRoleRowCapBoundsThePage() {
        Access capped = new Access(new TreeSet<>(Set.of("capped")), EnumSet.of(Permission.READ), PathScope.ALL, PathScope.NONE,
                7, 0);
        Finder cappedFinder = new Finder(new EngineQueries(plant.engine, plant.registry, plant.rma, c -> capped), ALARMS::get);
        FindResult result = cappedFinder.find(ADMIN, filter(List.of("**")).withLimit(50));

        assertThat(result.rows()).hasSize(7);
        assertThat(result.cursor()).isNotNull();
    }

    @Test
    void liveAlarmCriteriaNeedTheAlarmManager() {
        FindFilter filter = new FindFilter(List.of(), Map.of(), Set.of(), Set.of(), null, null,
                new FindFilter.Live(null, null, new FindFilter.LiveAlarms(Set.of(), true, Set.of())), null, 10, null, false);
        ALARMS.set(null);
        assertThatThrownBy(() -> finder.find(ADMIN, filter)).isInstanceOf(NexusException.class)
                .hasMessageContaining("alarm manager").extracting(e -> ((NexusException) e).code())
                .isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);

        String level = "site1/area1/line1/tank2/level";
        ALARMS.set((caller, paths) -> paths.contains(level) ? Map.of(level, List.of(new FindResult.TagAlarm(
                "site1/area1/line1/tank2/level_hi", Severity.HIGH, "UNACK_ALARM", true, false))) : Map.of());
        try {
            FindResult result = finder.find(ADMIN, filter.withLimit(FindFilter.MAX_LIMIT));
            assertThat(result.rows()).extracting(r -> r.tag().path()).containsExactly(level);
            assertThat(result.rows().get(0).alarms()).extracting(FindResult.TagAlarm::state).containsExactly("UNACK_ALARM");
        } finally {
            ALARMS.set(null);
        }
    }

    @Test
    void explainShowsBothHalves() {
        FindFilter filter = new FindFilter(List.of("site1/area1/line1/pump*/**"), Map.of(), Set.of("rpm"), Set.of(), null,
                null, new FindFilter.Live(new FindFilter.Range(1.0, null, null, null), Set.of(), null), null, 2, null, false);
        FindPlan plan = finder.explain(ADMIN, filter);

        assertThat(plan.sql()).isEqualTo("SELECT " + FindCompiler.COLUMNS + " FROM tags WHERE (path >= ? AND path < ? AND"
                + " path_glob(?, path)) AND unit = ? ORDER BY path LIMIT ?");
        assertThat(plan.params()).containsExactly("site1/area1/line1/pump", "site1/area1/line1/pumq",
                "site1/area1/line1/pump*/**", "rpm", 3L);
        assertThat(plan.readPlan().tags()).isEqualTo(3);
        assertThat(plan.liveFilter()).isEqualTo("the value is a number > 1.0");
    }
}
