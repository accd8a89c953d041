package nexus.stream;

import java.time.Instant;
import java.util.List;

/**
 * One open stream, as the console lists it.
 *
 * @param id            the connection's id, unique while the node runs
 * @param user          the caller's user
 * @param transport     {@code websocket} or {@code sse}
 * @param remote        where the client connects from
 * @param opened        when the connection was opened
 * @param pendingBytes  bytes sent to the transport and not yet written out
 * @param messages      messages sent
 * @param overflows     values discarded by coalescing, over all subscriptions (each flagged
 *                      {@code overflow} to the client)
 * @param subscriptions its subscriptions, in the order they were made
 * @since 1.0
 */
public record StreamInfo(String id, String user, String transport, String remote, Instant opened, long pendingBytes,
        long messages, long overflows, List<SubscriptionInfo> subscriptions) {

    public StreamInfo {
        subscriptions = List.copyOf(subscriptions);
    }

    /**
     * One subscription of a stream.
     *
     * @param id        the subscription's id, as the client knows it
     * @param kind      {@code tags} or {@code alarms}
     * @param target    what it follows: the SQL text, {@code N paths}, or the alarm filter
     * @param items     the tags (or alarms) it follows now
     * @param queued    values waiting to be sent
     * @param sequence  the sequence number of its last message
     * @param overflows values discarded by coalescing
     */
    public record SubscriptionInfo(String id, String kind, String target, int items, int queued, long sequence,
            long overflows) {
    }
}
