package nexus.audit.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.AuditRecord;
import nexus.core.AuditSink;
import nexus.core.AuditTrail;
import nexus.core.ErrorCode;
import nexus.core.Health;
import nexus.core.MetricFamily;
import nexus.core.NexusException;

/**
 * The audit trail in plain Java: {@link #append} numbers the record, writes it to the
 * {@link AuditJournal} and forces it to disk — concurrent appends share one write and one fsync
 * ({@link GroupCommit}) — and only then answers, after handing the record to every sink. When the
 * journal cannot be written every append in the batch fails with {@code BACKEND_UNAVAILABLE} and
 * nothing of it stays in the journal; the next append, or {@link #probe}, tries the disk again, and
 * the first that works ends the failure. Thread-safe.
 */
final class JournaledAuditTrail implements AuditTrail, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JournaledAuditTrail.class);

    private final AuditJournal journal;
    private final InstantSource clock;
    private final Sinks sinks = new Sinks();
    private final GroupCommit<AuditRecord, AuditRecord> commits;
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    /** Why the journal cannot be written now (null: it can, or it was not tried yet), and since when. */
    private volatile String problem;
    private volatile Instant failingSince;
    private volatile boolean opened;
    private volatile long lastSequence;
    private volatile boolean closed;

    JournaledAuditTrail(JournalSettings settings, InstantSource clock, Output.Opener opener) {
        this.journal = new AuditJournal(settings, opener);
        this.clock = clock;
        this.commits = new GroupCommit<>(this::commit, () -> new NexusException(ErrorCode.BACKEND_UNAVAILABLE,
                "interrupted while waiting for the audit journal: nothing was recorded and nothing was done"));
    }

    JournaledAuditTrail(JournalSettings settings) {
        this(settings, InstantSource.system(), Output::open);
    }

    /**
     * @throws NexusException BACKEND_UNAVAILABLE when the journal cannot take the record (the message
     *                        says why); INVALID_ARGUMENT when the record is too long to journal
     */
    @Override
    public AuditRecord append(AuditRecord draft) {
        Objects.requireNonNull(draft, "draft");
        return commits.submit(draft);
    }

    /** Opens the journal, or tries the disk again after a failure, between commits. */
    void probe() {
        commits.exclusive(() -> {
            if (closed) {
                return;
            }
            try {
                journal.open();
                worked();
            } catch (IOException | RuntimeException e) {
                failed(e);
            }
        });
    }

    /** New settings; a new folder is read and written from the next commit on. */
    void settings(JournalSettings settings) {
        journal.settings(settings);
    }

    JournalSettings settings() {
        return journal.settings();
    }

    void addSink(AuditSink sink, String name) {
        sinks.add(sink, name);
    }

    void removeSink(AuditSink sink) {
        sinks.remove(sink);
    }

    /** The leading caller's commit: numbers, encodes, writes and syncs the batch, then hands it to the sinks. */
    private void commit(List<GroupCommit.Request<AuditRecord, AuditRecord>> batch) {
        if (closed) {
            refuse(batch, new NexusException(ErrorCode.BACKEND_UNAVAILABLE,
                    "the audit trail is stopping: nothing was recorded and nothing was done"));
            return;
        }
        try {
            journal.open();
        } catch (IOException | RuntimeException e) {
            refuse(batch, failed(e));
            return;
        }
        long sequence = journal.nextSequence();
        Instant now = clock.instant();
        ByteArrayOutputStream lines = new ByteArrayOutputStream(batch.size() * 320);
        List<GroupCommit.Request<AuditRecord, AuditRecord>> written = new ArrayList<>(batch.size());
        List<AuditRecord> records = new ArrayList<>(batch.size());
        for (GroupCommit.Request<AuditRecord, AuditRecord> request : batch) {
            AuditRecord record = request.item.appended(sequence, now);
            byte[] line;
            try {
                line = AuditLine.encode(record);
            } catch (IllegalArgumentException e) {
                failures.incrementAndGet();
                request.failed(new NexusException(ErrorCode.INVALID_ARGUMENT, e.getMessage()
                        + ": shorten the comment or the value; nothing was done"));
                continue;
            }
            lines.writeBytes(line);
            written.add(request);
            records.add(record);
            sequence++;
        }
        if (records.isEmpty()) {
            return;
        }
        try {
            journal.write(lines.toByteArray(), lines.size(), records.size());
        } catch (IOException | RuntimeException e) {
            refuse(written, failed(e));
            return;
        }
        syncs.incrementAndGet();
        appended.addAndGet(records.size());
        lastSequence = records.get(records.size() - 1).sequence();
        worked();
        sinks.deliver(records);
        for (int i = 0; i < written.size(); i++) {
            written.get(i).done(records.get(i));
        }
    }

    private void refuse(List<GroupCommit.Request<AuditRecord, AuditRecord>> batch, NexusException why) {
        failures.addAndGet(batch.size());
        for (GroupCommit.Request<AuditRecord, AuditRecord> request : batch) {
            request.failed(why);
        }
    }

    private void worked() {
        opened = true;
        if (lastSequence == 0) {
            lastSequence = journal.nextSequence() - 1;
        }
        if (problem != null) {
            LOG.info("The audit journal in {} is written again (it failed from {}: {})", journal.settings().dir(),
                    failingSince, problem);
            problem = null;
            failingSince = null;
        }
    }

    /** Notes the failure and returns what the callers are told. */
    private NexusException failed(Exception e) {
        Path dir = journal.settings().dir();
        String reason = reason(e);
        if (problem == null) {
            failingSince = clock.instant();
            LOG.error("The audit journal in {} cannot be written: {}. Writes and alarm actions are refused until it"
                    + " can; it is tried again at the next one and every few seconds.", dir, reason);
        }
        problem = reason;
        return new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the audit journal cannot be written (" + reason
                + "): nothing was recorded and nothing was done; try again once the journal's disk is fixed", e);
    }

    /** @return the failure in plain words, without a class name */
    static String reason(Exception e) {
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " is in the way: it is a file, not a folder";
        }
        if (e instanceof NoSuchFileException f) {
            return f.getReason() != null ? f.getReason() + ": " + f.getFile() : "missing: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + (f.getFile() == null ? "" : ": " + f.getFile());
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** @return the health: DOWN while the journal cannot be written, DEGRADED after damage was found */
    Health health() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dir", journal.settings().dir().toString());
        data.put("lastSequence", lastSequence);
        data.put("appended", appended.get());
        data.put("failures", failures.get());
        Recovery recovery = journal.recovery();
        if (recovery != null) {
            data.put("cutBytes", recovery.cutBytes());
            data.put("damagedLines", recovery.damagedLines());
        }
        data.put("sinks", sinks.names());
        String why = problem;
        if (why != null) {
            return Health.down("cannot write the audit journal in " + journal.settings().dir() + " since "
                    + failingSince + ": " + why + "; writes and alarm actions are refused (503) until it works again")
                    .withData(data);
        }
        if (!opened) {
            return Health.down("opening the audit journal in " + journal.settings().dir()).withData(data);
        }
        String figures = "last sequence " + lastSequence + ", " + appended.get() + " appended since start";
        if (recovery != null && recovery.damagedLines() > 0) {
            return Health.degraded("journal in " + journal.settings().dir() + ", " + figures + "; "
                    + recovery.damagedLines() + " damaged lines found at start, kept and not read ("
                    + String.join(", ", recovery.damaged()) + "): the disk may be failing").withData(data);
        }
        String cut = recovery != null && recovery.cutBytes() > 0 ? "; " + recovery.cutBytes()
                + " bytes of a record torn by a crash cut off at start" : "";
        return Health.up("journal in " + journal.settings().dir() + ", " + figures + cut).withData(data);
    }

    /** @return whether the journal failed its last write or open */
    boolean failing() {
        return problem != null || !opened;
    }

    List<MetricFamily> metrics() {
        return List.of(
                MetricFamily.single("nexus_audit_records_appended_total", MetricFamily.Type.COUNTER,
                        "Audit records written to the journal and synced.", appended.get()),
                MetricFamily.single("nexus_audit_append_failures_total", MetricFamily.Type.COUNTER,
                        "Appends refused because the journal could not take them (nothing was done).", failures.get()),
                MetricFamily.single("nexus_audit_syncs_total", MetricFamily.Type.COUNTER,
                        "Journal writes forced to disk; concurrent appends share one.", syncs.get()),
                MetricFamily.single("nexus_audit_last_sequence", MetricFamily.Type.GAUGE,
                        "The sequence of the last record appended.", lastSequence),
                sinks.metrics());
    }

    /** @return appends waiting for the next commit */
    int waiting() {
        return commits.waiting();
    }

    /** For tests: the sinks' drop counts. */
    long dropped(String sink) {
        return sinks.dropped(sink);
    }

    @Override
    public void close() {
        commits.exclusive(() -> {
            closed = true;
            journal.close();
        });
    }
}
