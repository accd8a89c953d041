package nexus.sparkplug.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.eclipse.tahu.SparkplugException;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertyDataType;
import org.eclipse.tahu.message.model.PropertySet;
import org.eclipse.tahu.message.model.PropertyValue;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/**
 * A remote edge node written with Eclipse Tahu's reference model and encoder: the payloads the host's
 * tests feed it are what a Tahu edge (or Ignition) puts on the wire, not what our own edge code builds.
 */
final class TahuEdge {

    final String group;
    final String edge;
    private final SparkplugBPayloadEncoder encoder = new SparkplugBPayloadEncoder();
    private long bdSeq;
    private long seq;

    TahuEdge(String group, String edge) {
        this.group = group;
        this.edge = edge;
    }

    String topic(String type) {
        return "spBv1.0/" + group + "/" + type + "/" + edge;
    }

    /** A birth metric: name, alias, datatype, value and properties (String, Double or Boolean values). */
    static Metric metric(String name, long alias, MetricDataType type, Object value, Map<String, Object> properties) {
        try {
            Metric.MetricBuilder builder = new Metric.MetricBuilder(name, type, value).alias(alias);
            if (!properties.isEmpty()) {
                PropertySet.PropertySetBuilder set = new PropertySet.PropertySetBuilder();
                for (Map.Entry<String, Object> p : properties.entrySet()) {
                    Object v = p.getValue();
                    PropertyDataType t = v instanceof Double ? PropertyDataType.Double
                            : v instanceof Boolean ? PropertyDataType.Boolean : PropertyDataType.String;
                    set.addProperty(p.getKey(), new PropertyValue<>(t, v));
                }
                builder.properties(set.createPropertySet());
            }
            return builder.createMetric();
        } catch (SparkplugException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Metric metric(String name, long alias, MetricDataType type, Object value) {
        return metric(name, alias, type, value, Map.of());
    }

    /** A data metric by alias only, as edges send NDATA. */
    static Metric byAlias(long alias, MetricDataType type, Object value) {
        try {
            return new Metric.MetricBuilder(alias, type, value).createMetric();
        } catch (SparkplugException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The NBIRTH of a new session (bdSeq as given), seq 0: bdSeq and the rebirth control first, then the metrics. */
    byte[] birth(long sessionBdSeq, long timestamp, List<Metric> metrics) {
        this.bdSeq = sessionBdSeq;
        this.seq = 0;
        List<Metric> all = new ArrayList<>();
        try {
            all.add(new Metric.MetricBuilder("bdSeq", MetricDataType.Int64, sessionBdSeq).createMetric());
            all.add(new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, false).createMetric());
        } catch (SparkplugException e) {
            throw new IllegalArgumentException(e);
        }
        all.addAll(metrics);
        return encode(timestamp, 0L, all);
    }

    /** The next NDATA of the session (seq one more, 255 → 0). */
    byte[] data(long timestamp, Metric... metrics) {
        seq = (seq + 1) % 256;
        return encode(timestamp, seq, List.of(metrics));
    }

    String topic(String type, String device) {
        return topic(type) + "/" + device;
    }

    /** The next device message of the session (DBIRTH, DDATA, DDEATH): it takes a seq of the node's sequence. */
    byte[] device(long timestamp, Metric... metrics) {
        seq = (seq + 1) % 256;
        return encode(timestamp, seq, List.of(metrics));
    }

    /** Skips a sequence number: the next NDATA looks as if one was lost. */
    void lose() {
        seq = (seq + 1) % 256;
    }

    /** The NDEATH of a session. */
    byte[] death(long sessionBdSeq) {
        try {
            return encode(0, null, List.of(new Metric.MetricBuilder("bdSeq", MetricDataType.Int64, sessionBdSeq).createMetric()));
        } catch (SparkplugException e) {
            throw new IllegalArgumentException(e);
        }
    }

    long bdSeq() {
        return bdSeq;
    }

    private byte[] encode(long timestamp, Long seqNumber, List<Metric> metrics) {
        SparkplugBPayload.SparkplugBPayloadBuilder payload = new SparkplugBPayload.SparkplugBPayloadBuilder()
                .addMetrics(metrics);
        if (timestamp > 0) {
            payload.setTimestamp(new Date(timestamp));
        }
        if (seqNumber != null) {
            payload.setSeq(seqNumber);
        }
        try {
            return encoder.getBytes(payload.createPayload(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
