package nexus.query.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.registry.internal.RegistryFiles;
import nexus.rma.RmaBackend;
import nexus.rma.internal.RmaBackends;

/**
 * A 10,000-row query for a role limited to part of the namespace against the same query for a
 * caller who sees everything (issue 13: at most 1.2 times the unrestricted time). The demo plant
 * of 30,000 tags; every role sees more than 10,000 of them, so each run answers 10,000 rows of tag
 * metadata with live values. The globs of a scope are separated by semicolons (JMH's {@code -p}
 * splits at commas). {@code scope=**} is the unrestricted caller (no scoping at all);
 * {@code site1/**;site2/**} sees the first two sites (its rows are the unrestricted rows, so the
 * difference is the scoping alone); {@code *}{@code /area1/**;…} sees three areas of every site,
 * interleaved with the two it does not see, so SQLite passes over hidden tags to find its rows.
 * The tear-down prints what building a scope's connections costs (once per registry version and
 * scope, at its first query).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ScopedQueryBenchmark {

    @Param({ "**", "site1/**;site2/**", "*/area1/**;*/area2/**;*/area3/**" })
    String scope;

    @Param({ "id, path, unit" })
    String columns;

    private Path dir;
    private RegistryFiles.Opened registry;
    private RmaBackend rma;
    private QueryEngine engine;
    private ExecutorService parser;
    private ScheduledExecutorService timer;
    private Access access;
    private String sql;

    @Setup(Level.Trial)
    public void plant() throws IOException {
        dir = Files.createTempDirectory("nexus-scoped-query-bench");
        Path file = dir.resolve("registry.db");
        RegistryFiles.demo(file, 30_000);
        registry = RegistryFiles.open(file, 4);
        rma = RmaBackends.heap(registry.banks());
        parser = Executors.newCachedThreadPool(QueryComponent.daemon("bench-parse"));
        timer = Executors.newSingleThreadScheduledExecutor(QueryComponent.daemon("bench-timeout"));
        sql = "SELECT " + columns + " FROM tags LIMIT 10000";
        // scopes cost SQLite: measured without the result cache, which would skip it
        engine = new QueryEngine(new Limits(10_000, 100_000, 5_000, 65_536, 256, 4_096, 256), Admission.defaults(5_000), 0,
                parser, timer);
        access = access(scope);
        int rows = engine.select(registry, rma, access, sql, QueryOptions.DEFAULT).rows().size();
        if (rows != 10_000) {
            throw new IllegalStateException("scope " + scope + " answers " + rows + " rows, not 10000");
        }
    }

    static Access access(String globs) {
        PathScope read = new PathScope(List.of(globs.split(";")));
        return read.isAll() ? Access.UNRESTRICTED
                : new Access(new TreeSet<>(Set.of("area-viewer")), EnumSet.of(Permission.READ), read, PathScope.NONE, 0, 0);
    }

    @TearDown(Level.Trial)
    public void report() throws IOException {
        // What a scope's first query pays: its connections opened and the scope laid over each.
        int runs = 5;
        long build = 0;
        for (int i = 0; i < runs; i++) {
            try (QueryEngine fresh = new QueryEngine(new Limits(10_000, 100_000, 5_000, 65_536, 256, 4_096, 256),
                    Admission.defaults(5_000), 0, parser, timer)) {
                long t0 = System.nanoTime();
                fresh.select(registry, rma, access, "SELECT 1", QueryOptions.DEFAULT);
                build += System.nanoTime() - t0;
            }
        }
        QueryResult visible = engine.select(registry, rma, access, "SELECT count(*) FROM tags", QueryOptions.DEFAULT);
        if (access != Access.UNRESTRICTED) {
            // Alternated in one JVM (ABBA, so neither side always runs second), so a busy machine
            // slows both sides alike: the ratio is the figure to trust.
            int pairs = 200;
            long[] all = new long[pairs];
            long[] scoped = new long[pairs];
            long[] allSql = new long[pairs];
            long[] scopedSql = new long[pairs];
            for (int i = 0; i < pairs; i++) {
                boolean scopedFirst = i % 2 == 1;
                for (int k = 0; k < 2; k++) {
                    boolean isScoped = scopedFirst == (k == 0);
                    long t0 = System.nanoTime();
                    QueryResult r = engine.select(registry, rma, isScoped ? access : Access.UNRESTRICTED, sql,
                            QueryOptions.DEFAULT);
                    long took = System.nanoTime() - t0;
                    (isScoped ? scoped : all)[i] = took;
                    (isScoped ? scopedSql : allSql)[i] = r.stats().sqlNanos();
                }
            }
            System.out.printf("%n[%s] alternated with the unrestricted query, %d pairs: median %.2f ms scoped against"
                    + " %.2f ms unrestricted, ratio %.2f (SQLite alone: %.2f ms against %.2f ms)%n", scope, pairs,
                    median(scoped) / 1e6, median(all) / 1e6, (double) median(scoped) / median(all), median(scopedSql) / 1e6,
                    median(allSql) / 1e6);
        }
        System.out.printf("%n[%s] sees %s of 30,000 tags; first query of a new scope or version (4 connections"
                + " opened and prepared): %.1f ms mean over %d%n", scope, visible.rows().get(0).cells().get(0), build / 1e6 / runs,
                runs);
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

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    @Benchmark
    public QueryResult select10000Rows() {
        return engine.select(registry, rma, access, sql, QueryOptions.DEFAULT);
    }
}
