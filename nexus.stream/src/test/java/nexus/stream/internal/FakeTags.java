package nexus.stream.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.Quality;
import nexus.query.TagInfo;
import nexus.query.TagFolder;
import nexus.query.TagPage;
import nexus.query.TagReading;
import nexus.query.TagService;
import nexus.query.TagValue;
import nexus.query.TagWatch;
import nexus.query.TagWrite;
import nexus.query.WriteResult;

/**
 * A tag service over an in-memory namespace whose watches behave as the real one's
 * (nexus.query's TagWatcher): changes only, a path without a tag answered once, a tag that leaves
 * the registry answered once with BAD_NOT_IN_REGISTRY. Counts watches and polls.
 */
final class FakeTags implements TagService {

    private final Map<String, TagInfo> tags = new HashMap<>();
    private final Map<String, TagValue> values = new HashMap<>();
    private long version = 1;
    private volatile RuntimeException failure;
    final AtomicInteger watches = new AtomicInteger();
    final AtomicInteger polls = new AtomicInteger();

    /** Adds a FLOAT32 tag in degC, range 0–200 (or none), value 0, in the registry version now. */
    synchronized FakeTags add(String path, Double engLow, Double engHigh) {
        tags.put(path, new TagInfo(tags.size() + 1, path, "FLOAT32", "bank0", 4 * tags.size(), 0, 4, "degC", null, false,
                engLow, engHigh, Map.of()));
        values.put(path, new TagValue(0.0, Quality.GOOD, 1_000_000_000L));
        return this;
    }

    synchronized FakeTags add(String path) {
        return add(path, 0.0, 200.0);
    }

    synchronized void set(String path, Object value) {
        values.put(path, new TagValue(value, Quality.GOOD, values.get(path).timestamp() + 1_000_000));
    }

    synchronized void quality(String path, Quality quality) {
        values.put(path, new TagValue(null, quality, values.get(path).timestamp()));
    }

    /** A new registry version: these tags come, those go. */
    synchronized void newVersion(List<String> added, List<String> removed) {
        removed.forEach(tags::remove);
        added.forEach(this::add);
        version++;
    }

    /** @return the paths of the tags under a prefix now, in path order */
    synchronized List<String> under(String prefix) {
        return tags.keySet().stream().filter(p -> p.startsWith(prefix)).sorted().toList();
    }

    synchronized long version() {
        return version;
    }

    /** Every poll throws this from now on (null: polls work again). */
    void failPolls(RuntimeException failure) {
        this.failure = failure;
    }

    private synchronized TagReading now(String path) {
        TagInfo tag = tags.get(path);
        return tag == null ? TagReading.notInRegistry(path) : new TagReading(tag, values.get(path));
    }

    @Override
    public TagWatch watch(Caller caller, List<String> paths) {
        for (String path : paths) {
            if (path.isEmpty() || path.endsWith("/") || path.contains("//")) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, "'" + path + "' is not a tag path");
            }
        }
        watches.incrementAndGet();
        return new Watch(List.copyOf(paths));
    }

    private final class Watch implements TagWatch {
        private final List<String> paths;
        private final TagReading[] answered;
        private long resolved;
        private boolean closed;

        Watch(List<String> paths) {
            this.paths = paths;
            this.answered = new TagReading[paths.size()];
        }

        @Override
        public List<TagReading> poll() {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            polls.incrementAndGet();
            RuntimeException failing = failure;
            if (failing != null) {
                throw failing;
            }
            List<TagReading> changed = new ArrayList<>();
            synchronized (FakeTags.this) {
                resolved = version;
                for (int i = 0; i < paths.size(); i++) {
                    TagReading now = now(paths.get(i));
                    TagReading before = answered[i];
                    if (now.tag() == null && before != null && before.tag() != null) {
                        now = new TagReading(paths.get(i), before.tag(), now.value()); // its one last answer
                    }
                    if (before == null || before.value().quality() != now.value().quality()
                            || !Objects.equals(before.value().value(), now.value().value())) {
                        answered[i] = now;
                        changed.add(now);
                    }
                }
            }
            return changed;
        }

        @Override
        public long registryVersion() {
            return resolved;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Override
    public TagReading get(Caller caller, String path) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TagWrite check(Caller caller, TagWrite write) {
        throw new UnsupportedOperationException("not checked here");
    }

    @Override
    public TagFolder browse(Caller caller, String prefix, int limit) {
        throw new UnsupportedOperationException("not browsed here");
    }

    @Override
    public TagPage list(Caller caller, String prefix, String cursor, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<TagReading> read(Caller caller, List<String> paths) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<TagReading> readIds(Caller caller, long[] ids) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TagReading write(Caller caller, TagWrite write) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<WriteResult> write(Caller caller, List<TagWrite> writes) {
        throw new UnsupportedOperationException();
    }
}
