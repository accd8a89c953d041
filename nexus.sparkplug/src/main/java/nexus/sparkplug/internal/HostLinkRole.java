package nexus.sparkplug.internal;

import java.util.List;

/**
 * The host application's MQTT session (Sparkplug 3.0, host rules): its will is its STATE
 * {@code online:false}, retained; once subscribed it publishes its STATE {@code online:true}, retained,
 * with the same timestamp; on a clean stop the STATE {@code online:false} again.
 */
final class HostLinkRole implements LinkRole {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HostLinkRole.class);

    private final HostApplication host;
    private final String hostId;
    private final String stateTopic;
    private final Transport transport;
    /** Set when the host stops: its own STATE offline is then no forgery. Sparkplug thread only. */
    private boolean stopping;

    /** @param transport the host session's own link: the STATE goes out on it */
    HostLinkRole(HostApplication host, HostSettings settings, Topics topics, Transport transport) {
        this.host = host;
        this.hostId = settings.hostId();
        this.stateTopic = topics.state(settings.hostId());
        this.transport = transport;
    }

    @Override
    public String describe() {
        return "host " + hostId;
    }

    @Override
    public String willTopic() {
        return stateTopic;
    }

    @Override
    public boolean willRetained() {
        return true;
    }

    @Override
    public byte[] newSession() {
        return host.stateWill();
    }

    @Override
    public List<String> subscriptions() {
        List<String> topics = new java.util.ArrayList<>(host.subscriptions());
        topics.add(stateTopic); // its own: a STATE offline someone else published there is put right
        return topics;
    }

    @Override
    public void online() {
        transport.publish(stateTopic, host.stateOnline(), 1, true);
        host.online();
    }

    @Override
    public void offline() {
        host.offline();
    }

    @Override
    public void message(String topic, byte[] payload) {
        if (!topic.equals(stateTopic)) {
            host.message(topic, payload);
            return;
        }
        boolean online;
        try {
            online = HostState.parse(payload).online();
        } catch (IllegalArgumentException e) {
            online = false;
        }
        if (!online && !stopping) {
            // Sparkplug 3.0: a host that finds its STATE saying offline while it is online publishes it again
            LOG.warn("Sparkplug host {}: its STATE topic said offline while it is online (a stale will, or another"
                    + " client): it is published online again", hostId);
            transport.publish(stateTopic, host.stateOnline(), 1, true);
        }
    }

    @Override
    public byte[] stop() {
        stopping = true;
        try {
            host.stop();
        } catch (RuntimeException e) {
            // the STATE offline must still go out: edges that wait for this host would publish to nobody
            LOG.warn("Sparkplug host {}: the mirrors could not be withdrawn from the registry ({}); the STATE offline"
                    + " is published all the same", hostId, e.getMessage());
        }
        return host.stateOffline();
    }
}
