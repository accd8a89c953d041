package nexus.stream.internal;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
     * What the node may follow for its streams, checked when a subscription joins a feed.
     *
     * @param items   the most tags over every subscription ({@code items.node.max}; a tag two
     *                subscriptions follow counts twice). Checked before joining, so concurrent
     *                subscribes may pass it by one subscription's tags each.
     * @param samples the most tag samples a second over the open feeds ({@code samples.node.max}; a
     *                shared feed counts once), whole samples: only a join that opens a feed adds to
     *                them, and never past this
     */
    record NodeBudget(long items, long samples) {
        /** For a subscription that follows its tags already (a SQL subscription's rebind is not refused). */
        static final NodeBudget UNBOUNDED = new NodeBudget(Long.MAX_VALUE, Long.MAX_VALUE / SampleRate.UNIT);

        /** @return the budget these limits give (the engine's current ones) */
        static NodeBudget of(StreamLimits limits) {
            return new NodeBudget(limits.itemsNodeMax(), limits.samplesNodeMax());
        }
    }

    /**
     * Joins the member to the feed of the caller's access, these paths and this interval; the member
     * is told the feed's latest state ({@link Feed.Member#attached}) before this returns.
     *
     * @param budget what the node may follow once this member follows these tags
     * @throws NexusException BACKEND_UNAVAILABLE without a tag service; OVERLOADED beyond the
     *                        budget; what the tag service's watch or its first poll throws
     *                        (INVALID_ARGUMENT for a path that is no tag path)
     */
    Feed join(Caller caller, List<String> paths, int samplingMs, Feed.Member member, NodeBudget budget) {
        TagService service = tags.get();
        if (service == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no tag service runs: tag subscriptions are not"
                    + " served now; try again when the node has started");
        }
        long watched = counters.watched.get();
        if (watched + paths.size() > budget.items()) {
            throw new NexusException(ErrorCode.OVERLOADED, "the node follows " + watched + " tags for its streams and"
                    + " may follow at most " + budget.items() + " (items.node.max): this subscription's " + paths.size()
                    + " tags are refused; try again later, or subscribe to fewer tags", Duration.ofSeconds(5));
        }
        Feed.Key key = new Feed.Key(AccessPolicy.accessOf(policy.get(), caller), paths, samplingMs);
        while (true) {
            Feed feed = feeds.computeIfAbsent(key, k -> open(k, caller, service, budget.samples()));
            try {
                if (feed.attach(member, scheduling)) {
                    return feed;
                }
            } finally {
                if (feed.closed()) {
                    forget(feed);
                }
            }
        }
    }

    /** A new feed, within {@code samples.node.max}: its sample rate is taken until it is {@linkplain #forget forgotten}. */
    private Feed open(Feed.Key key, Caller caller, TagService service, long samplesMax) {
        long cost = key.sampleRate();
        long max = samplesMax * SampleRate.UNIT;
        while (true) {
            long now = counters.sampling.get();
            if (now + cost > max) {
                throw new NexusException(ErrorCode.OVERLOADED, "the node samples " + SampleRate.text(now) + " tags a"
                        + " second for its streams and may sample at most " + String.format(Locale.ROOT, "%,d", samplesMax)
                        + " (samples.node.max): this"
                        + " subscription's " + key.paths().size() + " tags every " + key.samplingMs() + " ms would add "
                        + SampleRate.text(cost) + "; subscribe to fewer tags or sample less often (a longer samplingMs;"
                        + " subscriptions to the same tags at the same samplingMs share one feed), or try again later",
                        Duration.ofSeconds(5));
            }
            if (counters.sampling.compareAndSet(now, now + cost)) {
                break;
            }
        }
        try {
            return new Feed(key, caller, service, counters);
        } catch (RuntimeException e) {
            counters.sampling.addAndGet(-cost);
            throw e;
        }
    }

    /** Drops a closed feed, once, and gives its sample rate back. */
    private void forget(Feed feed) {
        if (feeds.remove(feed.key(), feed)) {
            counters.sampling.addAndGet(-feed.key().sampleRate());
        }
    }

    /** The member leaves the feed; the last one closes it. Leaving a feed one is not a member of does nothing. */
    void leave(Feed feed, Feed.Member member) {
        if (feed != null && feed.detach(member)) {
            forget(feed);
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
