package nexus.sparkplug.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
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
import org.eclipse.tahu.protobuf.SparkplugBProto;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * NCMD payloads as a host application builds them: with Eclipse Tahu's reference model and encoder,
 * then parsed back with the generated protobuf class as the edge node receives them. A command the
 * tests pass to {@link Commands} has therefore been on the wire in Tahu's encoding.
 */
final class Ncmd {

    private final List<Metric> metrics = new ArrayList<>();
    private final Date timestamp;

    private Ncmd(Date timestamp) {
        this.timestamp = timestamp;
    }

    /** A command sent at this time, ms. */
    static Ncmd at(long millis) {
        return new Ncmd(new Date(millis));
    }

    /** A command without a payload timestamp. */
    static Ncmd untimed() {
        return new Ncmd(null);
    }

    /** Writes by name (the tag path). */
    Ncmd write(String name, MetricDataType type, Object value) {
        return add(metric(name, null, type, value, Map.of()));
    }

    /** Writes by name with properties (requestId, user). */
    Ncmd write(String name, MetricDataType type, Object value, Map<String, String> properties) {
        return add(metric(name, null, type, value, properties));
    }

    /** Writes by alias only, as a host that keeps the birth's aliases does. */
    Ncmd writeAlias(long alias, MetricDataType type, Object value, Map<String, String> properties) {
        return add(metric(null, alias, type, value, properties));
    }

    Ncmd rebirth(boolean value) {
        return write(Commands.REBIRTH, MetricDataType.Boolean, value);
    }

    private Ncmd add(Metric metric) {
        metrics.add(metric);
        return this;
    }

    /** @return the bytes Tahu encodes, parsed as the edge node parses an NCMD */
    Payload payload() {
        try {
            SparkplugBPayload payload = new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(timestamp)
                    .addMetrics(metrics).createPayload();
            return SparkplugBProto.Payload.parseFrom(new SparkplugBPayloadEncoder().getBytes(payload, false));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("Tahu encoded an NCMD the protobuf class cannot parse", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Metric metric(String name, Long alias, MetricDataType type, Object value,
            Map<String, String> properties) {
        try {
            Metric.MetricBuilder builder = name != null ? new Metric.MetricBuilder(name, type, value)
                    : new Metric.MetricBuilder(alias, type, value);
            if (!properties.isEmpty()) {
                Map<String, PropertyValue<? extends PropertyDataType>> set = new HashMap<>();
                for (Map.Entry<String, String> property : properties.entrySet()) {
                    set.put(property.getKey(), new PropertyValue<>(PropertyDataType.String, property.getValue()));
                }
                builder.properties(new PropertySet.PropertySetBuilder().addProperties(set).createPropertySet());
            }
            return builder.createMetric();
        } catch (SparkplugException e) {
            throw new IllegalArgumentException("Tahu refuses the metric " + name + ": " + e.getMessage(), e);
        }
    }
}
