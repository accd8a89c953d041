package nexus.sparkplug.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's rebirth requests ({@code Node Control/Rebirth} = true in an NCMD): to a mirrored node
 * whose messages it could not follow, and to a node it hears without a birth (a host that started
 * after it). At most one every {@value #RETRY_MS} ms per node, whatever a peer sends: a birth does not
 * reset the interval, so forged gaps cannot turn into one birth per message. Nodes without a birth
 * are remembered in a bounded map, eldest forgotten. Host (Sparkplug) thread only.
 */
final class RebirthRequests {

    /** The shortest wait between two rebirth requests to one node, ms. */
    static final long RETRY_MS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(RebirthRequests.class);

    private final Transport transport;
    private final Topics topics;
    private final Counters counters;
    private final Clock clock;
    /** Nodes heard without a birth, by id, and when a rebirth was last asked of each. */
    private final Map<String, Long> unborn;

    RebirthRequests(Transport transport, Topics topics, Counters counters, Clock clock, int maxUnborn) {
        this.transport = transport;
        this.topics = topics;
        this.counters = counters;
        this.clock = clock;
        this.unborn = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxUnborn;
            }
        };
    }

    /** Asks a mirrored node for a rebirth, unless it was asked less than the retry interval ago. */
    void request(RemoteNode node, String why) {
        long now = clock.millis();
        if (node.rebirthRequested != null && now - node.rebirthRequested < RETRY_MS) {
            return;
        }
        // Not connected: nothing is sent (the link counts the drop); the host asks every node again when back.
        if (send(node.groupId, node.edgeNodeId, now)) {
            node.rebirthRequested = now;
            LOG.debug("Sparkplug host: rebirth of {} requested: {}", node.id(), why);
        }
    }

    /** Asks again whatever the interval: the host's session began, and every node may have sent what it missed. */
    void requestNow(RemoteNode node, String why) {
        node.rebirthRequested = null;
        request(node, why);
    }

    /** Data from a node with no birth here: a rebirth is asked for, at most once every retry interval per node. */
    void requestUnborn(String groupId, String edgeNodeId, String type) {
        String key = groupId + "/" + edgeNodeId;
        long now = clock.millis();
        Long asked = unborn.get(key);
        if (asked != null && now - asked < RETRY_MS) {
            return;
        }
        if (send(groupId, edgeNodeId, now)) {
            unborn.put(key, now);
            LOG.debug("Sparkplug host: rebirth of {} requested: its {} came without a birth", key, type);
        }
    }

    private boolean send(String groupId, String edgeNodeId, long now) {
        if (!transport.publish(topics.node(groupId, "NCMD", edgeNodeId), HostMessages.rebirth(now), 0, false)) {
            return false;
        }
        counters.rebirthsRequested.increment();
        return true;
    }
}
