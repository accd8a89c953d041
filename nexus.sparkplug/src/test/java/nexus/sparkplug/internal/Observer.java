package nexus.sparkplug.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A test-side MQTT client on the same broker: records every message under spBv1.0/ and publishes. */
final class Observer implements AutoCloseable {

    /** One message received. */
    record Received(String topic, String text, int qos, boolean retained) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final MqttClient client;

    Observer(String url) throws MqttException {
        client = new MqttClient(url, "observer-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        client.subscribe("spBv1.0/#", 1, (topic, message) -> received.add(new Received(topic,
                new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos(), message.isRetained())));
    }

    void publish(String topic, String text, boolean retained) throws MqttException {
        client.publish(topic, text.getBytes(StandardCharsets.UTF_8), 1, retained);
    }

    /** @return the texts received on this topic, in order */
    List<String> texts(String topic) {
        return received.stream().filter(r -> r.topic().equals(topic)).map(Received::text).toList();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
