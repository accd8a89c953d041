package nexus.bench.federation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * Watches real edge nodes of a group through the broker, as one more subscriber: when their NBIRTHs
 * arrive and how many metrics a host would mirror from them (scalar datatypes Int8 .. Text, not bdSeq,
 * Node Control/* or Properties/*), and their NDATA traffic.
 */
final class EdgeObserver implements MqttCallback, AutoCloseable {

    private final MqttClient client;
    private final String group;
    private final Map<String, Integer> mirrored = new ConcurrentHashMap<>();
    private final AtomicLong firstBirthNanos = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final Traffic traffic = new Traffic();

    EdgeObserver(FederationOptions options) throws MqttException {
        this.group = options.group();
        client = new MqttClient(options.broker().toString(), "federation-load-observer", new MemoryPersistence());
        client.setCallback(this);
        MqttConnectOptions connect = new MqttConnectOptions();
        connect.setCleanSession(true);
        connect.setAutomaticReconnect(false);
        client.connect(connect);
        // QoS 1: the broker then delivers at the publisher's own QoS, whose header size is what is counted.
        client.subscribe(new String[] { "spBv1.0/" + group + "/NBIRTH/+", "spBv1.0/" + group + "/NDATA/+" },
                new int[] { 1, 1 });
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        String[] parts = topic.split("/");
        if (parts.length != 4) {
            return;
        }
        byte[] payload = message.getPayload();
        try {
            if (parts[2].equals("NBIRTH")) {
                firstBirthNanos.compareAndSet(0, System.nanoTime());
                mirrored.put(parts[3], mirroredMetrics(Payload.parseFrom(payload)));
            } else {
                traffic.count(topic, payload.length, message.getQos(), Payload.parseFrom(payload).getMetricsCount());
            }
        } catch (InvalidProtocolBufferException e) {
            malformed.incrementAndGet();
        }
    }

    /** @return the birth's metrics a host mirrors */
    static int mirroredMetrics(Payload birth) {
        int count = 0;
        for (Metric metric : birth.getMetricsList()) {
            String name = metric.getName();
            int type = metric.getDatatype();
            boolean scalar = type >= DataType.Int8.getNumber() && type <= DataType.Text.getNumber();
            if (scalar && !name.equals("bdSeq") && !name.startsWith("Node Control/") && !name.startsWith("Properties/")) {
                count++;
            }
        }
        return count;
    }

    /** @return edge nodes whose NBIRTH arrived */
    int born() {
        return mirrored.size();
    }

    /** @return the metrics a host would mirror from the births that arrived */
    int mirrored() {
        return mirrored.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** @return when the first NBIRTH arrived ({@link System#nanoTime()}), 0 before */
    long firstBirthNanos() {
        return firstBirthNanos.get();
    }

    Traffic traffic() {
        return traffic;
    }

    long malformed() {
        return malformed.get();
    }

    @Override
    public void connectionLost(Throwable cause) {
        System.err.println("federation load: the observer lost the broker: " + cause);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // publishes nothing
    }

    @Override
    public void close() throws MqttException {
        client.disconnect(5_000);
        client.close();
    }
}
