package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.HealthStatus;
import nexus.core.MetricFamily;
import nexus.core.NexusException;

/** One running configuration on a real Mosquitto, with a recording edge node: health, rebirth, ticks, metrics, stop. */
class FederationTest {

    @TempDir
    Path folder;

    private final RecordingEdge edge = new RecordingEdge();
    private final Counters counters = new Counters();
    private Broker broker;
    private Federation federation;

    @AfterEach
    void stop() {
        if (federation != null) {
            federation.stop();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private Federation start(Map<String, String> more) {
        Map<String, Object> properties = new HashMap<>(Map.of("broker.urls", broker.url(), "group.id", "plant",
                "edge.node.id", "nexus1", "reconnect.min.ms", "50", "reconnect.max.ms", "200",
                "edge.publish.interval.ms", "10"));
        properties.putAll(more);
        federation = new Federation(Settings.of(properties, folder.toString()), counters, transport -> edge);
        federation.start();
        return federation;
    }

    @Test
    void healthSaysWhetherTheEdgeIsBornAndWhyNot() {
        broker = Broker.start(folder.resolve("broker"));
        start(Map.of());
        Await.until("online", () -> edge.count("online") == 1);

        assertThat(federation.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(federation.health().detail()).isEqualTo("edge plant/nexus1 not born yet; broker " + broker.url());
        edge.birthProblem = "the identity sees 300000 tags, more than edge.metrics.max (200000)";
        assertThat(federation.health().detail()).contains("not born: the identity sees 300000 tags");
        edge.primaryHost = "scada";
        edge.primaryHostOnline = false;
        assertThat(federation.health().detail()).contains("waiting for the primary host scada");

        edge.born = true;

        assertThat(federation.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(federation.health().detail()).isEqualTo("edge plant/nexus1 born, bdSeq 1, 12 metrics, broker "
                + broker.url());
    }

    @Test
    void aBrokerOutageIsDownWithItsReasonAndRebirthIsRefused() {
        broker = Broker.start(folder.resolve("broker"));
        start(Map.of());
        Await.until("online", () -> edge.count("online") == 1);
        assertThat(federation.rebirth()).isEqualTo("rebirth published");

        broker.kill();
        Await.until("offline", () -> edge.count("offline") >= 1);

        assertThat(federation.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(federation.health().detail()).contains("broker " + broker.url() + " not connected")
                .contains("Paho reason");
        assertThatThrownBy(federation::rebirth).isInstanceOf(NexusException.class)
                .hasMessageContaining("not connected to the broker")
                .satisfies(e -> assertThat(((NexusException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE));
    }

    @Test
    void everyEdgeCallRunsOnTheSparkplugThreadAndTicksRepeat() {
        broker = Broker.start(folder.resolve("broker"));
        start(Map.of());
        Await.until("online", () -> edge.count("online") == 1);
        federation.rebirth();
        Await.until("ticks", () -> edge.count("tick") >= 3);

        assertThat(edge.calls).allSatisfy(call -> assertThat(call.thread()).isEqualTo("nexus-sparkplug"));
    }

    @Test
    void stopPublishesTheNdeathAndEndsTheThread() throws Exception {
        broker = Broker.start(folder.resolve("broker"));
        try (Observer observer = new Observer(broker.url())) {
            start(Map.of());
            Await.until("online", () -> edge.count("online") == 1);

            federation.stop();
            federation = null;

            Await.until("the NDEATH", () -> observer.texts("spBv1.0/plant/NDEATH/nexus1").contains("stop-death-1"));
            long ticks = edge.count("tick");
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("nexus-sparkplug") && t.isAlive());
            assertThat(edge.count("tick")).isEqualTo(ticks);
        }
    }

    @Test
    void metricsCarryTheCountersTheConnectionAndTheBdSeq() {
        broker = Broker.start(folder.resolve("broker"));
        start(Map.of());
        Await.until("online", () -> edge.count("online") == 1);
        counters.births.increment();

        Map<String, Double> values = new HashMap<>();
        for (MetricFamily family : federation.metrics()) {
            values.put(family.name(), family.samples().get(0).value());
        }

        assertThat(values).containsOnlyKeys("nexus_sparkplug_messages_in_total", "nexus_sparkplug_messages_out_total",
                "nexus_sparkplug_births_total", "nexus_sparkplug_rebirth_requests_total", "nexus_sparkplug_writes_total",
                "nexus_sparkplug_writes_refused_total", "nexus_sparkplug_malformed_total", "nexus_sparkplug_dropped_total",
                "nexus_sparkplug_connected", "nexus_sparkplug_bdseq");
        assertThat(values).containsEntry("nexus_sparkplug_births_total", 1.0).containsEntry("nexus_sparkplug_connected", 1.0)
                .containsEntry("nexus_sparkplug_bdseq", 1.0);
    }
}
