package nexus.stream.internal;

import nexus.stream.StreamInfo.SubscriptionInfo;

/**
 * One subscription of a connection, as the connection drives it: it gathers what its source
 * produced (tag samples, alarm events) on its own, tells the connection through {@link Wake} that it
 * has something, and makes its next message only when the connection asks, that is when the
 * connection's buffer has room. Until then what it gathered coalesces: a subscription's memory is
 * bounded by its own items, never by how far behind the client is.
 */
interface Subscription {

    /** @return the id the client knows it by ({@code s1}, {@code s2}, …) */
    String id();

    /**
     * @param nowNanos {@link System#nanoTime()} now (for rate limits)
     * @return the next message to send, or {@code null} when nothing is ready (or its rate limit
     *         says not yet); the subscription counts the message's {@code seq} when it makes it
     */
    Outgoing next(long nowNanos);

    /** @return the sequence number of the last message made ({@code 0} before the first) */
    long sequence();

    /**
     * @return whether the subscription must close the connection: it fell further behind than it
     *         can coalesce (an alarm subscription whose unsent events are about to leave the ring);
     *         {@code null} when not, else the reason for {@link nexus.stream.StreamClose#SLOW_CONSUMER}
     */
    String behind();

    /** @return what the console lists */
    SubscriptionInfo info();

    /** Ends it: no more messages, its source forgets it. */
    void close();

    /** How a subscription tells its connection that it has something to send; thread-safe, never blocks. */
    @FunctionalInterface
    interface Wake {
        void wake();
    }

    /**
     * One message ready to send.
     *
     * @param json     the message's JSON text
     * @param resumeId {@code <run>:<sequence>} for alarm messages (Server-Sent Events' {@code id:}), else null
     */
    record Outgoing(String json, String resumeId) {
    }
}
