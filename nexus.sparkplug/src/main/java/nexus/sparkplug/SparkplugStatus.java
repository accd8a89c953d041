package nexus.sparkplug;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the federation is doing, at one moment.
 *
 * @param broker the broker connection
 * @param edge   the edge node role, or {@code null} when the node is not an edge node
 * @param counts counters since the component started
 * @param host   the host application role (the mirror of remote edge nodes), or {@code null} when the
 *               node is not a host application
 */
public record SparkplugStatus(Broker broker, Edge edge, Counts counts, Host host) {

    public SparkplugStatus {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(counts, "counts");
    }

    /** A status without the host application role. */
    public SparkplugStatus(Broker broker, Edge edge, Counts counts) {
        this(broker, edge, counts, null);
    }

    /**
     * The connection to the MQTT broker.
     *
     * @param url       the broker the client is connected to, or tries next
     * @param clientId  the MQTT client id
     * @param connected whether the client is connected now
     * @param since     when the connection was made or lost; {@code null} before the first attempt ended
     * @param problem   why the client is not connected (the broker's or the network's reason), or {@code null}
     */
    public record Broker(String url, String clientId, boolean connected, Instant since, String problem) {
    }

    /**
     * The edge node role.
     *
     * @param groupId         the Sparkplug group id
     * @param edgeNodeId      the Sparkplug edge node id
     * @param born            whether the current MQTT session published its NBIRTH (data flows only then)
     * @param bdSeq           the birth/death sequence number of the current (or next) session, 0–255
     * @param seq             the sequence number of the last message published, 0–255
     * @param metrics         the metrics in the last birth: tags plus node controls and alarm metrics
     * @param registryVersion the registry version the last birth was built from, 0 before the first
     * @param lastBirth       when the last NBIRTH was published, or {@code null}
     * @param primaryHost     the primary host application id the node waits for, or {@code null}
     * @param primaryHostOnline whether that host's STATE says online ({@code true} when none is configured)
     */
    public record Edge(String groupId, String edgeNodeId, boolean born, int bdSeq, int seq, int metrics,
            long registryVersion, Instant lastBirth, String primaryHost, boolean primaryHostOnline) {
    }

    /**
     * Counters since the component started.
     *
     * @param messagesIn      MQTT messages received
     * @param messagesOut     MQTT messages published
     * @param births          NBIRTH messages published
     * @param rebirthRequests {@code Node Control/Rebirth} commands received
     * @param writes          tag writes carried out from NCMD
     * @param writesRefused   tag writes from NCMD refused (by age, by the tag service, or malformed)
     * @param malformed       messages received that could not be decoded or used (counted, logged once per cause)
     * @param dropped         messages not published because the client was not connected
     * @param gaps            NDATA of remote edge nodes whose {@code seq} was not the next one (the node's
     *                        mirror went STALE and a rebirth was requested)
     * @param rebirthsRequested {@code Node Control/Rebirth} commands the host application sent to remote
     *                        edge nodes (after a gap, unknown metrics, data before a birth, our own reconnect)
     * @param staleDeaths     NDEATH messages ignored because their {@code bdSeq} was not the one of the
     *                        node's current birth (the death of an older session)
     * @param mirrorProblems  problems the registry reported for the host's contribution (e.g. a mirrored
     *                        path that a local tag already has): those tags are not served
     */
    public record Counts(long messagesIn, long messagesOut, long births, long rebirthRequests, long writes,
            long writesRefused, long malformed, long dropped, long gaps, long rebirthsRequested, long staleDeaths,
            long mirrorProblems) {

        /** Counts of a node without the host application role: its counters are 0. */
        public Counts(long messagesIn, long messagesOut, long births, long rebirthRequests, long writes,
                long writesRefused, long malformed, long dropped) {
            this(messagesIn, messagesOut, births, rebirthRequests, writes, writesRefused, malformed, dropped, 0, 0, 0, 0);
        }
    }

    /**
     * The host application role: the mirror of the remote edge nodes it hears.
     *
     * @param hostId the host application id (its STATE topic is {@code spBv1.0/STATE/<hostId>})
     * @param online whether the host's MQTT session is up (its STATE says online)
     * @param nodes  every remote edge node heard of, by group and edge node id
     */
    public record Host(String hostId, boolean online, List<RemoteNodeStatus> nodes) {

        public Host {
            Objects.requireNonNull(hostId, "hostId");
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * One remote edge node, as the host application mirrors it.
     *
     * @param groupId         the node's Sparkplug group id
     * @param edgeNodeId      the node's Sparkplug edge node id
     * @param online          whether the node's current session is born and has not died
     * @param stale           whether its mirrored values are STALE (death, a lost message, the host's own
     *                        connection lost, or no birth yet): they become current with the next NBIRTH
     * @param bdSeq           the bdSeq of the node's current birth, or -1 before its first birth
     * @param lastBirth       when the host took in the node's last NBIRTH, or {@code null}
     * @param metricsMirrored metrics of the last birth that are mirrored as tags
     * @param metricsSkipped  metrics of the last birth that are not (other datatypes, node controls, names
     *                        that are no tag path)
     * @param gaps            messages found missing in the node's sequence since the host started
     * @param bank            the name of the mirror bank holding the node's values, or {@code null} when
     *                        none (no birth yet, or no metric mirrored)
     * @param devices         the node's devices the host knows (each with a DBIRTH taken in; since 1.1)
     * @param devicesStale    how many of them are STALE now (died, the node reborn without them yet, or
     *                        the node STALE; since 1.1)
     */
    public record RemoteNodeStatus(String groupId, String edgeNodeId, boolean online, boolean stale, int bdSeq,
            Instant lastBirth, int metricsMirrored, int metricsSkipped, long gaps, String bank, int devices,
            int devicesStale) {

        /** A node without devices (the status of version 1.0). */
        public RemoteNodeStatus(String groupId, String edgeNodeId, boolean online, boolean stale, int bdSeq,
                Instant lastBirth, int metricsMirrored, int metricsSkipped, long gaps, String bank) {
            this(groupId, edgeNodeId, online, stale, bdSeq, lastBirth, metricsMirrored, metricsSkipped, gaps, bank, 0, 0);
        }
    }
}
