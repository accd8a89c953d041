package nexus.loki.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.Health;
import nexus.core.HealthStatus;
import nexus.core.MetricFamily;
import nexus.core.Severity;

/** The component through its constructor: configuration, health, metrics and the console text. */
class LokiSinkTest {

    @TempDir
    Path home;
    private FakeLoki loki;
    private LokiSink sink;
    private final GatedSpool.Gate gate = new GatedSpool.Gate();

    @BeforeEach
    void start() throws IOException {
        loki = new FakeLoki();
    }

    @AfterEach
    void stop() {
        gate.open(); // a test that failed must not leave the sink's threads waiting at it
        if (sink != null) {
            sink.deactivate();
        }
        loki.close();
    }

    private Map<String, Object> config(String url) {
        Map<String, Object> config = new HashMap<>();
        config.put("url", url);
        config.put("node", "n1");
        config.put("batch_wait", 20L);
        config.put("retry_min", 20L);
        config.put("retry_max", 50L);
        return config;
    }

    /** @return the sample of a family of the sink's metrics with this reason (null: the family's only sample) */
    private static long metric(LokiSink sink, String family, String reason) {
        return (long) sink.metrics().stream().filter(f -> f.name().equals(family)).findFirst().orElseThrow().samples()
                .stream().filter(s -> reason == null || reason.equals(s.labels().get("reason"))).findFirst()
                .orElseThrow().value();
    }

    /** @return the console's line of dropped alarm events */
    private static String eventDrops(LokiSink sink) {
        return sink.loki().lines().filter(line -> line.startsWith("  dropped")).findFirst().orElseThrow();
    }

    @Test
    void withoutAUrlTheSinkIsIdleAndSaysSo() {
        sink = new LokiSink("/tmp", Configs.loki(Map.of()));
        sink.publish(Events.activated(1, "a", Severity.HIGH, Events.T0));

        Health health = sink.health();

        assertThat(health.status()).isEqualTo(HealthStatus.UP);
        assertThat(health.detail()).startsWith("idle: no url");
        assertThat(sink.required()).isFalse();
        assertThat(sink.loki()).contains("no_url 1");
    }

    @Test
    void itShipsAndReportsWhatItDid() {
        sink = new LokiSink("/tmp", Configs.loki(config(loki.url())));

        sink.publish(Events.activated(1, "a", Severity.HIGH, Events.T0));

        Await.until("the entry arrives", () -> loki.accepted().size() == 1);
        Await.until("counted", () -> sink.health().detail().contains("last success")
                && sink.health().detail().contains("queue 0, spooled 0, sent 1"));
        Health health = sink.health();
        assertThat(health.status()).isEqualTo(HealthStatus.UP);
        assertThat(health.detail()).startsWith("shipping to " + loki.url() + "/loki/api/v1/push, last success ");
        assertThat(health.data()).containsEntry("queue", 0).containsKey("lastSuccess");
        assertThat(sink.metrics()).extracting(MetricFamily::name).contains("nexus_loki_events_sent_total");
        assertThat(sink.loki()).contains("sent 1, retried 0");
    }

    @Test
    void whileLokiFailsTheSinkIsDownButOptional() {
        loki.otherwise(503);
        sink = new LokiSink("/tmp", Configs.loki(config(loki.url())));

        sink.publish(Events.activated(1, "a", Severity.HIGH, Events.T0));

        Await.until("DOWN", () -> sink.health().status() == HealthStatus.DOWN);
        assertThat(sink.health().detail()).contains("failing since").contains("HTTP 503").contains("queue 1");
        loki.otherwise(204);
        Await.until("UP again", () -> sink.health().status() == HealthStatus.UP);
        assertThat(loki.accepted()).hasSize(1);
    }

    @Test
    void withoutANodeTheNodeLabelIsTheMachinesHostName() throws IOException {
        Map<String, Object> config = config(loki.url());
        config.remove("node");
        sink = new LokiSink("/tmp", Configs.loki(config));

        sink.publish(Events.activated(1, "a", Severity.HIGH, Events.T0));

        Await.until("the entry arrives", () -> loki.accepted().size() == 1);
        assertThat(loki.accepted().get(0).stream()).containsEntry("node",
                java.net.InetAddress.getLocalHost().getHostName());
    }

    @Test
    void aRefusedConfigurationKeepsTheLastGoodOne() {
        sink = new LokiSink("/tmp", Configs.loki(config(loki.url())));
        Map<String, Object> bad = config(loki.url());
        bad.put("labels", "tag=x");

        sink.modified(Configs.loki(bad));

        assertThat(sink.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(sink.health().detail()).contains("configuration refused: labels: label 'tag' would carry high cardinality");
        sink.publish(Events.activated(1, "still shipping", Severity.HIGH, Events.T0));
        Await.until("shipped with the old configuration", () -> loki.accepted().size() == 1);

        sink.modified(Configs.loki(config(loki.url())));
        assertThat(sink.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aBadConfigurationAtStartLeavesTheSinkIdleAndSaysWhy() {
        sink = new LokiSink("/tmp", Configs.loki(config("loki:3100")));

        assertThat(sink.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(sink.health().detail()).contains("url 'loki:3100' is not an http(s) URL");
        assertThat(sink.settings()).isNull();
    }

    @Test
    void aNewUrlTakesEffectWithoutLosingQueuedEvents() throws IOException {
        try (FakeLoki other = new FakeLoki()) {
            sink = new LokiSink("/tmp", Configs.loki(config(loki.url())));

            sink.modified(Configs.loki(config(other.url())));
            sink.publish(Events.activated(1, "a", Severity.HIGH, Events.T0));

            Await.until("the new Loki gets it", () -> other.accepted().size() == 1);
            assertThat(loki.accepted()).isEmpty();
        }
    }

    @Test
    void eventsPublishedWhileTheSinkIsReconfiguredAreNotLost() throws Exception {
        try (FakeLoki other = new FakeLoki()) {
            sink = new LokiSink("/tmp", Configs.loki(config(loki.url())));
            int events = 3000;
            Thread publisher = new Thread(() -> {
                for (int i = 0; i < events; i++) {
                    sink.publish(Events.activated(i, "alarm" + i, Severity.HIGH, Events.T0));
                }
            });
            publisher.start();
            for (int i = 0; i < 4; i++) {
                sink.modified(Configs.loki(config(i % 2 == 0 ? other.url() : loki.url())));
            }
            publisher.join();

            Await.until("every event arrives somewhere", () -> loki.accepted().size() + other.accepted().size() == events);
            assertThat(eventDrops(sink)).contains("stopped 0").contains("no_url 0");
        }
    }

    @Test
    void everyAuditRecordArrivesInTheAuditStream() {
        sink = new LokiSink("/tmp", Configs.loki(config(loki.url())));

        sink.accept(Audits.write(7, "site1/line9/tank2/setpoint", 21.5, 22.0, Events.T0));
        sink.publish(Events.activated(1, "a", Severity.HIGH, Events.T0));

        Await.until("both arrive", () -> loki.accepted().size() == 2);
        FakeLoki.Pushed record = loki.accepted().stream().filter(p -> p.json().has("record")).findFirst().orElseThrow();
        assertThat(record.stream()).containsOnly(Map.entry("job", "rma-nexus"), Map.entry("node", "n1"),
                Map.entry("kind", "audit"));
        assertThat(record.json().path("record").asText()).isEqualTo("audit");
        assertThat(record.json().path("sequence").asLong()).isEqualTo(7);
        assertThat(record.metadata()).containsOnly(Map.entry("tag", "site1/line9/tank2/setpoint"));
        Await.until("counted", () -> sink.loki().contains("audit records: sent 1, dropped"));
        assertThat(sink.loki()).contains("sent 1, retried 0");
        assertThat(sink.metrics()).extracting(MetricFamily::name).contains("nexus_loki_audit_records_sent_total",
                "nexus_loki_audit_records_dropped_total");
    }

    @Test
    void withoutAUrlAuditRecordsAreCountedAsDroppedApartFromEvents() {
        sink = new LokiSink("/tmp", Configs.loki(Map.of()));

        sink.accept(Audits.acknowledge(1, "a", Events.T0));
        sink.accept(Audits.acknowledge(2, "a", Events.T0));

        assertThat(eventDrops(sink)).contains("no_url 0");
        assertThat(sink.loki()).contains("audit records: sent 0, dropped queue_full 0 rejected 0 spool_full 0"
                + " spool_corrupt 0 stopped 0 no_url 2");
    }

    @Test
    void auditRecordsAcceptedWhileTheSinkIsReconfiguredAreNotLost() throws Exception {
        try (FakeLoki other = new FakeLoki()) {
            sink = new LokiSink("/tmp", Configs.loki(config(loki.url())));
            int records = 2000;
            Thread appender = new Thread(() -> {
                for (int i = 1; i <= records; i++) {
                    sink.accept(Audits.write(i, "t" + i, 0, i, Events.T0));
                }
            });
            appender.start();
            for (int i = 0; i < 4; i++) {
                sink.modified(Configs.loki(config(i % 2 == 0 ? other.url() : loki.url())));
            }
            appender.join();

            Await.until("every record arrives somewhere", () -> loki.accepted().size() + other.accepted().size() == records);
            // a push is counted once its answer is back, a moment after the stand-in took it
            String counted = "audit records: sent " + records + ", dropped queue_full 0 rejected 0 spool_full 0 spool_corrupt 0"
                    + " stopped 0 no_url 0";
            Await.until("every record counted as sent", () -> sink.loki().contains(counted));
            assertThat(loki.accepted().size() + other.accepted().size()).as("and none twice").isEqualTo(records);
        }
    }

    @Test
    void aStormWithLokiDownAndTheSpoolBlockedNeverWaitsAndNeverTouchesTheDiskOnTheCallersThread() {
        int queue = 100;
        int storm = 2 * queue + 50;
        loki.otherwise(503);
        Map<String, Object> config = config(loki.url());
        config.put("spool_dir", "spool");
        config.put("queue_size", queue);
        config.put("batch_size", 10);
        sink = new LokiSink(home.toString(), Configs.loki(config), gate);
        sink.publish(Events.activated(0, "site1/first/level_hi", Severity.HIGH, Events.T0));
        Await.until("the failed push's batch is being written to the spool, which blocks", () -> gate.waiting() == 1);

        Thread caller = new Thread(() -> {
            for (int i = 1; i <= storm; i++) {
                if (i % 2 == 0) {
                    sink.accept(Audits.write(i, "site1/tank" + i + "/setpoint", 1.0, 2.0, Events.T0));
                } else {
                    sink.publish(Events.activated(i, "site1/tank" + i + "/level_hi", Severity.HIGH, Events.T0));
                }
            }
        }, "storm");
        caller.start();

        Await.until("every publish and accept of the storm returned, the spool still blocked", () -> !caller.isAlive());
        assertThat(gate.waiting()).as("the spool's write is still blocked").isPositive();
        assertThat(metric(sink, "nexus_loki_events_dropped_total", "queue_full")
                + metric(sink, "nexus_loki_audit_records_dropped_total", "queue_full"))
                .as("twice queue.size wait in memory: the oldest beyond them are dropped, counted under their input")
                .isEqualTo(storm - 2 * queue);
        assertThat(sink.health().data()).as("in memory only: the failed batch being written, and the rest")
                .containsEntry("queue", 1 + 2 * queue);

        gate.open();
        loki.otherwise(204);
        Await.until("what was kept arrives", () -> loki.accepted().size() == 1 + 2 * queue);
        Await.until("each input's entries counted as sent or dropped",
                () -> metric(sink, "nexus_loki_events_sent_total", null)
                        + metric(sink, "nexus_loki_events_dropped_total", "queue_full") == 1 + storm / 2
                        && metric(sink, "nexus_loki_audit_records_sent_total", null)
                                + metric(sink, "nexus_loki_audit_records_dropped_total", "queue_full") == storm / 2);
        ShipperTest.assertIncreasingWithinEachStream(loki.accepted());
        assertThat(gate.threads()).as("every spool read and write ran on the sink's own threads")
                .isNotEmpty().extracting(Thread::getName).allMatch(name -> name.equals("nexus-loki-push")
                        || name.equals("nexus-loki-spool"));
        assertThat(gate.threads()).doesNotContain(caller, Thread.currentThread());
    }

    /** A tag value that notes every thread that turns it into JSON text. */
    private static final class Watched extends Number {
        private static final long serialVersionUID = 1L;
        final java.util.Set<Thread> encodedOn = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public double doubleValue() {
            encodedOn.add(Thread.currentThread());
            return 42.5;
        }

        @Override
        public String toString() {
            encodedOn.add(Thread.currentThread());
            return "42.5";
        }

        @Override
        public int intValue() {
            return 42;
        }

        @Override
        public long longValue() {
            return 42;
        }

        @Override
        public float floatValue() {
            return 42.5f;
        }
    }

    @Test
    void publishAndAcceptOnlyQueueTheLineIsBuiltOnTheSinksThread() {
        sink = new LokiSink("/tmp", Configs.loki(config(loki.url())));
        Watched value = new Watched();
        nexus.alarm.AlarmEvent event = new nexus.alarm.AlarmEvent(1, Events.T0, nexus.alarm.AlarmEventType.ACTIVATED,
                nexus.alarm.AlarmEvent.Kind.ALARM, "a", "a/pv", value, Severity.HIGH, nexus.alarm.AlarmState.NORMAL,
                nexus.alarm.AlarmState.UNACK_ALARM, null, null, null, null, "level high");

        sink.publish(event);
        sink.accept(Audits.write(2, "a/sp", 1.0, value, Events.T0));

        Await.until("both entries arrive", () -> loki.accepted().size() == 2);
        assertThat(loki.accepted()).extracting(FakeLoki.Pushed::line)
                .anyMatch(line -> line.contains("\"value\":42.5")).anyMatch(line -> line.contains("\"after\":42.5"));
        assertThat(value.encodedOn).as("the lines were built on the sink's push thread, not the publishing one")
                .isNotEmpty().doesNotContain(Thread.currentThread()).extracting(Thread::getName)
                .containsOnly("nexus-loki-push");
    }
}
