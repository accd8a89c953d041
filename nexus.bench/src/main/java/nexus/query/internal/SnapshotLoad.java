package nexus.query.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import nexus.core.AccessPolicy;
import nexus.core.AuditTrail;
import nexus.core.Caller;
import nexus.query.RestoreOptions;
import nexus.query.RestoreResult;
import nexus.query.SnapshotFormat;
import nexus.query.SnapshotService;
import nexus.query.SnapshotSummary;
import nexus.registry.Contribution;
import nexus.registry.Registry;
import nexus.registry.RegistryStatus;
import nexus.registry.TagRegistry;
import nexus.registry.ValidationReport;
import nexus.registry.internal.RegistryFiles;
import nexus.rma.RmaBackend;
import nexus.rma.internal.RmaBackends;

/**
 * The time and memory of a snapshot of the demo plant at any size (issue 16): generates the plant,
 * then exports it to a file in each format, sampling the heap in use every 10 ms (the peak above the
 * heap in use before the export, after a GC, is what the export holds), then, when the file is within
 * a restore's bound, times a dry run of its restore. Run with a small {@code -Xmx} to show that the
 * export's memory does not grow with the plant.
 *
 * <pre>
 * java -Xmx2g -cp nexus.bench/target/benchmarks.jar nexus.query.internal.SnapshotLoad &lt;tags&gt; &lt;registry.db&gt;
 * </pre>
 *
 * The registry file is generated when it does not exist (the generator needs a large heap), and
 * reused when it does, so the export can then run in a small one.
 */
public final class SnapshotLoad {

    private SnapshotLoad() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path db = Path.of(args.length > 1 ? args[1] : "registry.db").toAbsolutePath();
        if (!Files.exists(db)) {
            long t0 = System.nanoTime();
            RegistryFiles.demo(db, count);
            System.out.printf("generated %,d tags in %,d ms%n", count, (System.nanoTime() - t0) / 1_000_000);
        }
        Path dir = Files.createTempDirectory(db.getParent(), "nexus-snapshot-load");
        try (RegistryFiles.Opened registry = RegistryFiles.open(db, 4)) {
            RmaBackend rma = RmaBackends.heap(registry.banks());
            Sources sources = new Sources(registry, rma);
            try (QueryEngine engine = new QueryEngine(Limits.DEFAULT, Executors.newCachedThreadPool(QueryComponent.daemon("bench-parse")),
                    Executors.newSingleThreadScheduledExecutor(QueryComponent.daemon("bench-timeout")))) {
                SnapshotService snapshots = new Snapshots(engine, sources, new Tags(engine, sources));
                Caller root = Caller.of("bench", java.util.Set.of(nexus.core.Access.ADMIN), "bench");
                for (SnapshotFormat format : SnapshotFormat.values()) {
                    Path file = dir.resolve("snapshot." + format.wireName());
                    for (int shot = 1; shot <= 2; shot++) {
                        export(snapshots, root, format, file, shot);
                    }
                    if (Files.size(file) <= SnapshotService.RESTORE_MAX_BYTES) {
                        Heap heap = Heap.start();
                        long r0 = System.nanoTime();
                        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                            RestoreResult dry = snapshots.restore(root, in, RestoreOptions.dryRun(false));
                            System.out.printf("  restore dry run of %,d tags: %,d ms (%d changes); %s%n", dry.tags(),
                                    (System.nanoTime() - r0) / 1_000_000, dry.changes().size(), heap.stop());
                        }
                    }
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void export(SnapshotService snapshots, Caller root, SnapshotFormat format, Path file, int shot)
            throws IOException, InterruptedException {
        Heap heap = Heap.start();
        long t0 = System.nanoTime();
        SnapshotSummary summary;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            summary = snapshots.export(root, format, out);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("%s shot %d: %,d tags in %,d ms (%,.0f tags/s), %,d bytes; %s%n", format.wireName(), shot,
                summary.tags(), millis, summary.tags() * 1000.0 / Math.max(1, millis), Files.size(file), heap.stop());
    }

    /** Samples the heap in use every 10 ms from a GC'd start. */
    private static final class Heap {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private long before;
        private Thread sampler;

        static Heap start() {
            Heap heap = new Heap();
            System.gc();
            heap.before = heap.memory.getHeapMemoryUsage().getUsed();
            heap.peak.set(heap.before);
            heap.sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    heap.peak.accumulateAndGet(heap.memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "nexus-bench-heap");
            heap.sampler.setDaemon(true);
            heap.sampler.start();
            return heap;
        }

        String stop() throws InterruptedException {
            sampler.interrupt();
            sampler.join();
            return String.format("heap before %,d MB, peak %,d MB, max %,d MB", before >> 20, peak.get() >> 20,
                    memory.getHeapMemoryUsage().getMax() >> 20);
        }
    }

    /** The registry file and backend as the tag service's sources; no writes happen here. */
    private record Sources(Registry served, RmaBackend rma) implements TagSources {
        @Override
        public TagRegistry registry() {
            return new TagRegistry() {
                @Override
                public Registry current() {
                    return served;
                }

                @Override
                public RegistryStatus status() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Optional<String> writesRefused() {
                    return Optional.empty();
                }

                @Override
                public String confirmFallback(String user) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public ValidationReport validate(Path registryFile) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public ValidationReport importList(Path list, Path target) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void exportList(Path registryFile, Path list) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public ValidationReport contribute(Contribution contribution) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void withdraw(String owner) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public RmaBackend backend() {
            return rma;
        }

        @Override
        public AuditTrail audit() {
            return null;
        }

        @Override
        public AccessPolicy policy() {
            return null;
        }
    }
}
