package nexus.distro;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertyDataType;
import org.eclipse.tahu.message.model.PropertySet;
import org.eclipse.tahu.message.model.PropertyValue;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;

/**
 * A Sparkplug B host application for the tests, built from other people's code: an Eclipse Paho
 * client subscribed to one group's node messages, every payload decoded with Eclipse Tahu's reference
 * decoder (so what the node publishes is proved readable by another implementation), commands built
 * with Tahu's model and encoder. NDATA carries aliases only: like a real host, it decodes them with the
 * datatypes of the last NBIRTH. Keeps every message in arrival order. Thread-safe.
 */
final class SparkplugHost implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    /**
     * One message as received.
     *
     * @param index   its place in arrival order, from 0
     * @param type    NBIRTH, NDATA, NDEATH or NCMD (the host hears its own commands too)
     * @param payload the decoded payload, or {@code null} when it could not be decoded
     * @param problem why it could not be decoded, or {@code null}
     */
    record Message(int index, String topic, String type, SparkplugBPayload payload, String problem) {

        long seq() {
            return payload.getSeq() == null ? -1 : payload.getSeq();
        }

        /** @return the value of the {@code bdSeq} metric (NBIRTH, NDEATH) */
        long bdSeq() {
            Metric bdSeq = metric("bdSeq");
            if (bdSeq == null) {
                throw new AssertionError(type + " without a bdSeq metric: " + payload);
            }
            return ((Number) bdSeq.getValue()).longValue();
        }

        /** @return the metric of that name, or {@code null} */
        Metric metric(String name) {
            return payload.getMetrics().stream().filter(m -> name.equals(m.getName())).findFirst().orElse(null);
        }

        /** @return the first metric with that alias, or {@code null} */
        Metric alias(long alias) {
            return payload.getMetrics().stream().filter(m -> m.hasAlias() && m.getAlias() == alias).findFirst().orElse(null);
        }

        /** @return the metric whose property {@code requestId} is that one, or {@code null} */
        Metric answer(String requestId) {
            return payload.getMetrics().stream().filter(m -> requestId.equals(property(m, "requestId"))).findFirst().orElse(null);
        }

        boolean fromNode() {
            return type.equals("NBIRTH") || type.equals("NDATA") || type.equals("NDEATH");
        }

        @Override
        public String toString() {
            return "#" + index + " " + topic + (problem != null ? " undecodable: " + problem : " " + payload);
        }
    }

    private final MqttClient client;
    private final MqttConnectOptions options = new MqttConnectOptions();
    private final String group;
    private final String edge;
    private final List<Message> messages = new ArrayList<>();
    private MetricDataTypeMap birthTypes = new MetricDataTypeMap();

    private SparkplugHost(String url, String group, String edge) throws MqttException {
        this.group = group;
        this.edge = edge;
        this.client = new MqttClient(url, "it-host-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
    }

    /** @return a host connected to the broker and subscribed to {@code spBv1.0/<group>/#} */
    static SparkplugHost connect(String url, String group, String edge) throws MqttException {
        SparkplugHost host = new SparkplugHost(url, group, edge);
        host.reconnect();
        return host;
    }

    /** Connects (again, after the broker was lost) and subscribes. */
    void reconnect() throws MqttException {
        Await.until("the test's host noticed that its broker went away", () -> !client.isConnected());
        client.connect(options);
        client.subscribe("spBv1.0/" + group + "/#", 1);
    }

    private void received(String topic, byte[] bytes) {
        String[] parts = topic.split("/");
        String type = parts.length == 4 ? parts[2] : "?";
        SparkplugBPayload payload = null;
        String problem = null;
        synchronized (this) {
            try {
                payload = new SparkplugBPayloadDecoder().buildFromByteArray(bytes, type.equals("NDATA") ? birthTypes : null);
                if (type.equals("NBIRTH")) {
                    birthTypes = new MetricDataTypeMap();
                    for (Metric metric : payload.getMetrics()) {
                        if (metric.hasAlias()) {
                            birthTypes.addMetricDataType(metric.getAlias(), metric.getDataType());
                        }
                    }
                }
            } catch (Exception e) {
                problem = e.toString();
            }
            messages.add(new Message(messages.size(), topic, type, payload, problem));
            notifyAll();
        }
    }

    /** @return where the next message will be: what {@link #await} looks from */
    synchronized int mark() {
        return messages.size();
    }

    /** @return the messages from that index on */
    synchronized List<Message> since(int from) {
        return List.copyOf(messages.subList(from, messages.size()));
    }

    /** @return the node message (NBIRTH, NDATA, NDEATH) received just before this one, or {@code null} */
    synchronized Message previousFromNode(Message message) {
        for (int i = message.index() - 1; i >= 0; i--) {
            if (messages.get(i).fromNode()) {
                return messages.get(i);
            }
        }
        return null;
    }

    /** @return the last NBIRTH received, or {@code null} */
    synchronized Message lastBirth() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).type().equals("NBIRTH")) {
                return messages.get(i);
            }
        }
        return null;
    }

    /**
     * @return the first decoded message at or after {@code from} that matches
     * @throws AssertionError after {@link #WAIT}, listing what did arrive; at once for an undecodable message
     */
    synchronized Message await(String what, int from, Predicate<Message> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int next = from;
        while (true) {
            for (; next < messages.size(); next++) {
                Message message = messages.get(next);
                if (message.problem() != null && message.fromNode()) {
                    throw new AssertionError("Tahu cannot decode what the node published, waiting until " + what + ": " + message);
                }
                if (message.problem() == null && wanted.test(message)) {
                    return message;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting until " + what + "; received since: "
                        + summary(from));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private String summary(int from) {
        List<String> lines = new ArrayList<>();
        for (Message message : messages.subList(from, messages.size())) {
            String text = message.toString();
            lines.add(text.length() > 600 ? text.substring(0, 600) + "…" : text);
        }
        return lines.isEmpty() ? "nothing" : String.join("\n  ", lines);
    }

    /** Sends an NCMD asking for a new birth. */
    void rebirth() throws Exception {
        command(new Date(), List.of(new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, true).createMetric()));
    }

    /** Sends an NCMD with these metrics and payload timestamp. */
    void command(Date timestamp, List<Metric> metrics) throws Exception {
        SparkplugBPayload payload = new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(timestamp)
                .addMetrics(metrics).createPayload();
        byte[] bytes = new SparkplugBPayloadEncoder().getBytes(payload, false);
        client.publish("spBv1.0/" + group + "/NCMD/" + edge, bytes, 1, false);
    }

    /**
     * @param name     the metric's name, or {@code null} to address it by alias only
     * @param alias    its alias, or {@code null}
     * @param user     the {@code user} property, or {@code null}
     * @return a write metric with a {@code requestId} property
     */
    static Metric write(String name, Long alias, MetricDataType type, Object value, String requestId, String user)
            throws Exception {
        PropertySet.PropertySetBuilder properties = new PropertySet.PropertySetBuilder()
                .addProperty("requestId", new PropertyValue<>(PropertyDataType.String, requestId));
        if (user != null) {
            properties.addProperty("user", new PropertyValue<>(PropertyDataType.String, user));
        }
        Metric.MetricBuilder metric = alias != null && name == null ? new Metric.MetricBuilder(alias, type, value)
                : new Metric.MetricBuilder(name, type, value).alias(alias);
        return metric.timestamp(new Date()).properties(properties.createPropertySet()).createMetric();
    }

    /** @return a property's value, or {@code null} when the metric has no such property */
    static Object property(Metric metric, String name) {
        PropertySet properties = metric.getProperties();
        PropertyValue<?> value = properties == null ? null : properties.getPropertyValue(name);
        return value == null ? null : value.getValue();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close();
    }
}
