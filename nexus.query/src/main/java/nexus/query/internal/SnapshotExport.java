package nexus.query.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import nexus.core.Access;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.Permission;
import nexus.query.SnapshotFormat;
import nexus.query.SnapshotSummary;
import nexus.registry.AllocationIndex;
import nexus.registry.Registry;
import nexus.registry.Tag;
import nexus.rma.RmaBackend;

/**
 * The export of {@link nexus.query.SnapshotService}, plain Java: one registry version throughout
 * (registries never change once served), two passes over its tags a page at a time, so memory stays
 * constant at any size. The first pass, in path order, hashes the layout of the tags the caller sees
 * ({@link LayoutHash}) and counts them, for the header; the second, in id order (the allocation
 * index's order), reads each page's values in merged, consistent blocks ({@link StampedReads}) and
 * writes them. Each page holds an admission slot while it is looked up and read, so an export of a
 * million tags shares the engine with queries instead of shutting them out. Thread-safe.
 */
final class SnapshotExport {

    /** Tags looked up and read at once: the page size of listings and reads by id. */
    static final int PAGE = 10_000;

    private final QueryEngine engine;
    private final TagSources sources;

    SnapshotExport(QueryEngine engine, TagSources sources) {
        this.engine = engine;
        this.sources = sources;
    }

    SnapshotSummary export(Caller caller, SnapshotFormat format, OutputStream sink) throws IOException {
        Access access = sources.access(caller);
        boolean reads = access.may(Permission.READ);
        Predicate<String> sees = path -> reads && access.sees(path);
        Registry registry = sources.registry().current();
        RmaBackend memory = registry.memory(sources.backend());
        LayoutHash layout = layout(registry, sees);
        long count = layout.tags();
        String hash = layout.finish();
        SnapshotWriter writer = SnapshotWriter.of(format, sink);
        writer.header(registry.version(), Instant.now(), count, hash);
        writer.flush(); // the answer starts before the first page is read
        long written = 0;
        try {
            AllocationIndex index = registry.index();
            for (int from = 0; from < index.size(); from += PAGE) {
                long[] ids = new long[Math.min(PAGE, index.size() - from)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = index.id(from + i);
                }
                List<StampedReads.Stamped> page;
                try (Admission.Ticket slot = engine.admit()) {
                    List<Tag> tags = new ArrayList<>(ids.length);
                    for (Tag tag : registry.tags(ids)) {
                        if (tag != null && sees.test(tag.path())) {
                            tags.add(tag);
                        }
                    }
                    page = StampedReads.read(memory, tags, engine.limits());
                }
                for (StampedReads.Stamped read : page) {
                    Tag tag = read.tag();
                    writer.tag(tag.path(), tag.allocation().type().name(), read.value(), read.quality().name(),
                            TagReads.bankName(registry, read.bank()), read.sequence(), read.writeNanos());
                }
                written += page.size();
                writer.flush(); // a page at a time: the answer streams
            }
            if (written != count) {
                throw new NexusException(ErrorCode.INTERNAL, "the registry listed " + count + " tags by path but " + written
                        + " by id: the snapshot is not complete");
            }
        } catch (NexusException e) {
            writer.failed(e.code().name(), e.getMessage());
            throw e;
        }
        writer.trailer(count, hash);
        writer.flush();
        return new SnapshotSummary(registry.version(), count, hash);
    }

    /** The layout hash and count of the tags the caller sees, read in path order a page at a time. */
    private LayoutHash layout(Registry registry, Predicate<String> sees) {
        LayoutHash layout = new LayoutHash();
        String after = null;
        while (true) {
            List<Tag> page;
            try (Admission.Ticket slot = engine.admit()) {
                page = registry.tags("", after, PAGE);
            }
            for (Tag tag : page) {
                if (sees.test(tag.path())) {
                    layout.add(tag, TagReads.bankName(registry, tag.allocation().bank()));
                }
            }
            if (page.size() < PAGE) {
                return layout;
            }
            after = page.get(page.size() - 1).path();
        }
    }
}
