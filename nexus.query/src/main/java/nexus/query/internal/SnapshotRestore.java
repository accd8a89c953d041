package nexus.query.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.Access;
import nexus.core.AuditRecord;
import nexus.core.AuditTrail;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.Permission;
import nexus.query.RestoreOptions;
import nexus.query.RestoreResult;
import nexus.query.SnapshotService;
import nexus.query.TagService;
import nexus.query.TagWrite;
import nexus.query.WriteResult;
import nexus.registry.Registry;
import nexus.registry.Tag;
import nexus.registry.TagRegistry;

/**
 * The restore of {@link SnapshotService}, plain Java, in the contract's order: read and check the
 * whole file ({@link SnapshotFile}); find each tag by path as the caller sees it; compare the layout
 * hash of those tags now with the file's; check every value against its tag's type; read the current
 * values (merged, consistent blocks, as an export reads them); decide every write the caller would
 * make (the one decision, {@link Access#refuseWrite}) — and only then, in a real run whose confirmation still
 * matches ({@link RestoreToken}), write the changes through the {@link TagService} as the caller, a
 * chunk at a time, stopping after the first chunk in which a write failed. Thread-safe.
 */
final class SnapshotRestore {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRestore.class);

    /** Writes handed to the tag service at once; after a chunk with a failure, the rest are not attempted. */
    static final int CHUNK = 1_000;

    /** A snapshot of at least 1/WALK of the registry's tags is matched by walking the registry. */
    private static final int WALK = 20;

    /** Paths a refusal names; the rest are counted. */
    private static final int NAMED = 10;

    private final QueryEngine engine;
    private final TagSources sources;
    private final TagService tags;

    SnapshotRestore(QueryEngine engine, TagSources sources, TagService tags) {
        this.engine = engine;
        this.sources = sources;
        this.tags = tags;
    }

    /** A line of the file with the tag it names now. */
    private record Found(SnapshotFile.Entry entry, Tag tag) {
    }

    RestoreResult restore(Caller caller, InputStream in, RestoreOptions options) throws IOException {
        Objects.requireNonNull(caller, "caller");
        RestoreToken presented = options.dryRun() ? null : token(options.confirmation());
        SnapshotFile file = SnapshotFile.read(in, SnapshotService.RESTORE_MAX_BYTES);
        Access access = sources.access(caller);
        TagRegistry service = sources.registry();
        Registry registry = service.current();

        Skips skipped = new Skips();
        List<Found> found = find(registry, access, file, options.mapByPath(), skipped);
        String layout = layout(registry, found);
        if (!options.mapByPath() && !layout.equals(file.layoutHash)) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the snapshot is of another layout, nothing was written:"
                    + " its layout hash is " + file.layoutHash + ", its tags' layout now hashes to " + layout
                    + " (tags moved, changed type, or are gone): restore with map=path to match its tags by path");
        }
        List<Object> values = typed(found, skipped);

        List<StampedReads.Stamped> current = read(registry, found);
        List<RestoreResult.Change> changes = new ArrayList<>();
        List<TagWrite> writes = new ArrayList<>();
        List<String> forbidden = new ArrayList<>();
        List<AuditRecord> refusals = new ArrayList<>();
        List<String> outOfRange = new ArrayList<>();
        TreeMap<Integer, Long> banks = new TreeMap<>();
        MessageDigest seen = sha256();
        int unchanged = 0;
        for (int i = 0; i < found.size(); i++) {
            Tag tag = found.get(i).tag();
            Object value = values.get(i);
            if (value == null) {
                continue; // skipped already, with its reason
            }
            StampedReads.Stamped now = current.get(i);
            if (tag.writable()) {
                digest(seen, tag.path() + '\0' + now.quality() + '\0' + now.value() + '\n');
            }
            if (now.quality().isGood() && Objects.equals(now.value(), value)) {
                unchanged++;
                continue;
            }
            if (!tag.writable()) {
                if (skipped.add(tag.path(), "the tag is not writable")) {
                    changes.add(new RestoreResult.Change(tag.path(), now.value(), value, tag.unit(), false));
                }
                continue;
            }
            changes.add(new RestoreResult.Change(tag.path(), now.value(), value, tag.unit(), true));
            Optional<NexusException> refused = access.refuseWrite(tag.path(), true, tag.writeRoles());
            if (refused.isPresent()) {
                forbidden.add(refused.get().getMessage());
                refusals.add(AuditRecord.refused(caller, AuditRecord.Target.TAG, tag.path(), TagWrites.ACTION, now.value(), value,
                        refused.get()));
                continue;
            }
            try {
                WriteRules.checked(tag, value); // the engineering range too, now that it will be written
            } catch (NexusException e) {
                outOfRange.add(e.getMessage());
                continue;
            }
            writes.add(new TagWrite(tag.path(), value));
            banks.merge(tag.allocation().bank(), now.sequence(), Math::max);
        }
        if (!forbidden.isEmpty()) {
            if (!options.dryRun()) {
                audit(refusals);
            }
            throw new NexusException(ErrorCode.FORBIDDEN, "the restore is refused, nothing was written: the caller may"
                    + " not write " + forbidden.size() + " of the tags it would change: " + named(forbidden));
        }
        if (!outOfRange.isEmpty()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the restore is refused, nothing was written: "
                    + outOfRange.size() + " values cannot be written now: " + named(outOfRange));
        }
        RestoreToken now = new RestoreToken(registry.version(), callerDigest(caller), fileDigest(file, options.mapByPath()),
                seen.digest(), banks.keySet().stream().mapToInt(Integer::intValue).toArray(),
                banks.values().stream().mapToLong(Long::longValue).toArray());
        if (options.dryRun()) {
            return new RestoreResult(true, registry.version(), layout, now.encode(), found.size(), unchanged, changes,
                    skipped.listed, skipped.count, List.of(), List.of(), List.of());
        }
        presented.check(now);
        Optional<String> paused = service.writesRefused();
        if (paused.isPresent()) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "nothing was written: " + paused.get());
        }
        return write(caller, registry.version(), layout, found.size(), unchanged, changes, skipped, writes);
    }

    private RestoreResult write(Caller caller, long version, String layout, int count, int unchanged,
            List<RestoreResult.Change> changes, Skips skipped, List<TagWrite> writes) {
        List<String> written = new ArrayList<>();
        List<RestoreResult.Failure> failed = new ArrayList<>();
        // The audit trail tells a restore's writes from hand-made ones by where they came through.
        Caller restoring = new Caller(caller.user(), caller.roles(), caller.source() + " snapshot restore");
        int next = 0;
        while (next < writes.size() && failed.isEmpty()) {
            List<TagWrite> chunk = writes.subList(next, Math.min(writes.size(), next + CHUNK));
            for (WriteResult result : tags.write(restoring, chunk)) {
                if (result.ok()) {
                    written.add(result.path());
                } else {
                    failed.add(new RestoreResult.Failure(result.path(), result.error()));
                }
            }
            next += chunk.size();
        }
        List<String> notWritten = writes.subList(next, writes.size()).stream().map(TagWrite::path).toList();
        return new RestoreResult(false, version, layout, null, count, unchanged, changes, skipped.listed, skipped.count, written,
                failed, notWritten);
    }

    /**
     * Records the writes a real run was refused, as the tag service records a refused write: a restore
     * that tried to write what the caller may not is visible in the audit trail tag by tag, although
     * nothing was attempted. Best effort: the refusal is answered either way.
     */
    private void audit(List<AuditRecord> refusals) {
        AuditTrail audit = sources.audit();
        if (audit == null) {
            return;
        }
        for (AuditRecord record : refusals) {
            try {
                audit.append(record);
            } catch (RuntimeException e) {
                LOG.error("The audit trail cannot record that {} was refused a restore of {} ({}): {}", record.caller().user(),
                        record.name(), record.result(), e.getMessage());
                return;
            }
        }
    }

    private static RestoreToken token(String confirmation) {
        if (confirmation == null || confirmation.isEmpty()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "a restore that writes presents the confirmation of its"
                    + " dry run: run it with dry_run=true first, check the diff, then send the same file with its"
                    + " confirmation");
        }
        return RestoreToken.decode(confirmation);
    }

    /** The skipped tags: all counted, the first {@link RestoreResult#LISTED} listed. */
    private static final class Skips {
        final List<RestoreResult.Skip> listed = new ArrayList<>();
        int count;

        /** @return whether it was listed */
        boolean add(String path, String reason) {
            count++;
            if (listed.size() < RestoreResult.LISTED) {
                listed.add(new RestoreResult.Skip(path, reason));
                return true;
            }
            return false;
        }
    }

    /**
     * @return the file's tags as the caller sees them now, in the file's order; a path no tag has is
     *         skipped (map by path) or left out (the layout hash then differs). A snapshot of a good part
     *         of the registry is matched walking the registry in path order a page at a time (a lookup
     *         per path costs a statement each); a small one path by path.
     */
    private static List<Found> find(Registry registry, Access access, SnapshotFile file, boolean mapByPath, Skips skipped) {
        boolean reads = access.may(Permission.READ);
        Map<String, Tag> tags = new HashMap<>();
        for (SnapshotFile.Entry entry : file.entries) {
            if (tags.containsKey(entry.path())) {
                throw SnapshotFile.invalid(entry.line(), entry.path() + " is in the snapshot twice");
            }
            tags.put(entry.path(), null);
        }
        if (reads && file.entries.size() * WALK >= registry.index().size()) {
            String after = null;
            while (true) {
                List<Tag> page = registry.tags("", after, SnapshotExport.PAGE);
                for (Tag tag : page) {
                    if (tags.containsKey(tag.path())) {
                        tags.put(tag.path(), tag);
                    }
                }
                if (page.size() < SnapshotExport.PAGE) {
                    break;
                }
                after = page.get(page.size() - 1).path();
            }
        } else if (reads) {
            for (SnapshotFile.Entry entry : file.entries) {
                tags.put(entry.path(), registry.tag(entry.path()).orElse(null));
            }
        }
        List<Found> found = new ArrayList<>(file.entries.size());
        for (SnapshotFile.Entry entry : file.entries) {
            Tag tag = tags.get(entry.path());
            if (tag != null && access.sees(tag.path())) {
                found.add(new Found(entry, tag));
            } else if (mapByPath) {
                skipped.add(entry.path(), "no tag has the path now");
            }
        }
        return found;
    }

    /** @return the layout hash of the tags found, in path order as the registry sorts (UTF-8 bytes) */
    private static String layout(Registry registry, List<Found> found) {
        List<Tag> sorted = new ArrayList<>(found.size());
        found.forEach(f -> sorted.add(f.tag()));
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.path().getBytes(StandardCharsets.UTF_8),
                b.path().getBytes(StandardCharsets.UTF_8)));
        LayoutHash hash = new LayoutHash();
        for (Tag tag : sorted) {
            hash.add(tag, TagReads.bankName(registry, tag.allocation().bank()));
        }
        return hash.finish();
    }

    /**
     * @return each line's value as its tag's type holds it, null where it is skipped (no value, NaN in a float)
     * @throws NexusException INVALID_ARGUMENT naming the lines whose value or type does not fit the tag (NaN
     *                        or an infinity in a tag that is not a float among them)
     */
    private static List<Object> typed(List<Found> found, Skips skipped) {
        List<Object> values = new ArrayList<>(found.size());
        List<String> wrong = new ArrayList<>();
        for (Found f : found) {
            Tag tag = f.tag();
            SnapshotFile.Entry entry = f.entry();
            Object value = entry.value();
            String type = tag.allocation().type().name();
            if (!type.equals(entry.type())) {
                wrong.add("line " + entry.line() + ": " + tag.path() + " is " + type + " now, " + entry.type() + " in the snapshot");
                values.add(null);
            } else if (value == null) {
                skipped.add(tag.path(), "the snapshot holds no value for it (its quality was bad)");
                values.add(null);
            } else if (nonFinite(tag, value) && tag.allocation().type().isFloat()) {
                skipped.add(tag.path(), "the snapshot's value " + value + " cannot be written");
                values.add(null);
            } else if (nonFinite(tag, value)) {
                wrong.add("line " + entry.line() + ": " + tag.path() + " is " + type + ": " + value
                        + " is no value of it (only a FLOAT32 or FLOAT64 holds NaN and the infinities)");
                values.add(null);
            } else {
                try {
                    // the type's rules without the engineering range: a read-only value may lie outside it
                    values.add(WriteRules.checked(new Tag(tag.id(), tag.path(), tag.allocation(), tag.unit(), null, true,
                            null, null, null), value));
                } catch (NexusException e) {
                    wrong.add("line " + entry.line() + ": " + e.getMessage());
                    values.add(null);
                }
            }
        }
        if (!wrong.isEmpty()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the snapshot is refused, nothing was written: "
                    + wrong.size() + " values do not fit their tags: " + named(wrong));
        }
        return values;
    }

    /**
     * @return whether the value is NaN or an infinity, as a Double (CSV) or as the text the writer spells
     *         them with (JSON lines) in a tag that is not a STRING (where "NaN" is just a text)
     */
    private static boolean nonFinite(Tag tag, Object value) {
        if (value instanceof String text && tag.allocation().type() != nexus.rma.RmaType.STRING) {
            return SnapshotFile.special(text) != null;
        }
        return value instanceof Double d && !Double.isFinite(d);
    }

    /** @return the current values of the tags found, a page at a time in merged, consistent blocks */
    private List<StampedReads.Stamped> read(Registry registry, List<Found> found) {
        List<StampedReads.Stamped> read = new ArrayList<>(found.size());
        nexus.rma.RmaBackend memory = registry.memory(sources.backend());
        for (int from = 0; from < found.size(); from += SnapshotExport.PAGE) {
            List<Tag> page = found.subList(from, Math.min(found.size(), from + SnapshotExport.PAGE)).stream()
                    .map(Found::tag).toList();
            try (Admission.Ticket slot = engine.admit()) {
                read.addAll(StampedReads.read(memory, page, engine.limits()));
            }
        }
        return read;
    }

    /** The confirmation is the dry run's caller's: bound to the user name, the identity audit records carry. */
    private static byte[] callerDigest(Caller caller) {
        MessageDigest digest = sha256();
        digest(digest, caller.user());
        return digest.digest();
    }

    private static byte[] fileDigest(SnapshotFile file, boolean mapByPath) {
        MessageDigest digest = sha256();
        digest(digest, file.layoutHash + '\0' + mapByPath + '\n');
        for (SnapshotFile.Entry entry : file.entries) {
            digest(digest, entry.path() + '\0' + entry.type() + '\0' + entry.value() + '\n');
        }
        return digest.digest();
    }

    private static void digest(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String named(List<String> reasons) {
        String named = String.join("; ", reasons.subList(0, Math.min(NAMED, reasons.size())));
        return reasons.size() > NAMED ? named + "; and " + (reasons.size() - NAMED) + " more" : named;
    }
}
