package nexus.query.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.QueryStats;
import nexus.registry.internal.RegistryFiles;
import nexus.rma.RmaBackend;
import nexus.rma.internal.RmaBackends;

/**
 * The whole read path for 10,000 tags of the demo plant: guard, SQLite, plan (cached after the
 * first run, as for any repeated query), block reads from a heap backend, decoding. Sample time, so
 * the median and the tail are both reported; the merge rule is a parameter, to choose its defaults.
 * {@code cache} is the result cache's bound: 0 runs every select cold (guard, SQLite, plan), the
 * default answers every select after the first from the cache (block reads and decoding only).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class QueryBenchmark {

    @Param({ "id", "id, path, unit" })
    String columns;

    @Param({ "256" })
    int gap;

    @Param({ "4096" })
    int block;

    @Param({ "0", "33554432" })
    long cache;

    private Path dir;
    private RegistryFiles.Opened registry;
    private RmaBackend rma;
    private QueryEngine engine;
    private ExecutorService parser;
    private ScheduledExecutorService timer;
    private String sql;

    @Setup(Level.Trial)
    public void plant() throws IOException {
        dir = Files.createTempDirectory("nexus-query-bench");
        Path file = dir.resolve("registry.db");
        RegistryFiles.demo(file, 10_000);
        registry = RegistryFiles.open(file, 4);
        rma = RmaBackends.heap(registry.banks());
        parser = Executors.newCachedThreadPool();
        timer = Executors.newSingleThreadScheduledExecutor();
        sql = "SELECT " + columns + " FROM tags LIMIT 10000";
        engine = new QueryEngine(new Limits(10_000, 100_000, 5_000, 65_536, gap, block, 256), Admission.defaults(5_000),
                cache, parser, timer);
    }

    @TearDown(Level.Trial)
    public void report() throws IOException {
        long guard = 0, inSql = 0, plan = 0, read = 0, decode = 0;
        QueryStats last = null;
        int runs = 200;
        for (int i = 0; i < runs; i++) {
            last = engine.select(registry, rma, sql, QueryOptions.DEFAULT).stats();
            guard += last.guardNanos();
            inSql += last.sqlNanos();
            plan += last.planNanos();
            read += last.readNanos();
            decode += last.decodeNanos();
        }
        System.out.printf("%n[%s] gap %d block %d cache %d: %d rows, %d blocks, %d bytes read for %d tag bytes (%.1f %% gaps);"
                + " mean per phase over %d runs: guard %.3f ms, sql %.3f ms, plan %.3f ms, read %.3f ms, decode %.3f ms%n",
                columns, gap, block, cache, last.rows(), last.blocks(), last.bytesRead(), last.tagBytes(),
                100.0 * last.gapBytes() / last.bytesRead(), runs, guard / 1e6 / runs, inSql / 1e6 / runs, plan / 1e6 / runs,
                read / 1e6 / runs, decode / 1e6 / runs);
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
    public QueryResult select10000Tags() {
        return engine.select(registry, rma, sql, QueryOptions.DEFAULT);
    }
}
