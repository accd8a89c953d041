package nexus.shell.internal;

import java.util.ArrayList;
import java.util.List;

import nexus.sparkplug.SparkplugStatus;
import nexus.sparkplug.SparkplugStatus.Broker;
import nexus.sparkplug.SparkplugStatus.Counts;
import nexus.sparkplug.SparkplugStatus.Edge;

/** Renders the federation's status for the console: three blocks (broker, edge, counters) of aligned name/value lines. */
final class SparkplugText {

    private static final int WIDEST = 200;

    private SparkplugText() {
    }

    static String status(SparkplugStatus status) {
        List<List<String>> rows = new ArrayList<>();
        Broker broker = status.broker();
        rows.add(List.of("broker", broker.url() + (broker.clientId().isEmpty() ? "" : " (client " + broker.clientId() + ")")));
        rows.add(List.of("connected", (broker.connected() ? "yes" : "no")
                + (broker.since() == null ? "" : (broker.connected() ? ", since " : ", lost ") + TextTable.time(broker.since()))));
        if (broker.problem() != null) {
            rows.add(List.of("problem", broker.problem()));
        }
        Edge edge = status.edge();
        if (edge == null) {
            rows.add(List.of("edge", "none"));
        } else {
            rows.add(List.of("edge", edge.groupId() + "/" + edge.edgeNodeId()));
            rows.add(List.of("born", edge.born() ? "yes" : "no"));
            rows.add(List.of("bdSeq", Integer.toString(edge.bdSeq())));
            rows.add(List.of("seq", Integer.toString(edge.seq())));
            rows.add(List.of("metrics", Integer.toString(edge.metrics())));
            rows.add(List.of("registry version", Long.toString(edge.registryVersion())));
            rows.add(List.of("last birth", edge.lastBirth() == null ? "never" : TextTable.time(edge.lastBirth())));
            rows.add(List.of("primary host", edge.primaryHost() == null ? "none (birth at once)"
                    : edge.primaryHost() + (edge.primaryHostOnline() ? " (online)" : " (offline: waiting)")));
        }
        Counts counts = status.counts();
        rows.add(List.of("messages in/out", counts.messagesIn() + " / " + counts.messagesOut()));
        rows.add(List.of("births", Long.toString(counts.births())));
        rows.add(List.of("rebirth requests", Long.toString(counts.rebirthRequests())));
        rows.add(List.of("writes", counts.writes() + " (" + counts.writesRefused() + " refused)"));
        rows.add(List.of("malformed", Long.toString(counts.malformed())));
        rows.add(List.of("dropped", Long.toString(counts.dropped())));
        SparkplugStatus.Host host = status.host();
        if (host != null) {
            rows.add(List.of("host", host.hostId() + (host.online() ? " (STATE online)" : " (offline)")));
            rows.add(List.of("gaps / rebirths asked", counts.gaps() + " / " + counts.rebirthsRequested()));
            rows.add(List.of("stale deaths", Long.toString(counts.staleDeaths())));
            rows.add(List.of("mirror problems", Long.toString(counts.mirrorProblems())));
        }
        List<String> lines = TextTable.lines(List.of("", ""), rows, WIDEST);
        StringBuilder out = new StringBuilder();
        lines.subList(1, lines.size()).forEach(line -> out.append(line).append('\n'));
        if (host != null) {
            out.append('\n').append(nodes(host.nodes()));
        }
        return out.toString();
    }

    /**
     * @return the mirrored edge nodes, one line each (with how many devices each has, and how many of
     *         them are STALE); "no edge node heard yet" when none
     */
    static String nodes(List<SparkplugStatus.RemoteNodeStatus> nodes) {
        if (nodes.isEmpty()) {
            return "no edge node heard yet\n";
        }
        List<List<String>> rows = new ArrayList<>();
        for (SparkplugStatus.RemoteNodeStatus node : nodes) {
            rows.add(List.of(node.groupId() + "/" + node.edgeNodeId(), node.online() ? "online" : "offline",
                    node.stale() ? "STALE" : "current", Integer.toString(node.bdSeq()),
                    node.lastBirth() == null ? "never" : TextTable.time(node.lastBirth()),
                    node.metricsMirrored() + (node.metricsSkipped() == 0 ? "" : " (+" + node.metricsSkipped() + " skipped)"),
                    Long.toString(node.gaps()), node.bank() == null ? "" : node.bank(),
                    node.devices() + (node.devicesStale() == 0 ? "" : " (" + node.devicesStale() + " STALE)")));
        }
        StringBuilder out = new StringBuilder();
        TextTable.lines(List.of("EDGE NODE", "SESSION", "VALUES", "BDSEQ", "LAST BIRTH", "MIRRORED", "GAPS", "BANK",
                "DEVICES"), rows,
                WIDEST).forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }
}
