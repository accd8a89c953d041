package nexus.query.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import nexus.core.Access;
import nexus.core.Caller;
import nexus.core.NexusException;
import nexus.query.Quality;
import nexus.query.TagInfo;
import nexus.query.TagReading;
import nexus.query.TagValue;
import nexus.query.TagWatch;
import nexus.registry.Registry;
import nexus.registry.Tag;
import nexus.rma.Allocation;
import nexus.rma.RmaBackend;

/**
 * A {@link TagWatch}, plain Java. Each poll asks every bank its watched tags live in for its write
 * sequence and reads only the banks whose sequence moved since the poll that last read them (all
 * their tags in one merged block read), then compares value and quality per tag with what it last
 * answered. A bank whose read was not wholly GOOD is read again at the next poll, whatever its
 * sequence says. A new registry version, or another answer of the access policy for the caller,
 * resolves the paths again against what the caller sees then (a tag outside it is not there) and
 * forgets every sequence; so does another RMA backend. Polls take no admission slot: their cost is bounded by the watch itself
 * (a sequence check per bank, reads only of what moved). Not thread-safe: one poller per watch.
 */
final class TagWatcher implements TagWatch {

    private final TagReads reads;
    private final TagSources sources;
    private final Caller caller;
    private final List<String> paths;
    /** Per path: the tag in the registry resolved last, or null when it is not there. */
    private final Tag[] tags;
    /** Per path: how it was shown last (kept when it leaves the registry, for its one last answer). */
    private final TagInfo[] infos;
    /** Per path: what the last answer carried; null before the first one. */
    private final TagValue[] answered;
    /** Per bank: the sequence its tags were last read (wholly GOOD) at. */
    private final Map<Integer, Long> sequences = new HashMap<>();
    private Registry registry;
    /** What the caller saw when the paths were resolved last. */
    private Access access;
    private RmaBackend backend;
    private boolean closed;

    /**
     * Resolves the paths in the registry served now.
     *
     * @throws NexusException INVALID_ARGUMENT for a path that is no tag path ({@link TagReads#checked}),
     *         TAG_NOT_FOUND naming the paths no tag has
     */
    TagWatcher(TagReads reads, TagSources sources, Caller caller, List<String> paths) {
        this.reads = reads;
        this.sources = sources;
        this.caller = caller;
        this.paths = List.copyOf(paths);
        this.paths.forEach(TagReads::checked);
        this.tags = new Tag[this.paths.size()];
        this.infos = new TagInfo[this.paths.size()];
        this.answered = new TagValue[this.paths.size()];
        Registry served = sources.registry().current();
        Access seen = sources.access(caller);
        for (int i = 0; i < tags.length; i++) {
            Optional<Tag> tag = visible(served, seen, this.paths.get(i));
            if (tag.isPresent()) {
                tags[i] = tag.get();
                infos[i] = TagReads.info(served, tag.get());
            }
        }
        this.registry = served;
        this.access = seen;
    }

    @Override
    public List<TagReading> poll() {
        if (closed) {
            throw new IllegalStateException("this tag watch was closed: start another one");
        }
        Registry served = sources.registry().current();
        RmaBackend memory = served.memory(sources.backend());
        Access seen = sources.access(caller);
        TagValue[] now = new TagValue[tags.length];
        if (served != registry || !seen.equals(access)) {
            resolve(served, seen, now);
        }
        if (memory != backend) {
            sequences.clear();
            backend = memory;
        }
        if (memory == null) {
            for (int i = 0; i < tags.length; i++) {
                if (tags[i] != null) {
                    now[i] = new TagValue(null, Quality.BAD_NO_BACKEND, 0);
                }
            }
        } else {
            readMoved(memory, now);
        }
        List<TagReading> changed = new ArrayList<>();
        for (int i = 0; i < tags.length; i++) {
            if (tags[i] == null && answered[i] == null) {
                now[i] = TagReads.notInRegistry(); // a path no tag has yet: answered once, then watched for
            }
            if (now[i] != null && !same(now[i], answered[i])) {
                answered[i] = now[i];
                changed.add(new TagReading(paths.get(i), infos[i], now[i]));
            }
        }
        return changed;
    }

    @Override
    public long registryVersion() {
        return registry.version();
    }

    @Override
    public void close() {
        closed = true;
    }

    /**
     * Resolves every path again; a tag that left the registry or the caller's view gets its one
     * BAD_NOT_IN_REGISTRY answer.
     */
    private void resolve(Registry served, Access seen, TagValue[] now) {
        for (int i = 0; i < tags.length; i++) {
            Optional<Tag> tag = visible(served, seen, paths.get(i));
            if (tag.isPresent()) {
                tags[i] = tag.get();
                infos[i] = TagReads.info(served, tag.get());
            } else if (tags[i] != null) {
                tags[i] = null;
                now[i] = TagReads.notInRegistry();
            }
        }
        sequences.clear();
        registry = served;
        access = seen;
    }

    /** @return the tag at the path if the caller sees it: one it does not see is not there */
    private static Optional<Tag> visible(Registry served, Access seen, String path) {
        return served.tag(path).filter(t -> seen.sees(t.path()));
    }

    /** Reads the tags of every bank whose sequence moved, in one merged read. */
    private void readMoved(RmaBackend memory, TagValue[] now) {
        Map<Integer, Long> moved = new HashMap<>();
        List<Integer> toRead = new ArrayList<>();
        for (int i = 0; i < tags.length; i++) {
            if (tags[i] == null) {
                continue;
            }
            int bank = tags[i].allocation().bank();
            if (!moved.containsKey(bank)) {
                moved.put(bank, sequence(memory, bank));
            }
            Long sequence = moved.get(bank);
            Long read = sequences.get(bank);
            if (sequence == null || read == null || read.longValue() != sequence.longValue() || answered[i] == null) {
                toRead.add(i);
            }
        }
        if (toRead.isEmpty()) {
            return;
        }
        List<Allocation> allocations = new ArrayList<>(toRead.size());
        for (int i : toRead) {
            allocations.add(tags[i].allocation());
        }
        List<TagValue> values = reads.values(memory, allocations);
        Map<Integer, Boolean> good = new HashMap<>();
        for (int k = 0; k < toRead.size(); k++) {
            int i = toRead.get(k);
            now[i] = values.get(k);
            good.merge(tags[i].allocation().bank(), values.get(k).quality().isGood(), Boolean::logicalAnd);
        }
        good.forEach((bank, wholly) -> {
            Long sequence = moved.get(bank);
            if (wholly && sequence != null) {
                sequences.put(bank, sequence);
            } else {
                sequences.remove(bank);
            }
        });
    }

    /** @return the bank's write sequence, or null when the backend cannot tell (the read then says why) */
    private static Long sequence(RmaBackend memory, int bank) {
        try {
            return memory.sequence(bank);
        } catch (NexusException e) {
            return null;
        }
    }

    private static boolean same(TagValue a, TagValue b) {
        return b != null && a.quality() == b.quality() && Objects.equals(a.value(), b.value());
    }
}
