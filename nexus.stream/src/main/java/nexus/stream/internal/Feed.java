package nexus.stream.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import nexus.core.Access;
import nexus.core.Caller;
import nexus.json.NexusJson;
import nexus.query.TagReading;
import nexus.query.TagService;
import nexus.query.TagWatch;

/**
 * One {@link TagWatch} shared by every subscription whose caller sees the same namespace, with the
 * same set of paths (in any order) and the same sampling interval (its {@link Key}). Each poll encodes every
 * changed reading once into a {@link Fragment} and hands the fragments to every member, which applies
 * its own deadband and queue. A poll that finds nothing changed costs the watch's sequence checks and
 * one call per member (no encoding, nothing per tag). The feed keeps the latest fragment of every tag:
 * a subscription that joins gets it as its snapshot. A poll that fails (no registry, say) is logged
 * once, counted, and tried again at the next tick. Thread-safe: polls, joins and leaves hold the feed.
 */
final class Feed {

    private static final Logger LOG = LoggerFactory.getLogger(Feed.class);
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * What makes subscriptions share a feed: the paths are kept sorted and each once, so that two
     * subscriptions to the same tags in another order share a feed. A tag's index in a feed (and in
     * its members' item arrays) is its place in this sorted list.
     */
    record Key(Access access, List<String> paths, int samplingMs) {
        Key {
            paths = paths.stream().distinct().sorted().toList();
        }

        /** @return what the feed costs: its tag samples a second, in thousandths ({@link SampleRate}) */
        long sampleRate() {
            return SampleRate.of(paths.size(), samplingMs);
        }
    }

    /**
     * What a registry version change did to the feed's tags, in one poll.
     *
     * @param version the registry version the watch resolved its paths in
     * @param added   tags that came (a path that had no tag has one now)
     * @param removed tags that went (answered once with BAD_NOT_IN_REGISTRY)
     */
    record VersionChange(long version, List<Fragment> added, List<Fragment> removed) {
    }

    /** A subscription of the feed. Called with the feed held: must not block, nor call back into feeds. */
    interface Member {

        /** Joined: the latest fragment of every tag (its snapshot) in this registry version. */
        void attached(Feed feed, Fragment[] latest, long version);

        /**
         * One poll's outcome: the changed readings that are data, and the version change (null when
         * none). Called at every poll, also when nothing changed (both empty), so that a member with
         * something held back (by its rate limit or its connection's full buffer) tries again. The
         * fragments' indices are this feed's: a member that has moved to another feed meanwhile (a SQL
         * subscription's rebind joins the new feed before it leaves this one) ignores them.
         */
        void sampled(Feed feed, List<Fragment> data, VersionChange change);
    }

    private final Key key;
    private final Caller caller;
    /** Volatile: {@link #renew} compares it without taking the feed. */
    private volatile TagService source;
    private TagWatch watch;
    private final StreamCounters counters;
    private final String[] pathJson;
    private final Map<String, Integer> index = new HashMap<>();
    private final Fragment[] latest;
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private long version;
    private boolean polled;
    private boolean failing;
    private boolean memberFailing;
    private boolean closed;
    private Scheduling.Periodic periodic;
    private long encoded;

    /**
     * Starts watching the key's paths as the caller (the first subscriber; every member sees what it
     * sees, their access being the same).
     *
     * @throws RuntimeException what the tag service's watch throws
     */
    Feed(Key key, Caller caller, TagService source, StreamCounters counters) {
        this.key = key;
        this.caller = caller;
        this.source = source;
        this.watch = source.watch(caller, key.paths());
        this.counters = counters;
        this.pathJson = new String[key.paths().size()];
        for (int i = 0; i < pathJson.length; i++) {
            pathJson[i] = JsonText.quote(key.paths().get(i));
            index.putIfAbsent(key.paths().get(i), i);
        }
        this.latest = new Fragment[pathJson.length];
    }

    Key key() {
        return key;
    }

    /**
     * Adds a member (again, for a member that is one already: it gets the latest state anew). The
     * first member has the watch polled at once, so that its snapshot is there.
     *
     * @return false when the feed closed meanwhile (its last member left): join another
     * @throws RuntimeException the first poll's failure; the feed then closes when it has no member
     */
    synchronized boolean attach(Member member, Scheduling scheduling) {
        if (closed) {
            return false;
        }
        if (!polled) {
            try {
                List<TagReading> all = watch.poll();
                version = watch.registryVersion();
                for (Fragment fragment : encode(all)) {
                    latest[fragment.index()] = fragment;
                }
                polled = true;
            } catch (RuntimeException e) {
                if (members.isEmpty()) {
                    close();
                }
                throw e;
            }
        }
        if (!members.contains(member)) {
            members.add(member);
            counters.watched.addAndGet(latest.length);
        }
        member.attached(this, latest.clone(), version);
        if (periodic == null) {
            periodic = scheduling.every(key.samplingMs(), this::poll);
        }
        return true;
    }

    /** Removes a member; the last one to leave closes the watch. @return whether the feed closed */
    synchronized boolean detach(Member member) {
        if (!members.remove(member)) {
            return false;
        }
        counters.watched.addAndGet(-latest.length);
        if (members.isEmpty()) {
            close();
            return true;
        }
        return false;
    }

    /** One sample: polls the watch and hands what changed to every member. */
    synchronized void poll() {
        if (closed) {
            return;
        }
        List<TagReading> changed;
        try {
            changed = watch.poll();
        } catch (RuntimeException e) {
            counters.sampleFailures.increment();
            if (!failing) {
                failing = true;
                LOG.warn("Stream feed of {} tags every {} ms cannot sample: {}; trying again at every tick", latest.length,
                        key.samplingMs(), e.getMessage());
            }
            return;
        }
        if (failing) {
            failing = false;
            LOG.info("Stream feed of {} tags every {} ms samples again", latest.length, key.samplingMs());
        }
        long now = watch.registryVersion();
        boolean moved = now != version;
        version = now;
        if (changed.isEmpty() && !moved) {
            hand(List.of(), null);
            return;
        }
        List<Fragment> data = encode(changed);
        VersionChange change = null;
        if (moved) {
            List<Fragment> added = new ArrayList<>();
            List<Fragment> removed = new ArrayList<>();
            List<Fragment> rest = new ArrayList<>(data.size());
            for (Fragment fragment : data) {
                Fragment before = latest[fragment.index()];
                boolean was = before != null && before.present();
                if (!was && fragment.present()) {
                    added.add(fragment);
                } else if (was && !fragment.present()) {
                    removed.add(fragment);
                } else {
                    rest.add(fragment);
                }
            }
            change = new VersionChange(now, added, removed);
            data = rest;
        }
        for (Fragment fragment : everyFragment(changed, data, change)) {
            latest[fragment.index()] = fragment;
        }
        hand(data, change);
    }

    /**
     * Hands one poll's outcome to every member. A member that throws is logged (once per feed until
     * one poll hands every member its outcome) and counted, and the others still get it: one member
     * never starves the others of a change ({@code latest} has it already, so it would not come again).
     */
    private void hand(List<Fragment> data, VersionChange change) {
        boolean failed = false;
        for (Member member : members) {
            try {
                member.sampled(this, data, change);
            } catch (RuntimeException e) {
                failed = true;
                counters.memberFailures.increment();
                if (!memberFailing) {
                    memberFailing = true;
                    LOG.error("Stream feed of {} tags every {} ms: a subscription failed to take a sample; the other"
                            + " subscriptions got it", latest.length, key.samplingMs(), e);
                }
            }
        }
        memberFailing = failed;
    }

    /** @return every fragment of the poll, to keep as the latest */
    private static List<Fragment> everyFragment(List<TagReading> changed, List<Fragment> data, VersionChange change) {
        if (change == null) {
            return data;
        }
        List<Fragment> all = new ArrayList<>(changed.size());
        all.addAll(data);
        all.addAll(change.added());
        all.addAll(change.removed());
        return all;
    }

    /** Encodes each reading once. */
    private List<Fragment> encode(List<TagReading> readings) {
        List<Fragment> fragments = new ArrayList<>(readings.size());
        if (readings.isEmpty()) {
            return fragments;
        }
        StringWriter text = new StringWriter(64 * Math.min(readings.size(), 64));
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.setRootValueSeparator(null);
            for (TagReading reading : readings) {
                Integer at = index.get(reading.path());
                if (at == null || same(reading, latest[at])) {
                    continue; // not the feed's, or not new (a renewed watch answers every tag at its first poll)
                }
                text.getBuffer().setLength(0);
                json.writeStartObject();
                NexusJson.value(json, reading.value());
                json.writeEndObject();
                json.flush();
                StringBuffer object = text.getBuffer();
                String fields = object.substring(1, object.length() - 1);
                fragments.add(new Fragment(at, reading.path(), pathJson[at], reading.tag(), fields, reading.value()));
                encoded++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a value in memory failed", e);
        }
        return fragments;
    }

    private static boolean same(TagReading reading, Fragment known) {
        return known != null && known.same(reading.value());
    }

    /**
     * Watches anew through another tag service (the one that made the watch went away, or another
     * one ranks higher): its first poll then sends only what differs from what the members have.
     */
    void renew(TagService service) {
        if (service == source) {
            return; // the usual case: housekeeping does not wait for a feed that is sampling
        }
        synchronized (this) {
            renewLocked(service);
        }
    }

    private void renewLocked(TagService service) {
        if (closed || service == source) {
            return;
        }
        try {
            TagWatch renewed = service.watch(caller, key.paths());
            watch.close();
            watch = renewed;
            source = service;
        } catch (RuntimeException e) {
            LOG.debug("Stream feed of {} tags: the tag service cannot watch them yet ({}); tried again", latest.length,
                    e.toString());
        }
    }

    private void close() {
        closed = true;
        if (periodic != null) {
            periodic.cancel();
            periodic = null;
        }
        watch.close();
    }

    /** @return whether the feed is closed */
    synchronized boolean closed() {
        return closed;
    }

    /** @return the members now */
    int members() {
        return members.size();
    }

    /** @return how many readings the feed encoded since it started (each once, whatever its members) */
    synchronized long encoded() {
        return encoded;
    }
}
