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
        return of(counts, connected, bdSeq, null, -1, null);
    }

    /**
     * @param host     the host application's status, or {@code null} when the node is no host
     * @param lagMillis the lag of the last NDATA the host took in, ms; -1 before the first
     * @param lag      the lag of every NDATA the host took in (read only when {@code host} is given)
     */
    static List<MetricFamily> of(SparkplugStatus.Counts counts, boolean connected, int bdSeq, SparkplugStatus.Host host,
            long lagMillis, LagHistogram lag) {
        List<MetricFamily> families = new java.util.ArrayList<>(edge(counts, connected, bdSeq));
        if (host != null) {
            long stale = host.nodes().stream().filter(SparkplugStatus.RemoteNodeStatus::stale).count();
            families.add(counter("gaps", "Messages found missing in mirrored edge nodes' sequences.", counts.gaps()));
            families.add(counter("rebirths_requested", "Node Control/Rebirth commands the host sent to edge nodes.",
                    counts.rebirthsRequested()));
            families.add(counter("stale_deaths", "NDEATH messages of an older session, ignored.", counts.staleDeaths()));
            families.add(counter("mirror_problems", "Problems the registry reported for the host's mirrors (tags left"
                    + " out for a path the node already has).", counts.mirrorProblems()));
            families.add(MetricFamily.single("nexus_sparkplug_nodes", Type.GAUGE, "Edge nodes the host mirrors.",
                    host.nodes().size()));
            families.add(MetricFamily.single("nexus_sparkplug_nodes_stale", Type.GAUGE,
                    "Mirrored edge nodes whose values are STALE now.", stale));
            families.add(MetricFamily.single("nexus_sparkplug_mirror_lag_last_seconds", Type.GAUGE, "Arrival of the last"
                    + " NDATA the host took in minus its payload timestamp (the edge's clock: includes skew); -1 before"
                    + " the first.", lagMillis < 0 ? -1 : lagMillis / 1000.0));
            families.add(lag.family("nexus_sparkplug_mirror_lag_seconds", "Arrival of each NDATA the host took in"
                    + " (values in its mirror) minus its payload timestamp (the edge's clock: includes skew; ahead"
                    + " counts as 0)."));
        }
        return families;
    }

    private static List<MetricFamily> edge(SparkplugStatus.Counts counts, boolean connected, int bdSeq) {
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
