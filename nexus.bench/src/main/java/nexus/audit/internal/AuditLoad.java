package nexus.audit.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import nexus.core.AuditRecord;
import nexus.core.Caller;

/**
 * A load run of the audit trail's append: each call returns only once its record is written and
 * synced, so one thread is bound by the disk's fsync latency, and concurrent threads share fsyncs
 * (group commit). Appends {@code records} records from 1 thread and then from {@code threads}
 * threads into a fresh journal folder (after a warm-up of each), and reports records/s, the mean
 * latency of an append and records per fsync. Nothing is asserted.
 *
 * <p>Run: {@code java -cp nexus.bench/target/benchmarks.jar nexus.audit.internal.AuditLoad [dir] [records] [threads]}
 */
public final class AuditLoad {

    private AuditLoad() {
    }

    public static void main(String[] args) throws Exception {
        Path parent = Path.of(args.length > 0 ? args[0] : ".");
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Path dir = Files.createTempDirectory(parent.toAbsolutePath(), "audit-load");
        System.out.printf(Locale.ROOT, "journal in %s (%s), %d records, %s %s%n", dir, Files.getFileStore(dir).type(),
                records, System.getProperty("java.vm.name"), System.getProperty("java.version"));
        for (int round = 0; round < 2; round++) { // the first round warms up
            run(dir.resolve("one-" + round), records / 4, 1, round == 1);
            run(dir.resolve("many-" + round), records, threads, round == 1);
        }
    }

    private static void run(Path dir, int records, int threads, boolean report) throws Exception {
        JournaledAuditTrail trail = new JournaledAuditTrail(new JournalSettings(dir, 16L * 1024 * 1024, 10));
        trail.probe();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long started = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = thread; i < records; i += threads) {
                        trail.append(AuditRecord.done(Caller.of("operator" + (i % 7), "http 127.0.0.1"),
                                AuditRecord.Target.TAG, "site1/area" + (i % 5) + "/line" + (i % 50) + "/tank" + (i % 40)
                                        + "/setpoint", "write", 21.5, 22.0 + i % 10, null));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            long nanos = System.nanoTime() - started;
            if (report) {
                double syncs = trail.metrics().stream().filter(m -> m.name().equals("nexus_audit_syncs_total"))
                        .findFirst().orElseThrow().samples().get(0).value();
                System.out.printf(Locale.ROOT, "%d thread(s): %d records in %.2f s = %.0f records/s, %.2f ms per append,"
                        + " %.1f records per fsync%n", threads, records, nanos / 1e9, records / (nanos / 1e9),
                        nanos / 1e6 * threads / records, records / syncs);
            }
        } finally {
            pool.shutdown();
            trail.close();
        }
    }
}
