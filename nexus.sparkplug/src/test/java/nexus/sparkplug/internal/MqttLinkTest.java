package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.sparkplug.SparkplugStatus;

/** The MQTT link on a real Mosquitto, with a recording edge node. */
class MqttLinkTest {

    private static final String NCMD = "spBv1.0/plant/NCMD/nexus1";
    private static final String NDEATH = "spBv1.0/plant/NDEATH/nexus1";
    private static final String STATE = "spBv1.0/STATE/scada";

    @TempDir
    Path folder;

    private final ScheduledExecutorService sparkplug = Executors.newSingleThreadScheduledExecutor(
            task -> new Thread(task, "nexus-sparkplug"));
    private final RecordingEdge edge = new RecordingEdge();
    private final Counters counters = new Counters();
    private Broker broker;
    private MqttLink link;

    @AfterEach
    void stop() throws Exception {
        if (link != null) {
            sparkplug.submit(link::stop).get(10, TimeUnit.SECONDS);
        }
        sparkplug.shutdownNow();
        // other tests look for a live nexus-sparkplug thread: this one must be gone
        assertThat(sparkplug.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        if (broker != null) {
            broker.close();
        }
    }

    private MqttLink link(String url, Map<String, String> more) {
        Map<String, Object> properties = new HashMap<>(Map.of("broker.urls", url, "group.id", "plant",
                "edge.node.id", "nexus1", "reconnect.min.ms", "50", "reconnect.max.ms", "200", "keepalive.s", "5"));
        properties.putAll(more);
        link = new MqttLink(Settings.of(properties, folder.toString()), new Topics(""), edge, counters, sparkplug);
        edge.link = link::status;
        link.start();
        return link;
    }

    @Test
    void connectsWithANewSessionSubscribesThenTellsTheEdgeOnTheSparkplugThread() throws Exception {
        broker = Broker.start(folder.resolve("broker"));
        try (Observer observer = new Observer(broker.url())) {
            observer.publish(STATE, "{\"online\":true,\"timestamp\":1700000000000}", true);
            link(broker.url(), Map.of("edge.primary.host", "scada"));

            Await.until("the edge is online", () -> edge.count("online") == 1);
            SparkplugStatus.Broker status = link.status();
            assertThat(status.connected()).isTrue();
            assertThat(status.problem()).isNull();
            assertThat(status.url()).isEqualTo(broker.url());
            assertThat(status.clientId()).isEqualTo("nexus-plant-nexus1");
            assertThat(edge.names()).startsWith("newSession", "online");
            Await.until("the retained STATE reaches the edge", () -> edge.count("state true 1700000000000") == 1);

            observer.publish(NCMD, "write this", false);
            Await.until("the NCMD reaches the edge", () -> edge.count("command write this") == 1);
            observer.publish(STATE, "{ \"timestamp\" : 5, \"online\" : false }", false);
            Await.until("the second STATE reaches the edge", () -> edge.count("state false 5") == 1);
            observer.publish(STATE, "online", false);
            Await.until("the bad STATE is counted", () -> counters.malformed.sum() == 1);

            assertThat(counters.messagesIn.sum()).isEqualTo(4);
            assertThat(edge.calls).allSatisfy(call -> assertThat(call.thread()).isEqualTo("nexus-sparkplug"));
        }
    }

    @Test
    void publishesWhileConnectedAndDropsWhileNot() throws Exception {
        broker = Broker.start(folder.resolve("broker"));
        try (Observer observer = new Observer(broker.url())) {
            link(broker.url(), Map.of());
            Await.until("the edge is online", () -> edge.count("online") == 1);

            assertThat(link.publish("spBv1.0/plant/NDATA/nexus1", "data".getBytes(StandardCharsets.UTF_8), 0, false)).isTrue();
            Await.until("the NDATA arrives", () -> observer.texts("spBv1.0/plant/NDATA/nexus1").equals(java.util.List.of("data")));
            assertThat(counters.messagesOut.sum()).isEqualTo(1);

            sparkplug.submit(link::stop).get(10, TimeUnit.SECONDS);
            assertThat(link.publish("spBv1.0/plant/NDATA/nexus1", new byte[1], 0, false)).isFalse();
            assertThat(counters.dropped.sum()).isEqualTo(1);
            assertThat(counters.messagesOut.sum()).isEqualTo(2);
            link = null;
        }
    }

    @Test
    void stopPublishesTheEdgesNdeathAndDisconnectsSoTheWillIsNotSent() throws Exception {
        broker = Broker.start(folder.resolve("broker"));
        try (Observer observer = new Observer(broker.url())) {
            link(broker.url(), Map.of());
            Await.until("the edge is online", () -> edge.count("online") == 1);

            sparkplug.submit(link::stop).get(10, TimeUnit.SECONDS);
            link = null;
            observer.publish(NDEATH, "marker", false);

            Await.until("the marker arrives", () -> observer.texts(NDEATH).contains("marker"));
            assertThat(observer.texts(NDEATH)).containsExactly("stop-death-1", "marker");
            assertThat(observer.received).filteredOn(r -> r.text().equals("stop-death-1"))
                    .allSatisfy(r -> assertThat(r.qos()).isEqualTo(1));
            assertThat(edge.names()).endsWith("stop");
        }
    }

    @Test
    void reconnectEndsTheSessionCleanlyAndMakesANewOne() throws Exception {
        broker = Broker.start(folder.resolve("broker"));
        try (Observer observer = new Observer(broker.url())) {
            link(broker.url(), Map.of());
            Await.until("the edge is online", () -> edge.count("online") == 1);

            sparkplug.submit(link::reconnect).get(10, TimeUnit.SECONDS);

            Await.until("a second session is online", () -> edge.count("online") == 2);
            assertThat(edge.names()).containsExactly("newSession", "online", "newSession", "online");
            observer.publish(NDEATH, "marker", false);
            Await.until("the marker arrives", () -> observer.texts(NDEATH).contains("marker"));
            assertThat(observer.texts(NDEATH)).containsExactly("marker");
        }
    }

    @Test
    void aCutConnectionLeavesTheWillAndANewSessionFollows() throws Exception {
        broker = Broker.start(folder.resolve("broker"));
        try (Observer observer = new Observer(broker.url()); Cable cable = new Cable(broker.port())) {
            link(cable.url(), Map.of());
            Await.until("the edge is online", () -> edge.count("online") == 1);

            cable.cut();

            Await.until("the broker publishes the will", () -> observer.texts(NDEATH).contains("death-1"));
            assertThat(observer.received).filteredOn(r -> r.topic().equals(NDEATH))
                    .allSatisfy(r -> assertThat(r.retained()).isFalse());
            Await.until("a second session is online", () -> edge.count("online") == 2);
            assertThat(edge.names()).containsSubsequence("newSession", "online", "offline", "newSession", "online");
            assertThat(edge.offlineStatus.get(0).connected()).isFalse();
            assertThat(edge.offlineStatus.get(0).problem()).contains("Paho reason");
            assertThat(link.status().connected()).isTrue();
            assertThat(link.status().problem()).isNull();
        }
    }

    @Test
    void aBrokerRestartIsSeenAndTheLinkReconnectsWithANewSession() throws Exception {
        broker = Broker.start(folder.resolve("broker"));
        link(broker.url(), Map.of());
        Await.until("the edge is online", () -> edge.count("online") == 1);

        broker.kill();

        Await.until("the loss and a refused reconnect", () -> edge.count("offline") >= 2);
        assertThat(edge.count("newSession")).isGreaterThanOrEqualTo(2);
        assertThat(link.status().connected()).isFalse();
        assertThat(link.status().problem()).contains("Paho reason");

        broker.restart();

        Await.until("a new session is online", () -> edge.count("online") == 2);
        assertThat(link.status().connected()).isTrue();
        assertThat(link.status().problem()).isNull();
    }

    @Test
    void anEdgeThatFailsDoesNotStopTheRetries() {
        broker = Broker.start(folder.resolve("broker"));
        edge.failingSessions = 2;
        link(broker.url(), Map.of());

        Await.until("the third session is online", () -> edge.count("online") == 1);
        assertThat(edge.count("newSession")).isEqualTo(3);
        assertThat(edge.offlineStatus.get(0).problem()).isEqualTo("the edge failed to open session 1");
    }

    @Test
    void refusedCredentialsAreTheProblemAndTheLinkKeepsTrying() throws Exception {
        Path passwords = Broker.passwordFile(folder.resolve("broker"), "edge", "right");
        broker = Broker.start(folder.resolve("broker"), "allow_anonymous false\npassword_file " + passwords + "\n");
        java.nio.file.Files.writeString(folder.resolve("edge.pw"), "wrong\n");
        link(broker.url(), Map.of("username", "edge", "password.file", "edge.pw"));

        Await.until("three sessions were tried", () -> edge.count("newSession") >= 3);
        SparkplugStatus.Broker status = link.status();
        assertThat(status.connected()).isFalse();
        assertThat(status.problem()).containsAnyOf("not authorized", "bad user name or password").contains("Paho reason");
        assertThat(edge.count("online")).isZero();
    }

    @Test
    void rightCredentialsConnect() throws Exception {
        Path passwords = Broker.passwordFile(folder.resolve("broker"), "edge", "right");
        broker = Broker.start(folder.resolve("broker"), "allow_anonymous false\npassword_file " + passwords + "\n");
        java.nio.file.Files.writeString(folder.resolve("edge.pw"), "right\n");
        link(broker.url(), Map.of("username", "edge", "password.file", "edge.pw"));

        Await.until("the edge is online", () -> edge.count("online") == 1);
        assertThat(link.status().connected()).isTrue();
    }
}
