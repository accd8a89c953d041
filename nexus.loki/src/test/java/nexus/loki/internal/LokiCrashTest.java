package nexus.loki.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real crashes: the sink runs in a child JVM ({@link SinkProcess}) and is killed with SIGKILL
 * ({@link Process#destroyForcibly}), so nothing in its memory survives and nothing is stopped
 * gracefully; then a new sink on the same home ships what the disk kept. The kill moment of the
 * random test is chosen by a seed that is printed (replay with {@code -Dloki.crash.seed=<seed>}).
 */
class LokiCrashTest {

    @TempDir
    Path temp;
    /** The node's home folder (its spool is {@code spool} in it): a fresh one for each crash. */
    private Path home;
    private FakeLoki loki;
    private Process child;
    private LokiSink restarted;

    @BeforeEach
    void start() throws IOException {
        home = temp;
        loki = new FakeLoki();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (child != null) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (restarted != null) {
            restarted.deactivate();
        }
        loki.close();
    }

    /** Starts the sink in a child JVM; its "published n" lines count into {@code published}. */
    private Process sinkProcess(AtomicLong published, int events, int perSecond, String... config) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SinkProcess.class.getName(), home.toString(), loki.url(),
                Integer.toString(events), Integer.toString(perSecond)));
        command.addAll(List.of(config));
        Process process = new ProcessBuilder(command).redirectError(home.resolve("sink.log").toFile()).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("published ")) {
                        published.set(Long.parseLong(line.substring("published ".length())));
                    }
                }
            } catch (IOException e) {
                // the process was killed: what it printed until then is counted
            }
        }, "sink-process-stdout");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private void kill() throws InterruptedException {
        child.destroyForcibly();
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("the sink process is dead").isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    }

    private LokiSink restart() {
        Map<String, Object> config = new HashMap<>();
        config.put("url", loki.url());
        config.put("node", "crash");
        config.put("spool_dir", "spool");
        config.put("batch_wait", 50L);
        config.put("retry_min", 20L);
        config.put("retry_max", 100L);
        return new LokiSink(home.toString(), Configs.loki(config));
    }

    private long delivered() {
        return loki.accepted().stream().map(p -> p.json().path("alarm").asText()).distinct().count();
    }

    @Test
    void aSinkKilledDuringAnOutageHasEveryEventOnDiskAndLosesNone() throws Exception {
        loki.otherwise(503);
        AtomicLong published = new AtomicLong();
        int events = 2000;
        // Over two seconds: most events come after the first push failed, while the sink retries.
        child = sinkProcess(published, events, 1000, "retry_min=200", "retry_max=400");
        Path spool = home.resolve("spool");

        Await.until("all published", () -> published.get() == events);
        Await.until("all on disk", () -> OnDisk.entries(spool) == events);
        kill();
        loki.otherwise(204);
        restarted = restart();

        Await.until("every event arrives", () -> loki.accepted().size() == events);
        Await.until("the spool empties", () -> OnDisk.entries(spool) == 0);
        assertThat(delivered()).isEqualTo(events);
        assertThat(loki.requests()).filteredOn(r -> r.status() == 204).extracting(FakeLoki.Request::entries)
                .as("each event pushed once after the restart").matches(l -> l.stream().mapToInt(i -> i).sum() == events);
        ShipperTest.assertIncreasingWithinEachStream(loki.accepted());
    }

    @Test
    void aKillAtARandomMomentLosesAtMostWhatWasNotYetOnDisk() throws Exception {
        crashesAtRandom(false);
    }

    @Test
    void aKillAtARandomMomentWithLokiUpLosesAtMostWhatWasNotYetShipped() throws Exception {
        crashesAtRandom(true);
    }

    /**
     * Publishes at a steady rate with the default batching and spool.flush, kills the process after a
     * random number of events, restarts and counts; {@code -Dloki.crash.runs} times (1 by default),
     * at {@code -Dloki.crash.rate} events/s (200). The figures are printed, not asserted (they depend
     * on the machine); asserted is that everything on disk (or in Loki) at the kill arrives, once, in
     * order.
     */
    private void crashesAtRandom(boolean lokiUp) throws Exception {
        long seed = Long.getLong("loki.crash.seed", System.nanoTime());
        int perSecond = Integer.getInteger("loki.crash.rate", 200);
        int runs = Integer.getInteger("loki.crash.runs", 1);
        SplittableRandom random = new SplittableRandom(seed);
        long worst = 0;
        for (int run = 0; run < runs; run++) {
            home = Files.createDirectories(temp.resolve("run" + run)); // a fresh node, spool and Loki each run
            loki.close();
            loki = new FakeLoki();
            long lost = crashOnce(seed, run, lokiUp, perSecond, perSecond + random.nextInt(3 * perSecond));
            worst = Math.max(worst, lost);
        }
        System.out.printf("loki crash seed %d (Loki %s, %d events/s, %d runs): worst loss %d events = %.3f s%n", seed,
                lokiUp ? "up" : "down", perSecond, runs, worst, worst / (double) perSecond);
    }

    /** @return the events lost */
    private long crashOnce(long seed, int run, boolean lokiUp, int perSecond, int killAfter) throws Exception {
        loki.otherwise(lokiUp ? 204 : 503);
        AtomicLong published = new AtomicLong();
        child = sinkProcess(published, 100 * perSecond, perSecond);
        Path spool = home.resolve("spool");

        Await.until(killAfter + " events published", () -> published.get() >= killAfter);
        long safe = lokiUp ? delivered() : OnDisk.entries(spool);
        kill();
        child = null;
        long printed = published.get();
        loki.otherwise(204);
        restarted = restart();

        Await.until("what was safe at the kill arrives", () -> delivered() >= safe);
        Await.until("the spool empties", () -> OnDisk.entries(spool) == 0);
        long arrived = delivered();
        restarted.deactivate();
        restarted = null;
        System.out.printf("loki crash seed %d run %d (Loki %s, %d events/s): published %d, %s at the kill %d,"
                + " delivered %d, lost %d = %.3f s of events%n", seed, run, lokiUp ? "up" : "down", perSecond, printed,
                lokiUp ? "in Loki" : "on disk", safe, arrived, printed - arrived, (printed - arrived) / (double) perSecond);
        assertThat(arrived).as("seed %d run %d: nothing that was safe at the kill is lost", seed, run)
                .isGreaterThanOrEqualTo(safe);
        assertThat(arrived).as("seed %d run %d: nothing arrives that was not published (one may be unprinted)", seed, run)
                .isLessThanOrEqualTo(printed + 1);
        assertThat(loki.accepted()).as("seed %d run %d: each event once", seed, run).hasSize((int) arrived);
        ShipperTest.assertIncreasingWithinEachStream(loki.accepted());
        return Math.max(0, printed - arrived);
    }
}
