package nexus.query.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.core.AccessPolicy;
import nexus.core.AuditTrail;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.RestoreOptions;
import nexus.query.RestoreResult;
import nexus.query.SnapshotFormat;
import nexus.query.SnapshotService;
import nexus.query.SnapshotSummary;
import nexus.query.TagFolder;
import nexus.query.TagPage;
import nexus.query.TagReading;
import nexus.query.TagService;
import nexus.query.TagWatch;
import nexus.query.TagWrite;
import nexus.query.WriteResult;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;

/**
 * The tag service: a thin shell around {@link Tags}, reading through the query component's engine
 * ({@link SharedEngine}). The registry, the highest-ranked RMA backend, the audit trail and the
 * access policy are optional and dynamic: without a registry every call answers
 * {@code BACKEND_UNAVAILABLE}; without a backend values carry {@code BAD_NO_BACKEND} and writes are
 * refused; without an audit trail writes are refused; without an access policy everyone may write
 * what the tag's own rules allow. It also serves the {@link SnapshotService} (2.4), whose exports read
 * like the tag service's reads and whose restores write through it: one set of references for both.
 */
@Component(service = { TagService.class, SnapshotService.class })
public final class TagComponent implements TagService, SnapshotService, TagSources {

    private final Tags tags;
    private final Snapshots snapshots;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend backend;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditTrail audit;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccessPolicy policy;

    @Activate
    public TagComponent(@Reference(name = "engine") SharedEngine engine) {
        this.tags = new Tags(engine.engine(), this);
        this.snapshots = new Snapshots(engine.engine(), this, tags);
    }

    @Override
    public TagRegistry registry() {
        TagRegistry current = registry;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the registry service is not running: see GET /health");
        }
        return current;
    }

    @Override
    public RmaBackend backend() {
        return backend;
    }

    @Override
    public AuditTrail audit() {
        return audit;
    }

    @Override
    public AccessPolicy policy() {
        return policy;
    }

    @Override
    public TagReading get(Caller caller, String path) {
        return tags.get(caller, path);
    }

    @Override
    public TagPage list(Caller caller, String prefix, String cursor, int limit) {
        return tags.list(caller, prefix, cursor, limit);
    }

    @Override
    public TagWrite check(Caller caller, TagWrite write) {
        return tags.check(caller, write);
    }

    @Override
    public TagFolder browse(Caller caller, String prefix, int limit) {
        return tags.browse(caller, prefix, limit);
    }

    @Override
    public List<TagReading> read(Caller caller, List<String> paths) {
        return tags.read(caller, paths);
    }

    @Override
    public List<TagReading> readIds(Caller caller, long[] ids) {
        return tags.readIds(caller, ids);
    }

    @Override
    public TagWatch watch(Caller caller, List<String> paths) {
        return tags.watch(caller, paths);
    }

    @Override
    public TagReading write(Caller caller, TagWrite write) {
        return tags.write(caller, write);
    }

    @Override
    public List<WriteResult> write(Caller caller, List<TagWrite> writes) {
        return tags.write(caller, writes);
    }

    @Override
    public SnapshotSummary export(Caller caller, SnapshotFormat format, OutputStream sink) throws IOException {
        return snapshots.export(caller, format, sink);
    }

    @Override
    public RestoreResult restore(Caller caller, InputStream snapshot, RestoreOptions options) throws IOException {
        return snapshots.restore(caller, snapshot, options);
    }
}
