package nexus.bench.federation;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.PropertySet;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.PropertyValue;

/**
 * The payloads of one synthetic Sparkplug B edge node (docs/federation.md): an NBIRTH of {@code metrics}
 * metrics — Float, Double, Int32 and Boolean in turn, each numeric one with an {@code engUnit} — and
 * NDATA of the next changes in round-robin order, metrics by alias only with their value and timestamp
 * as an RMA Nexus edge sends them. It stands in for the edge side only: what the host takes in is the
 * same protobuf an RMA Nexus edge would publish. Not thread-safe: one thread builds a node's payloads.
 */
final class SyntheticEdge {

    private static final DataType[] KINDS = { DataType.Float, DataType.Double, DataType.Int32, DataType.Boolean };
    private static final String[] UNITS = { "degC", "bar", "rpm", null };
    private static final int PER_LINE = 100;

    private final String id;
    private final int metrics;
    private final long bdSeq;
    private int seq;
    private int next;
    private long step;

    /**
     * @param id      the edge node id
     * @param metrics metrics in its birth
     * @param bdSeq   the session's bdSeq (0-255)
     */
    SyntheticEdge(String id, int metrics, long bdSeq) {
        this.id = id;
        this.metrics = metrics;
        this.bdSeq = bdSeq;
    }

    String id() {
        return id;
    }

    /** @return metric {@code i}'s name: {@code line<n>/<kind><i>}, 100 metrics a line */
    static String name(int i) {
        return String.format("line%03d/%s%d", i / PER_LINE, KINDS[i % KINDS.length].name().toLowerCase(java.util.Locale.ROOT), i);
    }

    /** @return the NBIRTH (seq 0): bdSeq, Node Control/Rebirth, then every metric with name, alias and value */
    byte[] birth(long now) {
        seq = 0;
        Payload.Builder birth = Payload.newBuilder().setTimestamp(now).setSeq(0);
        birth.addMetrics(Metric.newBuilder().setName("bdSeq").setTimestamp(now).setDatatype(DataType.Int64.getNumber())
                .setLongValue(bdSeq));
        birth.addMetrics(Metric.newBuilder().setName("Node Control/Rebirth").setAlias(metrics).setTimestamp(now)
                .setDatatype(DataType.Boolean.getNumber()).setBooleanValue(false));
        for (int i = 0; i < metrics; i++) {
            Metric.Builder metric = value(Metric.newBuilder().setName(name(i)).setAlias(i).setTimestamp(now)
                    .setDatatype(KINDS[i % KINDS.length].getNumber()), i, 0);
            String unit = UNITS[i % UNITS.length];
            if (unit != null) {
                metric.setProperties(PropertySet.newBuilder().addKeys("engUnit").addValues(PropertyValue.newBuilder()
                        .setType(DataType.String.getNumber()).setStringValue(unit)));
            }
            birth.addMetrics(metric);
        }
        return birth.build().toByteArray();
    }

    /** @return the NDEATH of the session: its bdSeq (the MQTT will) */
    byte[] death(long now) {
        return Payload.newBuilder().setTimestamp(now).addMetrics(Metric.newBuilder().setName("bdSeq").setTimestamp(now)
                .setDatatype(DataType.Int64.getNumber()).setLongValue(bdSeq)).build().toByteArray();
    }

    /** @return an NDATA (next seq) of the next {@code changes} metrics, each with a new value, stamped {@code now} */
    byte[] data(long now, int changes) {
        seq = (seq + 1) & 0xFF;
        step++;
        Payload.Builder data = Payload.newBuilder().setTimestamp(now).setSeq(seq);
        for (int c = 0; c < changes; c++) {
            int i = next;
            next = (next + 1) % metrics;
            data.addMetrics(value(Metric.newBuilder().setAlias(i).setTimestamp(now), i, step));
        }
        return data.build().toByteArray();
    }

    private static Metric.Builder value(Metric.Builder metric, int i, long step) {
        return switch (i % KINDS.length) {
            case 0 -> metric.setFloatValue((float) (20 + (i + step) % 50 * 0.5));
            case 1 -> metric.setDoubleValue(1 + (i * 7 + step) % 1000 / 100.0);
            case 2 -> metric.setIntValue((int) ((i + step) % 3000));
            default -> metric.setBooleanValue(((i + step) & 1) == 1);
        };
    }
}
