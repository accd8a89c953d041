package nexus.query.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

import nexus.core.Caller;
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
 */
final class Snapshots implements SnapshotService {

    private final SnapshotExport export;
    private final SnapshotRestore restore;

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
        return restore.restore(caller, Objects.requireNonNull(snapshot, "snapshot"), Objects.requireNonNull(options, "options"));
    }
}
