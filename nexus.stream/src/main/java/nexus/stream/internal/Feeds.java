package nexus.stream.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import nexus.core.AccessPolicy;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.TagService;

/**
 * The open {@link Feed}s by {@link Feed.Key}: subscriptions join the feed of their key (made, with
 * its watch, by the first) and leave it (the last closes it). Thread-safe.
 */
final class Feeds {

    private final ConcurrentHashMap<Feed.Key, Feed> feeds = new ConcurrentHashMap<>();
    private final Supplier<TagService> tags;
    private final Supplier<AccessPolicy> policy;
    private final Scheduling scheduling;
    private final StreamCounters counters;

    Feeds(Supplier<TagService> tags, Supplier<AccessPolicy> policy, Scheduling scheduling, StreamCounters counters) {
        this.tags = tags;
        this.policy = policy;
        this.scheduling = scheduling;
        this.counters = counters;
    }

    /**
     * Joins the member to the feed of the caller's access, these paths and this interval; the member
     * is told the feed's latest state ({@link Feed.Member#attached}) before this returns.
     *
     * @param nodeMax the most tags the node may follow over every subscription ({@code items.node.max})
     *                once this member follows these; {@link Long#MAX_VALUE} for a subscription that
     *                follows tags already (a SQL subscription's rebind is not refused). Checked before
     *                joining, so concurrent subscribes may pass it by one subscription's tags each.
     * @throws NexusException BACKEND_UNAVAILABLE without a tag service; OVERLOADED beyond
     *                        {@code nodeMax}; what the tag service's watch or its first poll throws
     *                        (INVALID_ARGUMENT for a path that is no tag path)
     */
    Feed join(Caller caller, List<String> paths, int samplingMs, Feed.Member member, long nodeMax) {
        TagService service = tags.get();
        if (service == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no tag service runs: tag subscriptions are not"
                    + " served now; try again when the node has started");
        }
        long watched = counters.watched.get();
        if (watched + paths.size() > nodeMax) {
            throw new NexusException(ErrorCode.OVERLOADED, "the node follows " + watched + " tags for its streams and"
                    + " may follow at most " + nodeMax + " (items.node.max): this subscription's " + paths.size()
                    + " tags are refused; try again later, or subscribe to fewer tags", Duration.ofSeconds(5));
        }
        Feed.Key key = new Feed.Key(AccessPolicy.accessOf(policy.get(), caller), paths, samplingMs);
        while (true) {
            Feed feed = feeds.computeIfAbsent(key, k -> new Feed(k, caller, service, counters));
            try {
                if (feed.attach(member, scheduling)) {
                    return feed;
                }
            } finally {
                if (feed.closed()) {
                    feeds.remove(key, feed);
                }
            }
        }
    }

    /** The member leaves the feed; the last one closes it. Leaving a feed one is not a member of does nothing. */
    void leave(Feed feed, Feed.Member member) {
        if (feed != null && feed.detach(member)) {
            feeds.remove(feed.key(), feed);
        }
    }

    /**
     * Has every feed watch through the tag service registered now, when it changed (its watches came
     * from a service that went away). Cheap when it did not: one comparison per feed.
     */
    void renew() {
        TagService service = tags.get();
        if (service != null) {
            feeds.values().forEach(feed -> feed.renew(service));
        }
    }

    /** @return the open feeds */
    int size() {
        return feeds.size();
    }

    /** @return the feed of a key, or null (for tests) */
    Feed get(Feed.Key key) {
        return feeds.get(key);
    }
}
