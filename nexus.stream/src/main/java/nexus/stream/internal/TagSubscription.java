package nexus.stream.internal;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import nexus.core.Caller;
import nexus.stream.StreamInfo.SubscriptionInfo;

/**
 * A tag subscription (docs/streams.md): a member of the {@link Feed} of its tags, it applies its own
 * deadband and queue ({@link ItemQueue}) to the feed's shared readings and makes its messages when its
 * connection asks: first the snapshot (with the request id), then a {@code tags} message after a
 * registry version change, then {@code data} messages with what changed, at most {@code maxRate} a
 * second. Its memory is bounded by its tags and queue size, never by how far behind the client is.
 *
 * <p>A path subscription keeps its feed: the feed's watch resolves the paths again in a new registry
 * version and says which tags came and went. A SQL subscription has its query run again
 * ({@code requery}, off the sampler) when its feed sees a new registry version, ignores the old feed's
 * readings meanwhile, and then {@linkplain #rebind moves} to the feed of the new answer; the tags both
 * answers hold keep their state. Thread-safe: the sampler, the dispatcher and the request thread meet
 * here; it never calls into a feed while it holds itself (feeds call it while they hold themselves).
 */
final class TagSubscription implements Subscription, Feed.Member {

    private final String id;
    private final TagRequest request;
    private final Caller caller;
    private final Feeds feeds;
    private final Wake wake;
    private final Consumer<TagSubscription> requery;
    private final StreamCounters counters;
    private final long minIntervalNanos;

    private Feed feed;
    /** The paths in the order the client (or the query) gave them; the feed keeps them sorted. */
    private List<String> asked;
    /** Its tags by their index in the feed's (sorted) path list, where the feed's fragments point. */
    private ItemQueue[] items;
    /** Its tags in the order asked: the snapshot's order. */
    private final Map<String, ItemQueue> byPath = new LinkedHashMap<>();
    /**
     * Tags with waiting readings, in the order they first changed. A tag that stops waiting (a
     * {@code tags} message or a registry change carried its reading) is only unlisted
     * ({@link ItemQueue#listed}), not removed (that would cost a scan of the deque per tag): draining
     * steps over unlisted entries, and {@link #listed} counts the listed ones.
     */
    private final ArrayDeque<ItemQueue> changed = new ArrayDeque<>();
    private int listed;
    private long version;
    private boolean snapshotDue = true;
    private boolean stale;
    private final Set<String> added = new LinkedHashSet<>();
    private final Set<String> removed = new LinkedHashSet<>();
    private boolean tagsDue;
    private long sequence;
    private boolean sentData;
    /**
     * When the next data message is due by {@code maxRate} (a generic cell rate algorithm): one may go
     * up to half an interval early, so that samples taken at the rate itself, which arrive with a
     * scheduler's jitter, all pass, while the rate over any longer span never exceeds {@code maxRate}.
     */
    private long dataDue;
    private long overflows;
    private boolean closed;

    private TagSubscription(String id, TagRequest request, Caller caller, Feeds feeds, Wake wake,
            Consumer<TagSubscription> requery, StreamCounters counters) {
        this.id = id;
        this.request = request;
        this.caller = caller;
        this.feeds = feeds;
        this.wake = wake;
        this.requery = requery;
        this.counters = counters;
        this.minIntervalNanos = request.maxRate() > 0 ? (long) (1e9 / request.maxRate()) : 0;
    }

    /**
     * Opens a subscription to these tags: joins their feed, and has its snapshot ready.
     *
     * @param paths   the tags (the request's paths, or the answer of its query), each once
     * @param requery for a SQL subscription, what runs its query again and then calls {@link #rebind}
     *                (or {@link #rebind} with {@link #paths()} when it fails); null for paths
     * @param budget  what the node may follow, as {@link Feeds#join}
     * @throws nexus.core.NexusException as {@link Feeds#join}
     */
    static TagSubscription open(String id, TagRequest request, List<String> paths, Caller caller, Feeds feeds,
            Wake wake, Consumer<TagSubscription> requery, StreamCounters counters, Feeds.NodeBudget budget) {
        TagSubscription subscription = new TagSubscription(id, request, caller, feeds, wake, requery, counters);
        subscription.asked = List.copyOf(paths);
        feeds.join(caller, paths, request.samplingMs(), subscription, budget);
        subscription.wake.wake();
        return subscription;
    }

    @Override
    public String id() {
        return id;
    }

    /** @return the request it was made from */
    TagRequest request() {
        return request;
    }

    /** @return the paths it follows now, in the order asked */
    synchronized List<String> paths() {
        return List.copyOf(byPath.keySet());
    }

    /**
     * Moves a SQL subscription to the tags of its query's new answer: joins their feed (the same one
     * when the answer did not change), tells the client what came and went, and leaves the old feed.
     * Between the join and the leave the old feed may still hand it a sample: {@link #sampled} ignores
     * any feed that is not its current one. Not refused by the node's budget ({@code items.node.max},
     * {@code samples.node.max}): its tags are followed already.
     */
    void rebind(List<String> paths) {
        Feed previous;
        synchronized (this) {
            previous = feed;
            asked = List.copyOf(paths);
        }
        Feed next = feeds.join(caller, paths, request.samplingMs(), this, Feeds.NodeBudget.UNBOUNDED);
        boolean gone;
        synchronized (this) {
            gone = closed;
        }
        if (next != previous) {
            feeds.leave(previous, this);
        }
        if (gone) {
            feeds.leave(next, this);
        }
        wake.wake();
    }

    @Override
    public synchronized void attached(Feed source, Fragment[] latest, long registryVersion) {
        ItemQueue[] next = new ItemQueue[latest.length];
        Map<String, ItemQueue> nextByPath = new LinkedHashMap<>();
        boolean first = feed == null;
        for (int i = 0; i < latest.length; i++) {
            Fragment fragment = latest[i];
            String path = source.key().paths().get(i);
            ItemQueue kept = byPath.get(path);
            if (kept != null) {
                next[i] = kept;
                if (fragment != null && snapshotDue) {
                    kept.accept(fragment);
                } else if (fragment != null && !fragment.same(kept.accepted())
                        && fragment.passes(request.deadband(), kept.accepted())) {
                    queue(kept, fragment);
                }
            } else {
                next[i] = new ItemQueue(request.queueSize(), fragment);
                if (!first && !snapshotDue) {
                    removed.remove(path);
                    added.add(path);
                }
            }
            nextByPath.put(path, next[i]);
        }
        if (!first && !snapshotDue) {
            for (Map.Entry<String, ItemQueue> old : byPath.entrySet()) {
                if (!nextByPath.containsKey(old.getKey())) {
                    old.getValue().clear();
                    unlist(old.getValue());
                    added.remove(old.getKey());
                    removed.add(old.getKey());
                }
            }
            tagsDue = tagsDue || registryVersion != version || !added.isEmpty() || !removed.isEmpty();
        }
        items = next;
        byPath.clear();
        for (String path : asked) {
            ItemQueue item = nextByPath.get(path);
            if (item != null) {
                byPath.putIfAbsent(path, item);
            }
        }
        byPath.putAll(nextByPath); // adds nothing: the feed follows the paths asked, sorted
        feed = source;
        version = registryVersion;
        stale = false;
    }

    @Override
    public void sampled(Feed source, List<Fragment> data, Feed.VersionChange change) {
        boolean rerun = false;
        boolean ready;
        synchronized (this) {
            if (closed || source != feed) {
                return; // a feed it has left or is leaving (a rebind): its indices are not those of items
            }
            if (change != null) {
                if (requery != null) {
                    rerun = !stale;
                    stale = true;
                } else {
                    moved(change);
                }
            }
            if (!stale) {
                for (Fragment fragment : data) {
                    ItemQueue item = items[fragment.index()];
                    if (fragment.passes(request.deadband(), item.accepted())) {
                        if (snapshotDue) {
                            item.accept(fragment);
                        } else {
                            queue(item, fragment);
                        }
                    }
                }
            }
            ready = snapshotDue || tagsDue || listed > 0;
        }
        if (rerun) {
            requery.accept(this);
        }
        if (ready) {
            wake.wake();
        }
    }

    /** A path subscription's registry version change: the tags that came and went, for the {@code tags} message. */
    private void moved(Feed.VersionChange change) {
        version = change.version();
        for (Fragment fragment : change.added()) {
            ItemQueue item = items[fragment.index()];
            unlist(item);
            item.accept(fragment);
            removed.remove(fragment.path());
            added.add(fragment.path());
        }
        for (Fragment fragment : change.removed()) {
            ItemQueue item = items[fragment.index()];
            unlist(item);
            item.accept(fragment);
            added.remove(fragment.path());
            removed.add(fragment.path());
        }
        if (snapshotDue) {
            added.clear();
            removed.clear();
        } else {
            tagsDue = true;
        }
    }

    private void queue(ItemQueue item, Fragment fragment) {
        int discarded = item.offer(fragment);
        if (discarded > 0) {
            overflows += discarded;
            counters.overflows.add(discarded);
        }
        if (!item.listed) {
            item.listed = true;
            listed++;
            changed.add(item);
        }
    }

    private void unlist(ItemQueue item) {
        if (item.listed) {
            item.listed = false;
            listed--;
        }
    }

    @Override
    public synchronized Outgoing next(long nowNanos) {
        if (closed || items == null) {
            return null;
        }
        if (snapshotDue) {
            snapshotDue = false;
            sentData = true;
            dataDue = nowNanos + minIntervalNanos;
            return new Outgoing(snapshot(), null);
        }
        if (tagsDue) {
            tagsDue = false;
            return new Outgoing(tags(), null);
        }
        if (listed == 0 || sentData && minIntervalNanos > 0 && nowNanos < dataDue - minIntervalNanos / 2) {
            return null;
        }
        sentData = true;
        dataDue = Math.max(nowNanos, dataDue) + minIntervalNanos;
        return new Outgoing(data(), null);
    }

    private String snapshot() {
        StringBuilder out = new StringBuilder(128 + 128 * items.length).append("{\"type\":\"data\"");
        if (request.id() != null) {
            out.append(",\"id\":").append(JsonText.id(request.id()));
        }
        out.append(",\"subscription\":\"").append(id).append("\",\"seq\":").append(++sequence)
                .append(",\"snapshot\":true,\"registryVersion\":").append(version).append(",\"items\":[");
        int values = 0;
        for (ItemQueue item : byPath.values()) {
            item.clear();
            item.listed = false;
            Fragment state = item.accepted();
            if (state != null) {
                if (values++ > 0) {
                    out.append(',');
                }
                state.appendFullItem(out);
            }
        }
        changed.clear();
        listed = 0;
        added.clear();
        removed.clear();
        tagsDue = false;
        counters.values.add(values);
        return out.append("]}").toString();
    }

    private String tags() {
        StringBuilder out = new StringBuilder(256).append("{\"type\":\"tags\",\"subscription\":\"").append(id)
                .append("\",\"seq\":").append(++sequence).append(",\"registryVersion\":").append(version)
                .append(",\"added\":[");
        int values = 0;
        for (String path : added) {
            ItemQueue item = byPath.get(path);
            if (item != null && item.accepted() != null) {
                item.clear();
                unlist(item);
                if (values++ > 0) {
                    out.append(',');
                }
                item.accepted().appendFullItem(out);
            }
        }
        out.append("],\"removed\":[");
        int n = 0;
        for (String path : removed) {
            if (n++ > 0) {
                out.append(',');
            }
            out.append(JsonText.quote(path));
        }
        added.clear();
        removed.clear();
        counters.values.add(values);
        return out.append("]}").toString();
    }

    private String data() {
        StringBuilder out = new StringBuilder(128 + 96 * listed).append("{\"type\":\"data\",\"subscription\":\"")
                .append(id).append("\",\"seq\":").append(++sequence).append(",\"items\":[");
        int values = 0;
        for (ItemQueue item; (item = changed.poll()) != null;) {
            if (item.listed) { // else unlisted meanwhile: its readings went out another way
                unlist(item);
                values += item.drainTo(out, values == 0);
            }
        }
        counters.values.add(values);
        return out.append("]}").toString();
    }

    /** @return its tag samples a second, in thousandths ({@link SampleRate}): samples.connection.max */
    synchronized long sampleRate() {
        return SampleRate.of(items == null ? asked.size() : items.length, request.samplingMs());
    }

    @Override
    public synchronized long sequence() {
        return sequence;
    }

    @Override
    public String behind() {
        return null; // coalescing bounds a tag subscription: it is never too far behind to go on
    }

    @Override
    public synchronized SubscriptionInfo info() {
        int queued = 0;
        for (ItemQueue item : items == null ? new ItemQueue[0] : items) {
            queued += item.count();
        }
        return new SubscriptionInfo(id, "tags", request.target(), items == null ? 0 : items.length, queued, sequence,
                overflows);
    }

    @Override
    public void close() {
        Feed left;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            left = feed;
            changed.clear();
            listed = 0;
        }
        feeds.leave(left, this);
    }
}
