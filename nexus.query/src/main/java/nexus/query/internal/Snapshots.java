package nexus.query.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.RestoreOptions;
import nexus.query.RestoreResult;
import nexus.query.SnapshotFormat;
import nexus.query.SnapshotService;
import nexus.query.SnapshotSummary;
import nexus.query.TagService;

/**
 * The snapshot service in plain Java: exports ({@link SnapshotExport}) and restores
 * ({@link SnapshotRestore}) over the tag service's engine and sources; restores write through the
 * tag service itself, so its rules and audit apply to every value written. Thread-safe.
 *
 * <p>One restore (dry run or real) runs at a time on a node: a restore holds its whole file while it
 * checks it (about 190 MB of heap for 240,000 tags, docs/benchmarks.md), so twenty concurrent ones
 * exhausted a 512 MB node. The permit is taken before the first byte of the file is read; a restore
 * that finds it taken is refused at once with {@code OVERLOADED} and reads nothing.
 */
final class Snapshots implements SnapshotService {

    private final SnapshotExport export;
    private final SnapshotRestore restore;

    /** When a refused restore may try again: a restore at the bound takes about 5 s (docs/benchmarks.md). */
    static final Duration RESTORE_RETRY = Duration.ofSeconds(5);

    private final Semaphore restoring = new Semaphore(1);

    Snapshots(QueryEngine engine, TagSources sources, TagService tags) {
        this.export = new SnapshotExport(engine, sources);
        this.restore = new SnapshotRestore(engine, sources, tags);
    }

    @Override
    public SnapshotSummary export(Caller caller, SnapshotFormat format, OutputStream sink) throws IOException {
        return export.export(Objects.requireNonNull(caller, "caller"), Objects.requireNonNull(format, "format"),
                Objects.requireNonNull(sink, "sink"));
    }

    @Override
    public RestoreResult restore(Caller caller, InputStream snapshot, RestoreOptions options) throws IOException {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(options, "options");
        if (!restoring.tryAcquire()) {
            throw new NexusException(ErrorCode.OVERLOADED, "another restore is running on this node, and a node runs"
                    + " one at a time (each holds its whole file while it checks it): try again in a few seconds",
                    RESTORE_RETRY);
        }
        try {
            return restore.restore(caller, snapshot, options);
        } finally {
            restoring.release();
        }
    }
}
