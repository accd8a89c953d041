package nexus.alarm.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmEvent;
import nexus.registry.internal.RegistryFiles;
import nexus.rma.RmaBackend;
import nexus.rma.internal.RmaBackends;

/**
 * How fast operator actions are made durable: the fsync latency of the disk under the journal, and
 * acknowledgements per second from one thread (one fsync per action) and from many threads at once
 * (group commit: the actions queued while one fsync runs share the next). A plain main, not a test
 * (nothing is asserted); {@code nexus.bench} does not compile at this landing (issue 11, defect 17).
 *
 * <pre>
 * ./mvnw -B -q verify -pl nexus.alarm -am -DskipITs   # and once: ./mvnw -B -q verify -pl nexus.distro -am -DskipTests
 * java -cp "nexus.distro/target/tools/*:nexus.alarm/target/classes:nexus.alarm/target/test-classes" \
 *     -Dorg.slf4j.simpleLogger.defaultLogLevel=warn nexus.alarm.internal.JournalCommitBench [dir] [alarms] [threads]
 * </pre>
 */
public final class JournalCommitBench {

    private JournalCommitBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : "."), "journal-bench");
        int alarms = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        System.out.printf(Locale.ROOT, "journal in %s, %d alarms, %d threads, %s %s%n", dir, alarms, threads,
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        fsyncLatency(dir);
        for (int round = 0; round < 2; round++) { // the first round warms up
            actions(dir.resolve("one-" + round), alarms / 4, 1, round == 1);
            actions(dir.resolve("group-" + round), alarms, threads, round == 1);
        }
    }

    /** A 100-byte append and fdatasync, as one journal commit of one action does, 500 times. */
    private static void fsyncLatency(Path dir) throws IOException {
        Path file = dir.resolve("fsync");
        long[] nanos = new long[500];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer record = ByteBuffer.allocate(100);
            long position = 0;
            for (int i = 0; i < nanos.length; i++) {
                record.clear();
                long start = System.nanoTime();
                position += channel.write(record, position);
                channel.force(false);
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "fsync (100-byte append + fdatasync): median %.2f ms, p90 %.2f ms, p99 %.2f ms%n",
                nanos[nanos.length / 2] / 1e6, nanos[nanos.length * 9 / 10] / 1e6, nanos[nanos.length * 99 / 100] / 1e6);
    }

    /** Acknowledges every alarm once, from {@code threads} threads, through the engine and its journal. */
    private static void actions(Path dir, int alarms, int threads, boolean report) throws Exception {
        Files.createDirectories(dir);
        StringBuilder list = new StringBuilder("{\"banks\": [{\"name\": \"process\", \"size\": " + alarms * 4
                + "}, {\"name\": \"alarms\", \"size\": " + alarms + "}], \"tags\": [");
        for (int i = 0; i < alarms; i++) {
            list.append(i == 0 ? "" : ",").append("{\"path\": \"t").append(i)
                    .append("\", \"type\": \"FLOAT32\", \"bank\": \"process\"}");
        }
        list.append("], \"alarms\": [");
        for (int i = 0; i < alarms; i++) {
            list.append(i == 0 ? "" : ",").append("{\"name\": \"a").append(i).append("\", \"tag\": \"t").append(i)
                    .append("\", \"condition\": \"HI\", \"limit\": 1}");
        }
        list.append("]}");
        Files.writeString(dir.resolve("plant.json"), list);
        RegistryFiles.importList(dir.resolve("plant.json"), dir.resolve("plant.db"));
        try (RegistryFiles.Opened registry = RegistryFiles.open(dir.resolve("plant.db"), 2)) {
            RmaBackend rma = RmaBackends.heap(registry.banks());
            for (int i = 0; i < alarms; i++) {
                rma.write(registry.tag("t" + i).orElseThrow().allocation(), 5.0f);
            }
            SnapshotStore store = new SnapshotStore(dir.resolve("alarms.snapshot"));
            MemoryAuditTrail trail = new MemoryAuditTrail();
            AtomicInteger events = new AtomicInteger();
            AlarmEngine engine = new AlarmEngine(AlarmEngine.Settings.DEFAULTS, InstantSource.system(), () -> registry,
                    () -> rma, (AlarmEvent e) -> events.incrementAndGet(), store,
                    new ActionAudit(() -> trail, () -> null));
            engine.scan();
            long fsyncsBefore = store.journal().fsyncs();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < alarms; i = next.getAndIncrement()) {
                        engine.act("a" + i, AlarmAction.ACKNOWLEDGE, Plant.by("bench", null));
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            long took = System.nanoTime() - start;
            pool.shutdown();
            long fsyncs = store.journal().fsyncs() - fsyncsBefore;
            if (report) {
                System.out.printf(Locale.ROOT, "%2d thread%s: %d acknowledgements in %.0f ms = %.0f actions/s, %d fsyncs"
                        + " (%.1f actions per fsync)%n", threads, threads == 1 ? " " : "s", alarms, took / 1e6,
                        alarms / (took / 1e9), fsyncs, (double) alarms / fsyncs);
            }
            store.journal().close();
        }
        System.out.flush();
    }
}
