package nexus.sparkplug.internal;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.PropertySet;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.PropertyValue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.query.TagValue;

/**
 * The edge node's metric names and the small pieces its payloads are built from, with the
 * generated protobuf builders (no Tahu model objects: a birth of 200,000 tags is built without
 * them in a fraction of the time).
 */
final class Payloads {

    private static final Logger LOG = LoggerFactory.getLogger(Payloads.class);

    /** The birth/death sequence metric of NBIRTH and NDEATH. */
    static final String BD_SEQ = "bdSeq";
    /** The node control a host writes {@code true} to for a new birth. */
    static final String REBIRTH = "Node Control/Rebirth";
    /** The registry version a birth was built from. */
    static final String REGISTRY_VERSION = "_nexus/registry/version";

    private Payloads() {
    }

    /** @return the metric name of an alarm's state: {@code _nexus/alarms/<name>/state} */
    static String alarmState(String alarm) {
        return "_nexus/alarms/" + alarm + "/state";
    }

    /**
     * @return the NDEATH of a session: its timestamp and the session's bdSeq (Int64), the payload of
     *         the MQTT will and of the death published before a clean disconnect
     */
    static byte[] death(int bdSeq, long now) {
        return Payload.newBuilder().setTimestamp(now).addMetrics(bdSeq(bdSeq, now)).build().toByteArray();
    }

    /** @return the {@code bdSeq} metric: no alias (Sparkplug B 3.0 gives it none) */
    static Metric.Builder bdSeq(int bdSeq, long now) {
        return Metric.newBuilder().setName(BD_SEQ).setTimestamp(now).setDatatype(DataType.Int64.getNumber())
                .setLongValue(bdSeq);
    }

    /**
     * @param nanos    a tag value's timestamp: ns since the epoch, 0 when unknown
     * @param fallback the time to use when it is unknown, ms
     * @return the timestamp in ms
     */
    static long millis(long nanos, long fallback) {
        return nanos == 0 ? fallback : Math.floorDiv(nanos, 1_000_000L);
    }

    /**
     * Sets a tag metric's value: the value when the quality is GOOD, else {@code is_null} (the caller
     * adds the {@code quality} property). A value that does not suit the datatype (the registry
     * and the bank disagree) is sent as {@code is_null} too, rather than stopping the message.
     *
     * @return whether a value was set ({@code false}: {@code is_null})
     */
    static boolean value(Metric.Builder metric, DataType type, TagValue value) {
        if (!value.quality().isGood() || value.value() == null) {
            metric.setIsNull(true);
            return false;
        }
        try {
            DataTypes.setValue(metric, type, value.value());
            return true;
        } catch (IllegalArgumentException e) {
            LOG.warn("metric {}: {}; sent as null: the registry's type and the value read disagree",
                    metric.hasName() ? metric.getName() : "alias " + metric.getAlias(), e.getMessage());
            metric.setIsNull(true);
            return false;
        }
    }

    /** A metric's properties, in the order added. */
    static final class Properties {
        private final PropertySet.Builder set = PropertySet.newBuilder();

        Properties string(String key, String value) {
            if (value != null) {
                add(key, PropertyValue.newBuilder().setType(DataType.String.getNumber()).setStringValue(value));
            }
            return this;
        }

        Properties number(String key, Double value) {
            if (value != null) {
                add(key, PropertyValue.newBuilder().setType(DataType.Double.getNumber()).setDoubleValue(value));
            }
            return this;
        }

        Properties bool(String key, boolean value) {
            add(key, PropertyValue.newBuilder().setType(DataType.Boolean.getNumber()).setBooleanValue(value));
            return this;
        }

        private void add(String key, PropertyValue.Builder value) {
            set.addKeys(key);
            set.addValues(value);
        }

        /** Sets the properties on the metric, when there are any. */
        Metric.Builder on(Metric.Builder metric) {
            return set.getKeysCount() == 0 ? metric : metric.setProperties(set);
        }
    }
}
