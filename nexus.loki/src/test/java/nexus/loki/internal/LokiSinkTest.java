package nexus.loki.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import nexus.core.Health;
import nexus.core.HealthStatus;
import nexus.core.MetricFamily;
import nexus.core.Severity;

/** The component through its constructor: configuration, health, metrics and the console text. */
class LokiSinkTest {

    private FakeLoki loki;
    private LokiSink sink;

    @BeforeEach
    void start() throws IOException {
        loki = new FakeLoki();
    }

    @AfterEach
    void stop() {
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
            assertThat(sink.loki()).contains("audit records: sent " + records + ", dropped queue_full 0 rejected 0"
                    + " spool_full 0 spool_corrupt 0 stopped 0 no_url 0");
        }
    }
}
