package nexus.stream.internal;

/**
 * The limits of docs/streams.md ("Configuration"), checked once: what the engine and its connections
 * enforce.
 *
 * @param connectionsMax    open streams at once
 * @param subscriptionsMax  subscriptions per connection
 * @param itemsMax          tags per subscription
 * @param itemsNodeMax      tags followed over every subscription of the node (a tag two subscriptions
 *                          follow counts twice): a subscribe beyond it is refused with OVERLOADED
 * @param samplingMinMs     the shortest sampling interval
 * @param samplingDefaultMs the sampling interval of a subscribe that names none
 * @param queueMax          the largest {@code queueSize}
 * @param bufferBytes       per connection: characters of messages handed to the transport and not yet written
 * @param stallSeconds      how long a buffer may stay full before the connection is closed (4008)
 * @param heartbeatSeconds  idle time before a heartbeat
 * @param inboundRate       client messages per second
 * @param inboundBurst      client messages above the rate in a burst
 * @param connectionsIdentityMax open streams at once of one identity (the caller's user)
 * @param samplesConnectionMax   tag samples a second one connection's tag subscriptions take (each
 *                               {@code tags × 1000 / samplingMs}): a subscribe beyond it is refused with
 *                               OVERLOADED
 * @param samplesNodeMax         tag samples a second over the node's feeds (a feed that subscriptions share
 *                               counts once): a subscribe that needs a new feed beyond it is refused with
 *                               OVERLOADED
 */
record StreamLimits(int connectionsMax, int subscriptionsMax, int itemsMax, long itemsNodeMax, int samplingMinMs, int samplingDefaultMs,
        int queueMax, long bufferBytes, int stallSeconds, int heartbeatSeconds, int inboundRate, int inboundBurst,
        int connectionsIdentityMax, long samplesConnectionMax, long samplesNodeMax) {

    /** The longest sampling interval, in ms. */
    static final int SAMPLING_MAX_MS = 60_000;
    /** The longest heartbeat interval: well inside the transports' 60 s idle timeout. */
    static final int HEARTBEAT_MAX_SECONDS = 30;
    /** The highest {@code maxRate}, data messages per second. */
    static final int MAX_RATE = 1_000;
    /** The lowest {@code maxRate}: one data message per 100 s (a lower rate would hold changes back for days). */
    static final double MIN_RATE = 0.01;
    /** The longest client message, in UTF-8 bytes: the contract's, checked again here for any transport. */
    static final int MESSAGE_MAX = nexus.stream.StreamSession.MESSAGE_BYTES_MAX;

    /** The defaults of docs/streams.md. */
    static final StreamLimits DEFAULTS = new StreamLimits(2000, 64, 10_000, 1_000_000, 10, 100, 100, 1_048_576, 10, 15, 20, 100,
            64, 1_000_000, 20_000_000);

    StreamLimits {
        positive("connections.max", connectionsMax);
        positive("subscriptions.max", subscriptionsMax);
        positive("items.max", itemsMax);
        positive("items.node.max", itemsNodeMax);
        positive("sampling.min.ms", samplingMinMs);
        positive("queue.max", queueMax);
        positive("buffer.bytes", bufferBytes);
        positive("stall.seconds", stallSeconds);
        positive("heartbeat.seconds", heartbeatSeconds);
        positive("inbound.rate", inboundRate);
        positive("inbound.burst", inboundBurst);
        positive("connections.identity.max", connectionsIdentityMax);
        positive("samples.connection.max", samplesConnectionMax);
        positive("samples.node.max", samplesNodeMax);
        if (heartbeatSeconds > HEARTBEAT_MAX_SECONDS) {
            throw new IllegalArgumentException("heartbeat.seconds is " + heartbeatSeconds + "; it must be at most "
                    + HEARTBEAT_MAX_SECONDS + " (a WebSocket that carries nothing for 60 s is closed): fix etc/nexus.stream.cfg");
        }
        if (samplingMinMs > SAMPLING_MAX_MS || samplingDefaultMs < samplingMinMs || samplingDefaultMs > SAMPLING_MAX_MS) {
            throw new IllegalArgumentException("sampling.default.ms " + samplingDefaultMs + " is not between sampling.min.ms "
                    + samplingMinMs + " and " + SAMPLING_MAX_MS + ": fix etc/nexus.stream.cfg");
        }
    }

    /**
     * @return whether the message is longer than {@link #MESSAGE_MAX} UTF-8 bytes, as the transport
     *         counts it (a character is 1 to 3 bytes, a surrogate pair 4: the length in characters
     *         settles most messages without counting bytes)
     */
    static boolean tooBig(String message) {
        int chars = message.length();
        if (chars > MESSAGE_MAX) {
            return true;
        }
        return chars > MESSAGE_MAX / 3 && JsonText.utf8Length(message) > MESSAGE_MAX;
    }

    /** @return the limits a configuration names */
    static StreamLimits of(StreamConfig config) {
        return new StreamLimits(config.connections_max(), config.subscriptions_max(), config.items_max(),
                config.items_node_max(), config.sampling_min_ms(), config.sampling_default_ms(), config.queue_max(), config.buffer_bytes(),
                config.stall_seconds(), config.heartbeat_seconds(), config.inbound_rate(), config.inbound_burst(),
                config.connections_identity_max(), config.samples_connection_max(), config.samples_node_max());
    }

    private static void positive(String key, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " is " + value + "; it must be at least 1: fix etc/nexus.stream.cfg");
        }
    }
}
