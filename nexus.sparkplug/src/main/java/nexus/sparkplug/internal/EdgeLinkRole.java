package nexus.sparkplug.internal;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge node's MQTT session: its will is the NDEATH of the session's bdSeq; it subscribes to its
 * NCMD topic and, when one is configured, to the primary host's STATE.
 */
final class EdgeLinkRole implements LinkRole {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeLinkRole.class);

    private final EdgeRole edge;
    private final EdgeSettings settings;
    private final Counters counters;
    private final String ncmdTopic;
    private final String ndeathTopic;
    private final String stateTopic;
    private final OnceLog logged = new OnceLog();

    EdgeLinkRole(EdgeRole edge, EdgeSettings settings, Topics topics, Counters counters) {
        this.edge = edge;
        this.settings = settings;
        this.counters = counters;
        this.ncmdTopic = topics.node(settings.groupId(), "NCMD", settings.edgeNodeId());
        this.ndeathTopic = topics.node(settings.groupId(), "NDEATH", settings.edgeNodeId());
        this.stateTopic = settings.primaryHost() == null ? null : topics.state(settings.primaryHost());
    }

    @Override
    public String describe() {
        return "edge " + settings.groupId() + "/" + settings.edgeNodeId();
    }

    @Override
    public String willTopic() {
        return ndeathTopic;
    }

    @Override
    public boolean willRetained() {
        return false;
    }

    @Override
    public byte[] newSession() {
        return edge.newSession();
    }

    @Override
    public List<String> subscriptions() {
        List<String> topics = new ArrayList<>(2);
        topics.add(ncmdTopic);
        if (stateTopic != null) {
            topics.add(stateTopic);
        }
        return topics;
    }

    @Override
    public void online() {
        logged.reset();
        edge.online();
    }

    @Override
    public void offline() {
        edge.offline();
    }

    @Override
    public void message(String topic, byte[] payload) {
        if (topic.equals(ncmdTopic)) {
            edge.command(payload);
        } else if (topic.equals(stateTopic)) {
            HostState state;
            try {
                state = HostState.parse(payload);
            } catch (IllegalArgumentException e) {
                counters.malformed.increment();
                if (logged.first("STATE")) {
                    LOG.warn("Sparkplug: ignored a STATE on {}: {}", topic, e.getMessage());
                }
                return;
            }
            edge.primaryHostState(state.online(), state.timestamp());
        }
    }

    @Override
    public byte[] stop() {
        return edge.stop();
    }
}
