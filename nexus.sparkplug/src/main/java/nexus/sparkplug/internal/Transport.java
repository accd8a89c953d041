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
}
