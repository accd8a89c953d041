package nexus.query.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.Access;
import nexus.core.AuditRecord;
import nexus.core.AuditTrail;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.Quality;
import nexus.query.TagReading;
import nexus.query.TagValue;
import nexus.query.TagWrite;
import nexus.query.WriteResult;
import nexus.registry.Registry;
import nexus.registry.RemoteWriter;
import nexus.registry.Tag;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;

/**
 * Tag writes, plain Java: every rule in one place, in this order, each refusal with one code and one
 * message whichever front-end the write came through.
 *
 * <table>
 * <caption>The rules of a write</caption>
 * <tr><th>Rule</th><th>Code</th><th>Message</th></tr>
 * <tr><td>the path is a tag path ({@link TagReads#checked})</td><td>INVALID_ARGUMENT</td>
 * <td>{@code '<path>' is not a tag path: segments separated by single slashes, e.g. plant1/line2/tt101}</td></tr>
 * <tr><td>a tag has the path</td><td>TAG_NOT_FOUND</td><td>{@code no tag has the path <path>}</td></tr>
 * <tr><td>the caller sees the tag ({@link Access#sees})</td><td>TAG_NOT_FOUND</td><td>as if no tag had the path</td></tr>
 * <tr><td>the one write decision, {@link Access#refuseWrite}: the caller's roles grant {@code write},
 * the tag is in their write scope and its registry write roles, and it is writable</td>
 * <td>FORBIDDEN, NOT_WRITABLE</td><td>{@link Access}'s messages ({@code tag <path> is not writable})</td></tr>
 * <tr><td>the value fits the tag's type and engineering range</td><td>INVALID_ARGUMENT</td>
 * <td>{@link WriteRules}' messages</td></tr>
 * <tr><td>the registry lets values be written ({@link TagRegistry#writesRefused()})</td>
 * <td>BACKEND_UNAVAILABLE</td><td>the registry's reason</td></tr>
 * <tr><td>an RMA backend is registered (unless the tag's bank has a remote writer)</td><td>BACKEND_UNAVAILABLE</td>
 * <td>{@value #NO_BACKEND}</td></tr>
 * <tr><td>an audit trail is running</td><td>BACKEND_UNAVAILABLE</td><td>{@value #NO_AUDIT}</td></tr>
 * </table>
 *
 * <p>Every write, carried out or refused, is one {@link AuditRecord} appended to the trail before
 * the answer. A write to be carried out is recorded first and only then written to RMA: when the
 * trail cannot take the record, nothing is written (BACKEND_UNAVAILABLE). When RMA then refuses the
 * write, a second record says so (best effort) and the failure is thrown. A refusal whose record
 * cannot be appended is still answered with its refusal, and logged.
 *
 * <p>A tag of a contributed bank with a {@linkplain Registry#remoteWriter remote writer} (a federation
 * host's mirror of an edge node's tag) passes the same checks and audit record, and is then written by
 * that writer — carried out by the node that owns it, which checks and audits it again — instead of the
 * memory; its refusal or {@code OUTCOME_UNKNOWN} is recorded like a failure of RMA. The reading answered
 * is read back from the version's memory (by then the mirror holds the node's answer); without a local
 * backend it is the answered value. Thread-safe.
 */
final class TagWrites {

    static final String ACTION = "write";
    static final String NO_BACKEND = "no RMA backend is registered; see GET /health";
    static final String NO_AUDIT = "no audit trail is running: writes are refused until it is";

    private static final Logger LOG = LoggerFactory.getLogger(TagWrites.class);

    private final TagReads reads;
    private final TagSources sources;

    TagWrites(TagReads reads, TagSources sources) {
        this.reads = reads;
        this.sources = sources;
    }

    /** A write checked and not made, as {@link nexus.query.TagService#check} describes it: no audit record. */
    TagWrite check(Caller caller, TagWrite write) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(write, "write");
        String path = write.path();
        TagReads.checked(path);
        Access access = sources.access(caller);
        Tag tag = sources.registry().current().tag(path).filter(t -> access.sees(t.path())).orElseThrow(() -> TagReads.notFound(path));
        Optional<NexusException> refused = access.refuseWrite(path, tag.writable(), tag.writeRoles());
        if (refused.isPresent()) {
            throw refused.get();
        }
        return new TagWrite(path, WriteRules.checked(tag, write.value()));
    }

    /** One write as {@link nexus.query.TagService#write(Caller, TagWrite)} describes it. */
    TagReading write(Caller caller, TagWrite write) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(write, "write");
        String path = write.path();
        AuditTrail audit = sources.audit();
        RmaBackend backend = sources.backend();
        Registry registry;
        Tag tag = null;
        Object before = null;
        Object value;
        RemoteWriter remote = null;
        try {
            TagReads.checked(path);
            TagRegistry service = sources.registry();
            registry = service.current();
            backend = registry.memory(backend);
            Access access = sources.access(caller);
            tag = registry.tag(path).filter(t -> access.sees(t.path())).orElseThrow(() -> TagReads.notFound(path));
            before = before(backend, tag);
            Optional<NexusException> refused = access.refuseWrite(path, tag.writable(), tag.writeRoles());
            if (refused.isPresent()) {
                throw refused.get();
            }
            value = WriteRules.checked(tag, write.value());
            Optional<String> paused = service.writesRefused();
            if (paused.isPresent()) {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, paused.get());
            }
            remote = registry.remoteWriter(tag.allocation().bank()).orElse(null);
            if (backend == null && remote == null) {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, NO_BACKEND);
            }
            if (audit == null) {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, NO_AUDIT);
            }
        } catch (NexusException refusal) {
            recordRefusal(audit, AuditRecord.refused(caller, AuditRecord.Target.TAG, path, ACTION, before, write.value(),
                    refusal));
            throw refusal;
        }
        try {
            audit.append(AuditRecord.done(caller, AuditRecord.Target.TAG, path, ACTION, before, value, null));
        } catch (RuntimeException e) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "nothing was written to " + path + ": the audit"
                    + " trail cannot record the write (" + e.getMessage() + ")", e);
        }
        Object answered = null;
        try {
            if (remote != null) {
                answered = remote.write(caller, tag, value);
            } else {
                backend.write(tag.allocation(), value);
            }
        } catch (RuntimeException e) {
            NexusException failure = e instanceof NexusException known ? known
                    : new NexusException(ErrorCode.INTERNAL, "the write to " + path + " failed: " + e.getMessage(), e);
            recordFailure(audit, new AuditRecord(0, null, caller, AuditRecord.Target.TAG, path, ACTION, before, value,
                    failure.code().name(), false, failure.getMessage()));
            throw failure;
        }
        LOG.debug("{} wrote {} through {}{}: {}", caller.user(), path, caller.source(),
                remote == null ? "" : " (carried out by the node that owns it)", value);
        TagValue after = backend != null ? reads.value(backend, tag.allocation())
                : new TagValue(answered, answered == null ? Quality.BAD_NO_BACKEND : Quality.GOOD,
                        System.currentTimeMillis() * 1_000_000L);
        return new TagReading(TagReads.info(registry, tag), after);
    }

    /** Many writes, each checked, written and audited on its own, in order. */
    List<WriteResult> write(Caller caller, List<TagWrite> writes) {
        Objects.requireNonNull(caller, "caller");
        List<WriteResult> results = new ArrayList<>(writes.size());
        for (TagWrite write : writes) {
            try {
                results.add(new WriteResult(write.path(), write(caller, write), null));
            } catch (NexusException e) {
                results.add(new WriteResult(write.path(), null, e));
            }
        }
        return results;
    }

    /** @return the tag's value before the write, or null when it cannot be read */
    private Object before(RmaBackend backend, Tag tag) {
        if (backend == null) {
            return null;
        }
        TagValue value = reads.value(backend, tag.allocation());
        return value.quality().isGood() ? value.value() : null;
    }

    private static void recordRefusal(AuditTrail audit, AuditRecord record) {
        if (audit == null) {
            LOG.debug("Not audited, no audit trail is running: {} {} refused ({})", record.caller().user(), record.name(),
                    record.result());
            return;
        }
        try {
            audit.append(record);
        } catch (RuntimeException e) {
            LOG.error("The audit trail cannot record that {} was refused a write to {} ({}): {}", record.caller().user(),
                    record.name(), record.result(), e.getMessage());
        }
    }

    private static void recordFailure(AuditTrail audit, AuditRecord record) {
        try {
            audit.append(record);
        } catch (RuntimeException e) {
            LOG.error("The audit trail cannot record that the write of {} to {} failed ({}): {}", record.caller().user(),
                    record.name(), record.result(), e.getMessage());
        }
    }
}
