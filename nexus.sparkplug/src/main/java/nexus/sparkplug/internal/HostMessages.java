package nexus.sparkplug.internal;

import java.nio.charset.StandardCharsets;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;

/** The payloads a host application publishes (Sparkplug 3.0): its STATE and its rebirth requests. */
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
}
