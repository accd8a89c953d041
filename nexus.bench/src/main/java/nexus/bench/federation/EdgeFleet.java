package nexus.bench.federation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * N synthetic edge nodes played from one process, each on its own MQTT connection with its NDEATH as
 * the will (clean session, QoS 0 data as RMA Nexus edges send by default, no automatic reconnect). One
 * scheduler thread sends, every interval, one NDATA per node with its share of the total rate, stamped
 * with the send time.
 */
final class EdgeFleet implements AutoCloseable {

    private final FederationOptions options;
    private final List<SyntheticEdge> edges = new ArrayList<>();
    private final List<MqttClient> clients = new ArrayList<>();
    private final Traffic traffic = new Traffic();
    private final AtomicLong lateTicks = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastFailure;
    private ScheduledExecutorService sender;

    EdgeFleet(FederationOptions options) {
        this.options = options;
        for (int n = 1; n <= options.nodes(); n++) {
            edges.add(new SyntheticEdge("bench" + n, options.metrics(), 0));
        }
    }

    /** Connects every node. */
    void connect() throws MqttException {
        long now = System.currentTimeMillis();
        for (SyntheticEdge edge : edges) {
            MqttClient client = new MqttClient(options.broker().toString(), "federation-load-" + edge.id(),
                    new MemoryPersistence());
            MqttConnectOptions connect = new MqttConnectOptions();
            connect.setCleanSession(true);
            connect.setAutomaticReconnect(false);
            connect.setMaxInflight(1000);
            connect.setKeepAliveInterval(30);
            connect.setWill(topic("NDEATH", edge), edge.death(now), 1, false);
            client.connect(connect);
            clients.add(client);
        }
    }

    /** Publishes every node's NBIRTH, one after the other; @return their MQTT bytes */
    long births() throws MqttException {
        long bytes = 0;
        for (int i = 0; i < edges.size(); i++) {
            SyntheticEdge edge = edges.get(i);
            String topic = topic("NBIRTH", edge);
            byte[] birth = edge.birth(System.currentTimeMillis());
            clients.get(i).publish(topic, birth, 0, false);
            bytes += MqttSize.publish(topic, birth.length, 0);
        }
        return bytes;
    }

    /** Starts sending NDATA at the configured rate. */
    void startData() {
        sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "federation-load-edges");
            thread.setDaemon(true);
            return thread;
        });
        int changes = options.changesPerData();
        long interval = options.intervalMs();
        sender.scheduleAtFixedRate(() -> {
            long start = System.nanoTime();
            for (int i = 0; i < edges.size(); i++) {
                SyntheticEdge edge = edges.get(i);
                String topic = topic("NDATA", edge);
                byte[] payload = edge.data(System.currentTimeMillis(), changes);
                try {
                    clients.get(i).publish(topic, payload, 0, false);
                    traffic.count(topic, payload.length, 0, changes);
                } catch (MqttException e) {
                    failures.incrementAndGet();
                    lastFailure = edge.id() + ": " + e;
                }
            }
            if (System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(interval)) {
                lateTicks.incrementAndGet();
            }
        }, 0, interval, TimeUnit.MILLISECONDS);
    }

    /** Stops sending NDATA (the message being sent is finished). */
    void stopData() throws InterruptedException {
        if (sender != null) {
            sender.shutdown();
            sender.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    Traffic traffic() {
        return traffic;
    }

    /** @return rounds of NDATA that took longer than the interval to send: the rate was not kept */
    long lateTicks() {
        return lateTicks.get();
    }

    /** @return publishes that failed, and the last one's cause */
    String failures() {
        return failures.get() == 0 ? "none" : failures.get() + " (last: " + lastFailure + ")";
    }

    /** Publishes each node's NDEATH and disconnects. */
    @Override
    public void close() throws InterruptedException {
        stopData();
        for (int i = 0; i < clients.size(); i++) {
            MqttClient client = clients.get(i);
            try {
                client.publish(topic("NDEATH", edges.get(i)), edges.get(i).death(System.currentTimeMillis()), 1, false);
                client.disconnect(5_000);
                client.close();
            } catch (MqttException e) {
                System.err.println("federation load: " + edges.get(i).id() + " did not end cleanly: " + e);
            }
        }
    }

    private String topic(String type, SyntheticEdge edge) {
        return "spBv1.0/" + options.group() + "/" + type + "/" + edge.id();
    }
}
