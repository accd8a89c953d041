package nexus.sparkplug.internal;

import java.util.List;

/**
 * What one MQTT session serves: the edge node ({@link EdgeLinkRole}) or the host application
 * ({@link HostLinkRole}). Each role has a session of its own, because a session carries one will: an
 * edge node's NDEATH, a host's STATE offline. Every method but the topic getters runs on the
 * component's Sparkplug thread.
 */
interface LinkRole {

    /** @return what the role is, for the log: {@code edge plant/nexus1}, {@code host scada} */
    String describe();

    /** @return the topic of the will and of the last words published on a clean stop */
    String willTopic();

    /** @return whether the will and the last words are retained (a host's STATE is, an NDEATH is not) */
    boolean willRetained();

    /** A new session is about to connect: @return its will's payload */
    byte[] newSession();

    /** @return the topic filters to subscribe to (QoS 1) before the role is online */
    List<String> subscriptions();

    /** The session is connected and subscribed. */
    void online();

    /** The session is lost (or was never made): a new one follows with a backoff. */
    void offline();

    /** A message on one of the subscriptions. */
    void message(String topic, byte[] payload);

    /** @return the last words to publish on {@link #willTopic()} before a clean disconnect, or {@code null} for none */
    byte[] stop();
}
