package nexus.sparkplug.internal;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;

/**
 * A transport that keeps what is published, and decodes it with Tahu's reference decoder: what a
 * Sparkplug host built on Tahu would read. Data messages are decoded with the datatypes of the
 * last birth, by alias, as a host does.
 */
final class RecordingTransport implements Transport {

    /** One published message, and what Tahu read in it then. */
    record Sent(String topic, byte[] payload, int qos, boolean retained, SparkplugBPayload decoded) {
        String type() {
            return type(topic);
        }

        static String type(String topic) {
            return topic.split("/")[2];
        }
    }

    final List<Sent> sent = new ArrayList<>();
    boolean connected = true;
    private final MetricDataTypeMap types = new MetricDataTypeMap();

    @Override
    public boolean publish(String topic, byte[] payload, int qos, boolean retained) {
        if (!connected) {
            return false;
        }
        sent.add(new Sent(topic, payload, qos, retained, decode(Sent.type(topic), payload)));
        return true;
    }

    /** @return the messages of a type (NBIRTH, NDATA, NDEATH), in order */
    List<Sent> of(String type) {
        return sent.stream().filter(s -> s.type().equals(type)).toList();
    }

    Sent last() {
        return sent.get(sent.size() - 1);
    }

    /** @return the last message of a type, decoded (a birth also teaches the datatypes of its aliases) */
    SparkplugBPayload last(String type) {
        List<Sent> all = of(type);
        if (all.isEmpty()) {
            throw new AssertionError("no " + type + " was published; published: " + sent.stream().map(Sent::topic).toList());
        }
        return all.get(all.size() - 1).decoded();
    }

    private SparkplugBPayload decode(String type, byte[] payload) {
        try {
            if (type.equals("NBIRTH")) {
                SparkplugBPayload birth = new SparkplugBPayloadDecoder().buildFromByteArray(payload, null);
                types.clear();
                for (Metric metric : birth.getMetrics()) {
                    if (metric.hasAlias()) {
                        types.addMetricDataType(metric.getAlias(), metric.getDataType());
                    }
                }
                return birth;
            }
            return new SparkplugBPayloadDecoder().buildFromByteArray(payload, type.equals("NDATA") ? types : null);
        } catch (Exception e) {
            throw new AssertionError("Tahu cannot decode the " + type + ": " + e, e);
        }
    }

    void clear() {
        sent.clear();
    }
}
