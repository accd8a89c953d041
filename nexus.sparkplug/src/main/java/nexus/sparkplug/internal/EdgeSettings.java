package nexus.sparkplug.internal;

import java.util.Objects;

import nexus.core.Caller;

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
 * @param deadbandAbsolute   the absolute deadband (0: none)
 * @param deadbandPercent    the deadband in percent of the engineering range (0: none)
 * @param commandMaxAgeMs    the oldest NCMD write acted on
 * @param alarms             whether alarm states are published as metrics
 * @param metricsMax         the most tags one birth carries
 * @param qos                the QoS of NBIRTH and NDATA
 */
record EdgeSettings(String groupId, String edgeNodeId, Caller identity, String primaryHost, int publishIntervalMs,
        double deadbandAbsolute, double deadbandPercent, int commandMaxAgeMs, boolean alarms, int metricsMax, int qos) {

    EdgeSettings {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(edgeNodeId, "edgeNodeId");
        Objects.requireNonNull(identity, "identity");
    }
}
