package nexus.query.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import nexus.core.Access;
import nexus.core.Caller;
import nexus.query.FindFilter;
import nexus.query.FindResult;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.QueryService;
import nexus.query.ReadPlan;
import nexus.query.TagSelection;
import nexus.query.TagValue;
import nexus.registry.internal.RegistryFiles;
import nexus.rma.Allocation;
import nexus.rma.RmaBackend;
import nexus.rma.internal.RmaBackends;

/**
 * What the find compiler costs (issue 16): a find against the SQL a person would write for the same
 * rows, both through the whole read path (guard, SQLite, plan, block reads, decoding) on the demo
 * plant of 30,000 tags, the same columns, the same rows (checked at set-up). {@code glob}: tags under
 * {@code site1/**} of type FLOAT32 (the SQL: {@code path LIKE 'site1/%'}); {@code property}: tags whose
 * {@code kind} is {@code pump} (the SQL: {@code id IN (SELECT tag_id FROM tag_properties …)}); both
 * ordered by path, at most 10,000 rows. The find side adds compiling, its own parameters and building
 * its rows; its SQL differs in the path test ({@code path_glob} behind a range on the prefix).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class FindBenchmark {

    @Param({ "glob", "property" })
    String filter;

    private Path dir;
    private RegistryFiles.Opened registry;
    private RmaBackend rma;
    private QueryEngine engine;
    private ExecutorService parser;
    private ScheduledExecutorService timer;
    private Finder finder;
    private FindFilter find;
    private String sql;
    private static final Caller BENCH = Caller.of("bench", Set.of("admin"), "bench");

    @Setup(Level.Trial)
    public void plant() throws IOException {
        dir = Files.createTempDirectory("nexus-find-bench");
        Path file = dir.resolve("registry.db");
        RegistryFiles.demo(file, 30_000);
        registry = RegistryFiles.open(file, 4);
        rma = RmaBackends.heap(registry.banks());
        parser = Executors.newCachedThreadPool(QueryComponent.daemon("bench-parse"));
        timer = Executors.newSingleThreadScheduledExecutor(QueryComponent.daemon("bench-timeout"));
        // the equivalent SQL measured cold: the result cache would skip SQLite
        engine = new QueryEngine(new Limits(10_000, 100_000, 5_000, 65_536, 256, 4_096, 256), Admission.defaults(5_000), 0,
                parser, timer);
        finder = new Finder(new Engine(), () -> null);
        String columns = "SELECT " + FindCompiler.COLUMNS + " FROM tags WHERE ";
        if (filter.equals("glob")) {
            find = new FindFilter(List.of("site1/**"), Map.of(), Set.of(), Set.of("FLOAT32"), null, null, null, null,
                    FindFilter.MAX_LIMIT, null, false);
            sql = columns + "path LIKE 'site1/%' AND type = 'FLOAT32' ORDER BY path LIMIT 10000";
        } else {
            find = new FindFilter(List.of(), Map.of("kind", Set.of("pump")), Set.of(), Set.of(), null, null, null, null,
                    FindFilter.MAX_LIMIT, null, false);
            sql = columns + "id IN (SELECT tag_id FROM tag_properties WHERE key = 'kind' AND value = 'pump') ORDER BY path"
                    + " LIMIT 10000";
        }
        List<String> found = find().rows().stream().map(r -> r.tag().path()).toList();
        List<Object> selected = sql().rows().stream().map(r -> r.cells().get(1)).toList();
        if (!found.equals(selected) || found.isEmpty()) {
            throw new IllegalStateException(filter + ": find answers " + found.size() + " rows, the SQL " + selected.size());
        }
        System.out.printf("%n[%s] %d rows; find's SQL: %s%n", filter, found.size(), finder.explain(BENCH, find).sql());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        engine.close();
        registry.close();
        parser.shutdownNow();
        timer.shutdownNow();
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public FindResult find() {
        return finder.find(BENCH, find);
    }

    @Benchmark
    public QueryResult sql() {
        return engine.select(registry, rma, Access.UNRESTRICTED, sql, new QueryOptions(10_000, 0));
    }

    /** The query service over the benchmark's engine, every caller unrestricted. */
    private final class Engine implements QueryService {
        @Override
        public QueryResult select(Caller caller, String text, QueryOptions options) {
            return engine.select(registry, rma, Access.UNRESTRICTED, text, options);
        }

        @Override
        public ReadPlan explain(Caller caller, String text, QueryOptions options) {
            return engine.explain(registry, Access.UNRESTRICTED, text, options);
        }

        @Override
        public TagSelection selectTags(Caller caller, String text, QueryOptions options) {
            return engine.selectTags(registry, Access.UNRESTRICTED, text, options);
        }

        @Override
        public List<TagValue> read(List<Allocation> allocations) {
            return engine.read(rma, allocations);
        }
    }
}
