package nexus.sparkplug;

import java.time.Instant;
import java.util.Objects;

/**
 * What the federation is doing, at one moment.
 *
 * @param broker the broker connection
 * @param edge   the edge node role, or {@code null} when the node is not an edge node
 * @param counts counters since the component started
 */
public record SparkplugStatus(Broker broker, Edge edge, Counts counts) {

    public SparkplugStatus {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(counts, "counts");
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
     */
    public record Counts(long messagesIn, long messagesOut, long births, long rebirthRequests, long writes,
            long writesRefused, long malformed, long dropped) {
    }
}
