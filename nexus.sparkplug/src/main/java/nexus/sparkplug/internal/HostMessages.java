package nexus.sparkplug.internal;

import java.nio.charset.StandardCharsets;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;

/** The payloads a host application publishes (Sparkplug 3.0): its STATE, its rebirth requests and its writes. */
final class HostMessages {

    /** The node control metric whose {@code true} asks an edge node for a new birth. */
    static final String REBIRTH = "Node Control/Rebirth";

    private HostMessages() {
    }

    /** @return the STATE payload: {@code {"online":true|false,"timestamp":<ms>}} */
    static byte[] state(boolean online, long timestamp) {
        return ("{\"online\":" + online + ",\"timestamp\":" + timestamp + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** @return the NCMD payload asking for a rebirth, timestamped {@code now} (ms since the epoch) */
    static byte[] rebirth(long now) {
        return Payload.newBuilder().setTimestamp(now)
                .addMetrics(Metric.newBuilder().setName(REBIRTH).setTimestamp(now)
                        .setDatatype(DataType.Boolean_VALUE).setBooleanValue(true))
                .build().toByteArray();
    }

    /**
     * @return the NCMD payload writing one metric by name, with the birth's datatype and the properties
     *         {@code requestId} and {@code user} (what an RMA Nexus edge node answers and audits by),
     *         timestamped {@code now} (ms since the epoch)
     * @throws IllegalArgumentException when the value does not suit the datatype
     */
    static byte[] write(long now, String metric, DataType datatype, Object value, String requestId, String user) {
        Metric.Builder write = Metric.newBuilder().setName(metric).setTimestamp(now).setDatatype(datatype.getNumber());
        DataTypes.setValue(write, datatype, value);
        new Payloads.Properties().string(Commands.REQUEST_ID, requestId).string(Commands.USER, user).on(write);
        return Payload.newBuilder().setTimestamp(now).addMetrics(write).build().toByteArray();
    }
}
