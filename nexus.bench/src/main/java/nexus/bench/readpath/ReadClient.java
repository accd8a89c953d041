package nexus.bench.readpath;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import nexus.bench.stream.LatencyHistogram;

/**
 * A read path measurement from a process of its own (issue 18 item 8; nexus.bench/run.sh, suite readpath):
 * C client threads, each with its own connection, read as fast as answers come back, first for the
 * warm-up seconds (not measured: the JIT, the connections and the server's caches settle), then for
 * the measured seconds. Every answer is received whole, decoded and checked ({@link Reader}): the
 * Milo client decodes every DataValue, so the HTTP reader parses every token. Prints one
 * {@link ReadReport} line; nothing is asserted. {@link ReadOptions#USAGE} lists the options.
 *
 * <p>Run: {@code java -cp nexus.bench/target/benchmarks.jar nexus.bench.readpath.ReadClient --opcua opc.tcp://127.0.0.1:4840/milo}
 */
public final class ReadClient {

    private ReadClient() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.print(ReadOptions.USAGE);
            return;
        }
        ReadOptions options;
        try {
            options = ReadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("read client: " + e.getMessage());
            System.err.print(ReadOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            System.out.println(run(options).line());
        } catch (Exception e) {
            System.err.println("read client: " + options.kind().label + " against " + options.url() + " failed: " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * Opens one reader per client, reads for the warm-up and the measured seconds, closes them.
     *
     * @throws Exception the first failure of any reader: a run with failed reads has no figures
     */
    static ReadReport run(ReadOptions options) throws Exception {
        List<Reader> readers = new ArrayList<>();
        try {
            for (int i = 0; i < options.clients(); i++) {
                readers.add(Reader.open(options));
            }
            long start = System.nanoTime();
            long measureFrom = start + options.warmup() * 1_000_000_000L;
            long measureUntil = measureFrom + options.seconds() * 1_000_000_000L;
            AtomicReference<Exception> failure = new AtomicReference<>();
            List<LatencyHistogram> histograms = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < readers.size(); i++) {
                Reader reader = readers.get(i);
                LatencyHistogram latencies = new LatencyHistogram();
                histograms.add(latencies);
                threads.add(new Thread(() -> readUntil(reader, latencies, measureFrom, measureUntil, failure),
                        "nexus-bench-read-" + i));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            LatencyHistogram all = new LatencyHistogram();
            histograms.forEach(all::add);
            return ReadReport.of(options, all, options.seconds(), ReadReport.loadAverage());
        } finally {
            for (Reader reader : readers) {
                reader.close();
            }
        }
    }

    /** Reads until the end of the measurement or another thread's failure; records reads started in it. */
    private static void readUntil(Reader reader, LatencyHistogram latencies, long measureFrom, long measureUntil,
            AtomicReference<Exception> failure) {
        try {
            while (failure.get() == null) {
                long begin = System.nanoTime();
                if (begin >= measureUntil) {
                    return;
                }
                reader.read();
                if (begin >= measureFrom) {
                    latencies.record(System.nanoTime() - begin);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }
}
