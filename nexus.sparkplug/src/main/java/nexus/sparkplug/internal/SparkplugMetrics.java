package nexus.sparkplug.internal;

import java.util.List;

import nexus.core.MetricFamily;
import nexus.core.MetricFamily.Type;
import nexus.sparkplug.SparkplugStatus;

/** The federation's figures as {@code /metrics} families (docs/federation.md). */
final class SparkplugMetrics {

    private SparkplugMetrics() {
    }

    /**
     * @param counts    the counters; all zero when the configuration is refused
     * @param connected whether the MQTT client is connected
     * @param bdSeq     the bdSeq of the current (or next) session
     */
    static List<MetricFamily> of(SparkplugStatus.Counts counts, boolean connected, int bdSeq) {
        return List.of(
                counter("messages_in", "MQTT messages received (NCMD, STATE).", counts.messagesIn()),
                counter("messages_out", "MQTT messages published (NBIRTH, NDATA, NDEATH).", counts.messagesOut()),
                counter("births", "NBIRTH messages published.", counts.births()),
                counter("rebirth_requests", "Node Control/Rebirth commands received.", counts.rebirthRequests()),
                counter("writes", "Tag writes carried out from NCMD.", counts.writes()),
                counter("writes_refused", "Tag writes from NCMD refused (too old, unknown, wrong kind, or by the tag"
                        + " service).", counts.writesRefused()),
                counter("malformed", "Messages received that could not be decoded or used.", counts.malformed()),
                counter("dropped", "Messages not published because the client was not connected.", counts.dropped()),
                MetricFamily.single("nexus_sparkplug_connected", Type.GAUGE,
                        "1 while the MQTT client is connected to the broker, else 0.", connected ? 1 : 0),
                MetricFamily.single("nexus_sparkplug_bdseq", Type.GAUGE,
                        "The Sparkplug birth/death sequence number of the current session (0-255).", bdSeq));
    }

    private static MetricFamily counter(String name, String help, long value) {
        return MetricFamily.single("nexus_sparkplug_" + name + "_total", Type.COUNTER, help, value);
    }
}
