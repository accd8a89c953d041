package nexus.loki.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.alarm.AlarmEvent;
import nexus.core.Severity;

/** The shipping thread against a real HTTP server that checks bodies as Loki does. */
class ShipperTest {

    @TempDir
    Path dir;
    private FakeLoki loki;
    private final LokiStats stats = new LokiStats();
    private Shipper shipper;

    @BeforeEach
    void start() throws IOException {
        loki = new FakeLoki();
    }

    @AfterEach
    void stop() {
        if (shipper != null) {
            shipper.stop(client(Map.of()));
        }
        loki.close();
    }

    private Map<String, Object> config(Object... pairs) {
        Map<String, Object> config = new HashMap<>();
        config.put("url", loki.url());
        config.put("node", "n1");
        config.put("batch_wait", 50L);
        config.put("retry_min", 20L);
        config.put("retry_max", 100L);
        for (int i = 0; i < pairs.length; i += 2) {
            config.put((String) pairs[i], pairs[i + 1]);
        }
        return config;
    }

    private LokiClient client(Map<String, Object> config) {
        Map<String, Object> all = config(new Object[0]);
        all.putAll(config);
        return new LokiClient(Configs.settings(all));
    }

    /** @param before events queued before the thread starts (so that they form one batch) */
    private Shipper shipper(Map<String, Object> config, Spool spool, AlarmEvent... before) {
        LokiSettings settings = Configs.settings(config);
        Shipper started = new Shipper(settings, new LokiClient(settings), spool, stats, new java.util.HashMap<>());
        offer(started, before);
        started.start();
        return started;
    }

    private static void offer(Shipper shipper, AlarmEvent... events) {
        for (AlarmEvent event : events) {
            shipper.offer(event);
        }
    }

    @Test
    void eventsArriveGzippedWithTenantAndAuthAsLokiAcceptsThem() {
        shipper = shipper(config("tenant", "plant1", "token", "tok"), null);

        offer(shipper, Events.activated(1, "a", Severity.HIGH, Events.T0), Events.acknowledged(2, "a", Events.T0));

        Await.until("two entries arrive", () -> loki.accepted().size() == 2);
        FakeLoki.Request request = loki.requests().get(0);
        assertThat(request.status()).isEqualTo(204);
        assertThat(request.encoding()).isEqualTo("gzip");
        assertThat(request.tenant()).isEqualTo("plant1");
        assertThat(request.authorization()).isEqualTo("Bearer tok");
        FakeLoki.Pushed ack = loki.accepted().stream().filter(p -> p.stream().get("kind").equals("audit")).findFirst()
                .orElseThrow();
        assertThat(ack.json().path("user").asText()).isEqualTo("alice");
        assertThat(ack.metadata()).containsEntry("alarm", "a").containsEntry("tag", "a/pv");
        Await.until("counted", () -> stats.sentTotal() == 2);
    }

    @Test
    void batchesHoldAtMostBatchSizeEvents() {
        shipper = shipper(config("batch_size", 10, "batch_wait", 2000L), null, Events.storm(25));

        Await.until("25 entries arrive", () -> loki.accepted().size() == 25);
        assertThat(loki.requests()).extracting(FakeLoki.Request::entries).allMatch(n -> n <= 10);
        assertThat(loki.requests().get(0).entries()).as("a full batch goes at once").isEqualTo(10);
    }

    @Test
    void aLoneEventLeavesWhenBatchWaitHasPassed() {
        shipper = shipper(config("batch_size", 1000, "batch_wait", 100L), null);

        offer(shipper, Events.activated(1, "a", Severity.LOW, Events.T0));

        Await.until("the entry arrives", () -> loki.accepted().size() == 1);
    }

    @Test
    void aStormOfOneMillisecondKeepsEveryEntryDistinct() {
        shipper = shipper(config("batch_size", 500), null);

        offer(shipper, Events.storm(2000));

        Await.until("2000 entries arrive", () -> loki.accepted().size() == 2000);
        Set<String> timestamps = new HashSet<>();
        loki.accepted().forEach(p -> timestamps.add(p.stream() + "|" + p.ts()));
        assertThat(timestamps).as("no two entries of a stream share a timestamp").hasSize(2000);
    }

    @Test
    void retryableAnswersAreRetriedUntilLokiTakesTheBatch() {
        loki.answer(500, 429, 503);

        shipper = shipper(config(), null, Events.storm(3));

        Await.until("the batch arrives after three failures", () -> stats.sentTotal() == 3);
        assertThat(loki.accepted()).hasSize(3);
        assertThat(loki.requests()).extracting(FakeLoki.Request::status).containsExactly(500, 429, 503, 204);
        assertThat(stats.retried.get()).isEqualTo(9);
        assertThat(stats.droppedTotal()).isZero();
        assertThat(stats.lastError()).isEqualTo("HTTP 503: internal server error");
    }

    @Test
    void aConnectionThatFailsIsRetriedToo() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        shipper = shipper(config("url", "http://127.0.0.1:" + closed), null);

        offer(shipper, Events.activated(1, "a", Severity.HIGH, Events.T0));

        Await.until("two failed attempts", () -> stats.pushesFailed.get() >= 2);
        assertThat(stats.lastError()).startsWith("cannot connect to Loki").doesNotContain("Exception");
        assertThat(shipper.queued()).as("the event waits").isEqualTo(1);
        assertThat(stats.droppedTotal()).isZero();
    }

    @Test
    void aStalledLokiTimesOutAndTheBatchIsRetried() {
        loki.answer(FakeLoki.STALL);

        shipper = shipper(config("timeout_request", 300L), null, Events.storm(2));

        Await.until("the retry after the stall arrives", () -> stats.sentTotal() == 2);
        assertThat(stats.lastError()).isEqualTo("no answer within 300 ms");
        assertThat(stats.retried.get()).isEqualTo(2);
    }

    @Test
    void otherClientErrorsAreNotRetriedButDroppedAndCounted() {
        loki.answer(400);

        shipper = shipper(config(), null, Events.storm(4));
        Await.until("the refusal is counted", () -> stats.dropped(LokiStats.Drop.REJECTED) == 4);
        offer(shipper, Events.activated(1, "after", Severity.LOW, Events.T0));

        Await.until("the next event goes through", () -> loki.accepted().size() == 1);
        assertThat(loki.requests()).extracting(FakeLoki.Request::status).containsExactly(400, 204);
        assertThat(stats.lastError()).isEqualTo("HTTP 400: entry for stream has timestamp too old");
    }

    @Test
    void whenTheQueueIsFullTheOldestEventsGoAndAreCounted() {
        loki.otherwise(500);
        shipper = shipper(config("queue_size", 5, "batch_size", 2), null);

        offer(shipper, Events.storm(30));

        Await.until("drops are counted", () -> stats.dropped(LokiStats.Drop.QUEUE_FULL) >= 23);
        assertThat(shipper.queued()).isLessThanOrEqualTo(7);
        loki.otherwise(204);
        Await.until("what was kept arrives", () -> loki.accepted().size() == 30 - stats.dropped(LokiStats.Drop.QUEUE_FULL));
        assertThat(loki.accepted().stream().map(p -> p.json().path("alarm").asText()))
                .as("the newest were kept").contains("site1/tank29/level_hi");
    }

    @Test
    void withASpoolEventsSurviveAnOutageAndARestart() {
        loki.otherwise(500);
        Path spoolDir = dir.resolve("spool");
        shipper = shipper(config(), new Spool(spoolDir, 64 << 20, 1000));
        offer(shipper, Events.storm(50));
        Await.until("the failed batch and the queue are spooled", () -> shipper.spooled() == 50);

        shipper.stop(client(Map.of("timeout_request", 200L)));
        Spool reopened = new Spool(spoolDir, 64 << 20, 1000);
        assertThat(reopened.entries()).isEqualTo(50);
        loki.otherwise(204);
        shipper = shipper(config(), reopened);
        offer(shipper, Events.activated(9, "after-restart", Severity.HIGH, Events.T0));

        Await.until("all 51 arrive", () -> loki.accepted().size() == 51);
        Await.until("the spool empties", () -> shipper.spooled() == 0);
        assertThat(stats.droppedTotal()).isZero();
        Set<String> timestamps = new HashSet<>();
        loki.accepted().forEach(p -> timestamps.add(p.stream() + "|" + p.ts()));
        assertThat(timestamps).as("the event after the restart did not reuse a spooled timestamp").hasSize(51);
        assertThat(spoolDir.toFile().list()).isEmpty();
    }

    @Test
    void duringAnOutageWaitingEventsReachTheSpoolWithoutAStopAndSurviveACrash() throws IOException {
        Path spoolDir = dir.resolve("spool");
        int events = 0;
        try (FakeLoki down = new FakeLoki()) {
            down.otherwise(503);
            Map<String, Object> outage = config("url", down.url(), "spool_flush", 100L, "retry_min", 300L,
                    "retry_max", 600L);
            Shipper crashed = shipper(outage, new Spool(spoolDir, 64 << 20, 1000), Events.storm(10));
            events += 10;
            Await.until("the first push failed", () -> stats.pushesFailed.get() >= 1);
            for (int burst = 0; burst < 5; burst++) {
                for (int i = 0; i < 100; i++) {
                    offer(crashed, Events.activated(events, "site1/outage" + events + "/level_hi", Severity.HIGH,
                            Events.T0));
                    events++;
                }
                long expected = events;
                Await.until("burst " + burst + " is on disk", () -> OnDisk.entries(spoolDir) == expected);
            }
            // the spool thread counts a written batch out of memory a moment after it is on disk
            Await.until("nothing waits in memory only", () -> crashed.queued() == 0);
            // A crash: the shipper is abandoned, never stopped; whatever it held in memory is gone.
        }

        loki.otherwise(204);
        shipper = shipper(config(), new Spool(spoolDir, 64 << 20, 1000));

        int all = events;
        Await.until("every event arrives", () -> loki.accepted().size() == all);
        Await.until("the spool empties", () -> OnDisk.entries(spoolDir) == 0 && shipper.spooled() == 0);
        assertThat(loki.requests()).extracting(FakeLoki.Request::status).containsOnly(204);
        assertThat(loki.requests().stream().mapToInt(FakeLoki.Request::entries).sum()).as("each event pushed once")
                .isEqualTo(all);
        Await.until("counted once each", () -> stats.sentTotal() == all);
        assertThat(loki.accepted().stream().map(p -> p.json().path("alarm").asText()).distinct()).hasSize(all);
        assertIncreasingWithinEachStream(loki.accepted());
    }

    /**
     * With a spool, twice queue.size entries may wait in memory while the spool thread writes them:
     * a burst of that size is spooled whole, however slow the disk. Also a measurement:
     * {@code -Dloki.burst=<events>} sets the burst (30000 by default); the rate is printed.
     */
    @Test
    void aBurstOfTwiceTheQueueDuringAnOutageIsSpooledWhole() {
        int events = Integer.getInteger("loki.burst", 30_000) / 2 * 2;
        loki.otherwise(503);
        Path spoolDir = dir.resolve("spool");
        shipper = shipper(config("retry_min", 60_000L, "retry_max", 60_000L, "queue_size", events / 2),
                new Spool(spoolDir, 1L << 30, 1000), Events.storm(1));
        Await.until("the first push failed", () -> stats.pushesFailed.get() == 1 && shipper.spooled() == 1);

        long started = System.nanoTime();
        for (int i = 1; i <= events; i++) {
            shipper.offer(Events.activated(i, "site1/burst" + i + "/level_hi", Severity.HIGH, Events.T0));
        }
        long offered = System.nanoTime();
        Await.until("all on disk", () -> shipper.spooled() == events + 1);
        long spooled = System.nanoTime();

        assertThat(OnDisk.entries(spoolDir)).isEqualTo(events + 1);
        assertThat(shipper.queued()).isZero();
        assertThat(stats.droppedTotal()).isZero();
        System.out.printf("loki spool burst: %d events offered in %d ms, all on disk after %d ms = %.0f events/s%n",
                events, (offered - started) / 1_000_000, (spooled - started) / 1_000_000,
                events / ((spooled - started) / 1e9));
    }

    @Test
    void aFullQueueGoesToTheSpoolAtOnceNotSpoolFlushLater() {
        loki.otherwise(503);
        Path spoolDir = dir.resolve("spool");
        shipper = shipper(config("queue_size", 100, "batch_size", 10, "spool_flush", 60_000L, "retry_min", 60_000L,
                "retry_max", 60_000L), new Spool(spoolDir, 64 << 20, 10), Events.storm(1));
        Await.until("the first push failed", () -> stats.pushesFailed.get() == 1 && shipper.spooled() == 1);

        offer(shipper, Events.storm(100));

        // The queue is emptied once its events are on disk: the count follows the write, so both are awaited.
        Await.until("the full queue is on disk, long before spool.flush",
                () -> OnDisk.entries(spoolDir) == 101 && shipper.queued() == 0);
        assertThat(stats.droppedTotal()).isZero();
    }

    @Test
    void theBatchOfAPushLokiDoesNotAnswerIsOnDiskAndCountedOnceWhenItIsTaken() {
        loki.answer(FakeLoki.STALL);
        Path spoolDir = dir.resolve("spool");
        shipper = shipper(config("spool_flush", 100L, "timeout_request", 25_000L), new Spool(spoolDir, 64 << 20, 1000),
                Events.storm(5));

        Await.until("the stalled batch is on disk", () -> OnDisk.entries(spoolDir) == 5);
        loki.release();

        Await.until("delivered", () -> loki.accepted().size() == 5);
        Await.until("the copy on disk is gone", () -> OnDisk.entries(spoolDir) == 0 && shipper.spooled() == 0);
        offer(shipper, Events.activated(9, "after", Severity.LOW, Events.T0));
        Await.until("the next event arrives", () -> loki.accepted().size() == 6);
        Await.until("counted", () -> stats.sentTotal() == 6);
        assertThat(loki.requests()).extracting(FakeLoki.Request::entries).containsExactly(5, 1);
    }

    @Test
    void theCopyOfAnUnansweredPushThatThenFailsIsShippedFromTheSpoolOnce() {
        loki.answer(FakeLoki.STALL);
        Path spoolDir = dir.resolve("spool");
        shipper = shipper(config("spool_flush", 100L, "timeout_request", 1500L), new Spool(spoolDir, 64 << 20, 1000),
                Events.storm(5));

        Await.until("the unanswered batch is on disk", () -> OnDisk.entries(spoolDir) == 5);
        Await.until("the push timed out", () -> stats.pushesFailed.get() == 1);
        Await.until("delivered from the spool", () -> loki.accepted().size() == 5);
        Await.until("the spool empties", () -> OnDisk.entries(spoolDir) == 0 && shipper.spooled() == 0);
        Await.until("counted", () -> stats.sentTotal() == 5);
        assertThat(stats.retried.get()).isEqualTo(5);
        assertThat(stats.droppedTotal()).isZero();
        assertThat(shipper.queued()).isZero();
        assertThat(stats.lastError()).isEqualTo("no answer within 1500 ms");
        assertThat(loki.requests()).as("answered: the one push from the spool (the stalled one still hangs)")
                .extracting(FakeLoki.Request::entries).containsExactly(5);
    }

    @Test
    void whenLokiAnswersTooSlowlyForTheRateTheWaitingEventsGoToTheSpool() {
        // Every push answered well within spool.flush, but one event per push cannot keep up with 60.
        loki.delay(30);
        Path spoolDir = dir.resolve("spool");
        shipper = shipper(config("batch_size", 1, "batch_wait", 10L, "spool_flush", 200L),
                new Spool(spoolDir, 64 << 20, 1));
        offer(shipper, Events.activated(0, "warm-up", Severity.LOW, Events.T0));
        Await.until("a first push (the slowest) is through", () -> stats.sentTotal() == 1);

        offer(shipper, Events.storm(60));

        Await.until("the waiting events reach the disk", () -> OnDisk.entries(spoolDir) >= 30);
        Await.until("all arrive", () -> loki.accepted().size() == 61);
        Await.until("the spool empties", () -> OnDisk.entries(spoolDir) == 0);
        Await.until("counted once each", () -> stats.sentTotal() == 61);
        assertThat(loki.requests().stream().mapToInt(FakeLoki.Request::entries).sum()).as("each pushed once")
                .isEqualTo(61);
        assertIncreasingWithinEachStream(loki.accepted());
    }

    /** Loki refuses an entry older than its stream's newest unless configured otherwise. */
    static void assertIncreasingWithinEachStream(List<FakeLoki.Pushed> accepted) {
        Map<Map<String, String>, Long> last = new HashMap<>();
        for (FakeLoki.Pushed entry : accepted) {
            long ts = Long.parseLong(entry.ts());
            Long before = last.put(entry.stream(), ts);
            assertThat(before == null || before < ts).as("%s after %s in %s", ts, before, entry.stream()).isTrue();
        }
    }

    @Test
    void aStopByAnInterruptedThreadStillSpoolsWhatIsLeft() {
        loki.otherwise(500);
        Path spoolDir = dir.resolve("spool");
        shipper = shipper(config("retry_min", 10_000L, "retry_max", 10_000L), new Spool(spoolDir, 64 << 20, 1000),
                Events.storm(5));
        Await.until("spooled after the failure", () -> shipper.spooled() == 5);
        offer(shipper, Events.activated(9, "late", Severity.LOW, Events.T0));

        Thread.currentThread().interrupt();
        try {
            shipper.stop(client(Map.of()));
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        }
        shipper = null;

        assertThat(new Spool(spoolDir, 64 << 20, 1000).entries()).isEqualTo(6);
        assertThat(stats.droppedTotal()).isZero();
    }

    @Test
    void aStoppedShipperTakesNoMoreEvents() {
        shipper = shipper(config(), null);
        shipper.stop(client(Map.of()));

        assertThat(shipper.offer(Events.activated(1, "a", Severity.LOW, Events.T0))).isFalse();
        shipper = null;
    }

    @Test
    void atStopWithoutASpoolTheQueueGetsOneLastPush() {
        loki.answer(500).otherwise(204);
        shipper = shipper(config("retry_min", 10_000L, "retry_max", 10_000L), null, Events.storm(5));
        Await.until("the first push failed", () -> stats.pushesFailed.get() == 1);

        shipper.stop(client(Map.of()));
        shipper = null;

        assertThat(loki.accepted()).hasSize(5);
        assertThat(stats.dropped(LokiStats.Drop.STOPPED)).isZero();
    }

    @Test
    void atStopWithoutASpoolWhatCannotBePushedIsCountedAsDropped() {
        loki.otherwise(500);
        shipper = shipper(config("retry_min", 10_000L, "retry_max", 10_000L), null, Events.storm(5));
        Await.until("the first push failed", () -> stats.pushesFailed.get() == 1);

        shipper.stop(client(Map.of()));
        shipper = null;

        assertThat(stats.dropped(LokiStats.Drop.STOPPED)).isEqualTo(5);
    }

    @Test
    void metricsCarryEveryCounterAndTheLatencyHistogram() {
        shipper = shipper(config(), null);
        offer(shipper, Events.storm(3));
        Await.until("sent", () -> stats.sentTotal() == 3);

        List<nexus.core.MetricFamily> families = stats.metrics(0, 0, 0);

        assertThat(families).extracting(nexus.core.MetricFamily::name).contains("nexus_loki_events_sent_total",
                "nexus_loki_events_retried_total", "nexus_loki_events_dropped_total", "nexus_loki_push_seconds",
                "nexus_loki_queue_events", "nexus_loki_spool_events");
        var histogram = families.stream().filter(f -> f.name().equals("nexus_loki_push_seconds")).findFirst().orElseThrow();
        assertThat(histogram.samples().stream().filter(s -> s.suffix().equals("_count")).findFirst().orElseThrow().value())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void auditRecordsShareTheQueueInOrderAndAreCountedApart() {
        loki.otherwise(500);
        shipper = shipper(config("queue_size", 5, "batch_size", 2), null);

        for (int i = 1; i <= 10; i++) {
            shipper.offer(Audits.write(i, "site1/tank" + i + "/setpoint", 1.0, 2.0, Events.T0));
        }
        offer(shipper, Events.activated(1, "site1/tank1/level_hi", Severity.HIGH, Events.T0));

        Await.until("drops are counted", () -> stats.dropped(LokiStats.Drop.QUEUE_FULL, Entry.Input.AUDIT_RECORD)
                + stats.dropped(LokiStats.Drop.QUEUE_FULL, Entry.Input.ALARM_EVENT) >= 4);
        assertThat(stats.dropped(LokiStats.Drop.QUEUE_FULL, Entry.Input.ALARM_EVENT)).as("the event is the newest").isZero();
        loki.otherwise(204);
        Await.until("what was kept arrives", () -> loki.accepted().size()
                == 11 - stats.dropped(LokiStats.Drop.QUEUE_FULL, Entry.Input.AUDIT_RECORD));
        Await.until("counted", () -> stats.sent(Entry.Input.ALARM_EVENT) == 1);
        assertThat(stats.sent(Entry.Input.AUDIT_RECORD)).isEqualTo(loki.accepted().size() - 1);
        assertThat(loki.accepted().get(loki.accepted().size() - 1).json().path("alarm").asText())
                .as("in the order they came").isEqualTo("site1/tank1/level_hi");
        assertThat(stats.metrics(0, 0, 0)).filteredOn(f -> f.name().equals("nexus_loki_audit_records_dropped_total"))
                .singleElement().satisfies(f -> assertThat(f.samples()).filteredOn(x -> x.labels().get("reason")
                        .equals("queue_full")).singleElement().satisfies(x -> assertThat(x.value())
                                .isEqualTo((double) stats.dropped(LokiStats.Drop.QUEUE_FULL, Entry.Input.AUDIT_RECORD))));
    }
}
