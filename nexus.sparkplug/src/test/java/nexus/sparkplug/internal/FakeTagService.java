package nexus.sparkplug.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
 * A tag service over an in-memory namespace: listings paged ({@link #pageSize}) with the registry
 * version, watches that answer changes only (all at the first poll), as nexus.query's do. Values
 * carry nanosecond timestamps. Records the callers of listings and watches; counts open watches.
 */
final class FakeTagService implements TagService {

    private final TreeMap<String, TagInfo> tags = new TreeMap<>();
    private final Map<String, TagValue> values = new TreeMap<>();
    private long version = 1;
    private long clockNanos = 1_700_000_000_000_000_000L;
    int pageSize = 2;
    int listCalls;
    int openWatches;
    RuntimeException listFailure;
    /** Runs after each page is listed, and after each watch is made: a test changes the registry there. */
    Runnable afterList = () -> { };
    Runnable afterWatch = () -> { };
    final List<Caller> callers = new ArrayList<>();

    FakeTagService tag(long id, String path, String type, Object value) {
        return tag(new TagInfo(id, path, type, "bank0", 0, 0, 4, null, null, false, null, null, Map.of()), value);
    }

    FakeTagService tag(TagInfo info, Object value) {
        tags.put(info.path(), info);
        values.put(info.path(), new TagValue(value, Quality.GOOD, clockNanos));
        return this;
    }

    void set(String path, Object value) {
        clockNanos += 1_000_000_000L;
        values.put(path, new TagValue(value, Quality.GOOD, clockNanos));
    }

    void quality(String path, Quality quality) {
        values.put(path, new TagValue(null, quality, values.get(path).timestamp()));
    }

    TagValue value(String path) {
        return values.get(path);
    }

    /** A new registry version, with these tags removed. */
    void newVersion(String... removed) {
        for (String path : removed) {
            tags.remove(path);
            values.remove(path);
        }
        version++;
    }

    long version() {
        return version;
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
        callers.add(caller);
        listCalls++;
        if (listFailure != null) {
            throw listFailure;
        }
        List<TagReading> page = new ArrayList<>();
        var rest = cursor == null ? tags.tailMap(prefix, true) : tags.tailMap(cursor, false);
        String last = null;
        for (TagInfo tag : rest.values()) {
            if (page.size() == Math.min(limit, pageSize)) {
                TagPage listed = new TagPage(page, last, version);
                afterList.run();
                return listed;
            }
            page.add(new TagReading(tag, values.get(tag.path())));
            last = tag.path();
        }
        TagPage listed = new TagPage(page, null, version);
        afterList.run();
        return listed;
    }

    @Override
    public TagWatch watch(Caller caller, List<String> paths) {
        callers.add(caller);
        for (String path : paths) {
            if (!tags.containsKey(path)) {
                throw new NexusException(ErrorCode.TAG_NOT_FOUND, "no tag has the path " + path);
            }
        }
        openWatches++;
        Watch watch = new Watch(List.copyOf(paths));
        afterWatch.run();
        return watch;
    }

    private final class Watch implements TagWatch {
        private final List<String> paths;
        private final TagValue[] answered;
        private long resolved;
        private boolean closed;

        Watch(List<String> paths) {
            this.paths = paths;
            this.answered = new TagValue[paths.size()];
        }

        @Override
        public List<TagReading> poll() {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            resolved = version;
            List<TagReading> changed = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                TagInfo tag = tags.get(paths.get(i));
                TagReading now = tag == null ? TagReading.notInRegistry(paths.get(i)) : new TagReading(tag, values.get(tag.path()));
                TagValue before = answered[i];
                if (before == null || before.quality() != now.value().quality()
                        || !Objects.equals(before.value(), now.value().value())) {
                    answered[i] = now.value();
                    changed.add(now);
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
            if (!closed) {
                closed = true;
                openWatches--;
            }
        }
    }

    @Override
    public TagReading get(Caller caller, String path) {
        TagInfo tag = tags.get(path);
        if (tag == null) {
            throw new NexusException(ErrorCode.TAG_NOT_FOUND, "no tag has the path " + path);
        }
        return new TagReading(tag, values.get(path));
    }

    @Override
    public List<TagReading> read(Caller caller, List<String> paths) {
        return paths.stream().map(p -> tags.containsKey(p) ? get(caller, p) : TagReading.notInRegistry(p)).toList();
    }

    @Override
    public List<TagReading> readIds(Caller caller, long[] ids) {
        throw new UnsupportedOperationException("the edge node reads by path");
    }

    @Override
    public TagReading write(Caller caller, TagWrite write) {
        TagReading now = get(caller, write.path());
        if (!now.tag().writable()) {
            throw new NexusException(ErrorCode.NOT_WRITABLE, "tag " + write.path() + " is not writable");
        }
        set(write.path(), write.value());
        return get(caller, write.path());
    }

    @Override
    public List<WriteResult> write(Caller caller, List<TagWrite> writes) {
        throw new UnsupportedOperationException("the edge node writes one tag at a time");
    }
}
