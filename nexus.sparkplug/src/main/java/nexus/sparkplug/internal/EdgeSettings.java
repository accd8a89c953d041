package nexus.sparkplug.internal;

import java.util.Objects;

import nexus.core.Caller;
import nexus.query.Deadband;

/**
 * The edge node's part of etc/nexus.sparkplug.cfg, checked.
 *
 * @param groupId            the Sparkplug group id
 * @param edgeNodeId         the Sparkplug edge node id
 * @param identity           who the edge node acts as: its user and roles ({@code edge.user}, {@code edge.roles}),
 *                           source {@code sparkplug}; reads are this caller's, a write from NCMD is this caller's
 *                           roles with the requesting user named ({@link Commands})
 * @param primaryHost        the primary host application id to wait for, or {@code null}
 * @param publishIntervalMs  how long changes are collected into one NDATA
 * @param deadband           which changes are worth an NDATA ({@code edge.deadband.absolute} or
 *                           {@code edge.deadband.percent}), measured from the value last published
 * @param commandMaxAgeMs    the oldest NCMD write acted on
 * @param alarms             whether alarm states are published as metrics
 * @param metricsMax         the most tags one birth carries
 * @param qos                the QoS of NBIRTH and NDATA
 * @param notPublished       path prefixes (ending in '/') whose tags the edge node never publishes: the
 *                           namespace of the node's own host role, so that a node that is edge and host
 *                           does not publish its mirrors again (another host would mirror them one level
 *                           deeper, and two such nodes would mirror each other without end)
 */
record EdgeSettings(String groupId, String edgeNodeId, Caller identity, String primaryHost, int publishIntervalMs,
        Deadband deadband, int commandMaxAgeMs, boolean alarms, int metricsMax, int qos,
        java.util.List<String> notPublished) {

    EdgeSettings {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(edgeNodeId, "edgeNodeId");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(deadband, "deadband");
        notPublished = notPublished == null ? java.util.List.of() : java.util.List.copyOf(notPublished);
    }

    /** An edge node that publishes every tag its identity sees. */
    EdgeSettings(String groupId, String edgeNodeId, Caller identity, String primaryHost, int publishIntervalMs,
            Deadband deadband, int commandMaxAgeMs, boolean alarms, int metricsMax, int qos) {
        this(groupId, edgeNodeId, identity, primaryHost, publishIntervalMs, deadband, commandMaxAgeMs, alarms,
                metricsMax, qos, null);
    }
}
