package nexus.query.internal;

import java.util.List;
import java.util.Objects;

import nexus.core.Access;
import nexus.core.Caller;
import nexus.query.TagFolder;
import nexus.query.TagPage;
import nexus.query.TagReading;
import nexus.query.TagService;
import nexus.query.TagWatch;
import nexus.query.TagWrite;
import nexus.query.WriteResult;

/**
 * The tag service in plain Java: reads ({@link TagReads}), watches ({@link TagWatcher}) and writes
 * ({@link TagWrites}) over one query engine, so tag reads share the read planner, the block pool and
 * admission control with users' SQL. Thread-safe.
 */
final class Tags implements TagService {

    private final TagReads reads;
    private final TagBrowse browse;
    private final TagWrites writes;
    private final TagSources sources;

    Tags(QueryEngine engine, TagSources sources) {
        this.reads = new TagReads(engine, sources);
        this.browse = new TagBrowse(engine, sources);
        this.writes = new TagWrites(reads, sources);
        this.sources = sources;
    }

    @Override
    public TagReading get(Caller caller, String path) {
        return reads.get(access(caller), path);
    }

    @Override
    public TagPage list(Caller caller, String prefix, String cursor, int limit) {
        return reads.list(access(caller), prefix, cursor, limit);
    }

    @Override
    public TagWrite check(Caller caller, TagWrite write) {
        return writes.check(caller, write);
    }

    @Override
    public TagFolder browse(Caller caller, String prefix, int limit) {
        return browse.browse(access(caller), prefix, limit);
    }

    @Override
    public List<TagReading> read(Caller caller, List<String> paths) {
        return reads.read(access(caller), paths);
    }

    @Override
    public List<TagReading> readIds(Caller caller, long[] ids) {
        return reads.readIds(access(caller), ids);
    }

    @Override
    public TagWatch watch(Caller caller, List<String> paths) {
        return new TagWatcher(reads, sources, Objects.requireNonNull(caller, "caller"), paths);
    }

    /** What the caller may read now; asked once per call (a watch asks again as it polls). */
    private Access access(Caller caller) {
        return sources.access(Objects.requireNonNull(caller, "caller"));
    }

    @Override
    public TagReading write(Caller caller, TagWrite write) {
        return writes.write(caller, write);
    }

    @Override
    public List<WriteResult> write(Caller caller, List<TagWrite> writes) {
        return this.writes.write(caller, writes);
    }
}
