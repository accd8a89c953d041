package nexus.distro;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.protobuf.SparkplugBProto;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * A test's own MQTT client on the federation's broker: it sees every Sparkplug message
 * ({@code spBv1.0/#}) the nodes publish, births and deaths with their bdSeq, and host STATEs; and it
 * sends commands encoded with Eclipse Tahu's reference encoder, as a third-party host would. Not
 * Paho's automatic reconnect: after a broker restart the test calls {@link #connect()} itself.
 */
final class SparkplugWatch implements AutoCloseable {

    /**
     * One message seen: {@code type} is NBIRTH, NDATA, NDEATH, NCMD or STATE; {@code bdSeq} and {@code seq} -1 when
     * it carries none; {@code text} the JSON of a STATE, else the names of the metrics that have one, comma-separated.
     */
    record Seen(String type, String group, String node, long bdSeq, long seq, boolean retained, String text,
            int index) {
    }

    private final String url;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private MqttClient client;

    SparkplugWatch(String url) {
        this.url = url;
    }

    /** Connects (again, after a broker restart) and subscribes to every Sparkplug topic. */
    SparkplugWatch connect() {
        try {
            if (client != null) {
                close();
            }
            client = new MqttClient(url, "federation-it-watch", new MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    // The test reconnects after it restarted the broker; nothing to do here.
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    seen.add(parse(topic, message));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(10);
            client.connect(options);
            client.subscribe("spBv1.0/#", 1);
            return this;
        } catch (MqttException e) {
            throw new AssertionError("the test's MQTT client cannot connect to " + url + ": " + e, e);
        }
    }

    private Seen parse(String topic, MqttMessage message) {
        String[] parts = topic.split("/");
        int index = seen.size();
        if (parts.length == 3 && parts[1].equals("STATE")) {
            return new Seen("STATE", null, parts[2], -1, -1, message.isRetained(),
                    new String(message.getPayload(), StandardCharsets.UTF_8), index);
        }
        if (parts.length != 4) {
            return new Seen("OTHER " + topic, null, null, -1, -1, message.isRetained(), null, index);
        }
        long bdSeq = -1;
        long seq = -1;
        StringJoiner names = new StringJoiner(",");
        try {
            SparkplugBProto.Payload payload = SparkplugBProto.Payload.parseFrom(message.getPayload());
            seq = payload.hasSeq() ? payload.getSeq() : -1;
            for (SparkplugBProto.Payload.Metric metric : payload.getMetricsList()) {
                if (metric.getName().equals("bdSeq")) {
                    bdSeq = metric.getLongValue();
                }
                if (metric.hasName()) {
                    names.add(metric.getName());
                }
            }
        } catch (InvalidProtocolBufferException e) {
            return new Seen(parts[2] + " (undecodable)", parts[1], parts[3], -1, -1, message.isRetained(), null, index);
        }
        return new Seen(parts[2], parts[1], parts[3], bdSeq, seq, message.isRetained(), names.toString(), index);
    }

    /** @return everything seen so far, oldest first */
    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** @return the messages of {@code type} from edge node {@code group/node}, oldest first */
    List<Seen> of(String type, String group, String node) {
        return seen.stream().filter(s -> s.type().equals(type) && group.equals(s.group()) && node.equals(s.node()))
                .toList();
    }

    /** @return the last message of {@code type} from {@code group/node} seen after {@code since} messages, or null */
    Seen last(String type, String group, String node, int since) {
        List<Seen> found = of(type, group, node).stream().filter(s -> s.index() >= since).toList();
        return found.isEmpty() ? null : found.get(found.size() - 1);
    }

    /** @return the last STATE of host {@code hostId}, or null */
    Seen state(String hostId) {
        return seen.stream().filter(s -> s.type().equals("STATE") && hostId.equals(s.node())).reduce((a, b) -> b)
                .orElse(null);
    }

    /** @return how many messages were seen: an index to look for later ones with {@link #last} */
    int mark() {
        return seen.size();
    }

    /** Publishes {@code Node Control/Rebirth = true} to the edge node's NCMD topic, encoded by Tahu. */
    void requestRebirth(String group, String node) {
        try {
            Metric rebirth = new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, true).createMetric();
            SparkplugBPayload payload = new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date())
                    .addMetric(rebirth).createPayload();
            byte[] bytes = new SparkplugBPayloadEncoder().getBytes(payload, false);
            client.publish("spBv1.0/" + group + "/NCMD/" + node, bytes, 1, false);
        } catch (Exception e) {
            throw new AssertionError("cannot publish the rebirth request to " + group + "/" + node + ": " + e, e);
        }
    }

    /**
     * Publishes an NDATA in the edge node's name with no metrics and sequence number {@code seq}: what a
     * host sees when messages of that node were lost (a gap in {@code seq}).
     */
    void publishData(String group, String node, long seq) {
        try {
            SparkplugBPayload payload = new SparkplugBPayload.SparkplugBPayloadBuilder(seq).setTimestamp(new Date())
                    .createPayload();
            client.publish("spBv1.0/" + group + "/NDATA/" + node, new SparkplugBPayloadEncoder().getBytes(payload, false),
                    0, false);
        } catch (Exception e) {
            throw new AssertionError("cannot publish an NDATA as " + group + "/" + node + ": " + e, e);
        }
    }

    @Override
    public void close() {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2000);
            }
        } catch (MqttException e) {
            // The broker is gone (killed by the test): the client is closed below all the same.
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            throw new AssertionError("cannot close the test's MQTT client: " + e, e);
        } finally {
            client = null;
        }
    }
}
