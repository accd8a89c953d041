package nexus.sparkplug.internal;

/**
 * Where the edge node's messages go: the MQTT client ({@link MqttLink}) in the node, a recording one
 * in tests.
 */
interface Transport {

    /**
     * Publishes one message without waiting for the broker.
     *
     * @return whether the message was handed to a connected client; {@code false} when the client is
     *         not connected (the message is dropped, and counted in {@link Counters#dropped} by the
     *         transport: the caller does not count it again)
     */
    boolean publish(String topic, byte[] payload, int qos, boolean retained);

    /**
     * Ends the session cleanly (a DISCONNECT: the broker drops the will) and makes a new one at once,
     * with a new bdSeq: what the edge node does after publishing its own NDEATH when the primary host
     * goes offline. Called on the Sparkplug thread; a transport without sessions does nothing.
     */
    default void reconnect() {
    }
}
