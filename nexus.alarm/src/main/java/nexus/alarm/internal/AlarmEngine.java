package nexus.alarm.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import nexus.alarm.ActionRequest;
import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmSummary;
import nexus.core.Access;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.Registry;
import nexus.rma.RmaBackend;

/**
 * The alarm manager's core, plain Java: the order of things and the one lock. A scan follows the
 * registry ({@link Replanner}) and the backend ({@link TakeOver}), reads every watched tag and flag
 * byte in one merged read (through the registry version's memory: a contributed tag's value in its
 * contributor's, flag bytes in the node's backend) in which each block is a consistent snapshot of
 * its bank — not the read as a whole: blocks are read one after the other, contributed ones in
 * another memory —, evaluates every alarm
 * ({@link ScanPass}), commits the changes ({@link Durability}), writes changed flag bytes
 * ({@link FlagWriter}) and publishes the events. An operator action goes through {@link #act}:
 * permission and audit ({@link ActionAudit}), then a group commit ({@link ActionQueue},
 * {@link ActionCommit}). Thread-safe: one lock serialises scans and actions, so events leave in the
 * order things happened.
 *
 * <p>Durability: every change is committed to the {@link Journal} (one group commit per scan, one per
 * batch of concurrent actions) before its flag byte is written, its event leaves or the action is
 * answered. An action whose commit fails is undone and refused with {@code BACKEND_UNAVAILABLE}; a
 * scan's transitions are kept and their flags written (the alarms must annunciate), but their events
 * wait until a later scan or action commits them, so a crash never hands out a published sequence
 * number again. A registry version that moves flag bytes journals the moved alarms at their new
 * place before it writes there.
 *
 * <p>Flags in RMA are the truth about state: when the engine first meets an alarm it takes the flag
 * byte RMA holds (bit 7 set) and the timestamps of the snapshot that agree with it; what it cannot
 * recover is marked unknown. While it runs, its memory is the truth: a new RMA backend gets every
 * flag written again.
 */
final class AlarmEngine {

    /**
     * How the engine works.
     *
     * @param scanIntervalMillis  the scan interval (for overrun counting)
     * @param chatterCount        activations within {@code chatterWindowMillis} that make an alarm chatter
     * @param chatterWindowMillis the chattering window
     * @param floodThreshold      more activations than this in 10 minutes is a flood
     * @param maxGap              the read merge rule's largest gap
     * @param maxBlock            the read merge rule's longest block
     */
    record Settings(long scanIntervalMillis, int chatterCount, long chatterWindowMillis, int floodThreshold,
            int maxGap, int maxBlock) {

        static final Settings DEFAULTS = new Settings(100, 3, 60_000, 10, 256, 4096);
    }

    /**
     * What {@code /health} says about the engine.
     *
     * @param unevaluated      alarms that are evaluated (enabled, in service) and that the last scan
     *                         could not evaluate: their tag's quality is not GOOD
     * @param firstUnevaluated the first few of them ({@link TagQuality#FEW})
     */
    record Status(boolean ready, String reason, String flagProblem, String journalProblem, Instant lastScan,
            int unevaluated, List<String> firstUnevaluated) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Object checkpointing = new Object();
    private final InstantSource clock;
    private final LongSupplier monotonic;
    private final Supplier<Registry> registries;
    private final Supplier<RmaBackend> backends;
    private final SnapshotStore snapshots;
    private final Recovery recovery;
    private final AlarmStateMachine machine;
    private final Durability durability;
    private final FlagWriter flags = new FlagWriter();
    private final ScanPass pass;
    private final TakeOver takeOver;
    private final Replanner replanner;
    private final ActionAudit audit;
    private final ActionCommit commit;
    private final ActionQueue actions = new ActionQueue();
    private final Kpis kpis = new Kpis();

    private volatile Settings settings;
    private volatile String paused;
    private boolean replan;
    private AlarmTable table;
    private RmaBackend lastBackend;
    private long checkpointedChanges = -1;
    private String notReady = "no registry is served yet";

    /**
     * @param registries the registry served now, or null
     * @param backends   the RMA backend to use now, or null
     * @param publisher  takes every event, in order, under the engine's lock: it must not block
     * @param snapshots  the snapshot file, or null when none is configured
     * @param audit      permission and audit of operator actions
     */
    AlarmEngine(Settings settings, InstantSource clock, Supplier<Registry> registries, Supplier<RmaBackend> backends,
            Consumer<AlarmEvent> publisher, SnapshotStore snapshots, ActionAudit audit) {
        this(settings, clock, () -> System.nanoTime() / 1_000_000, registries, backends, publisher, snapshots, audit);
    }

    /**
     * @param monotonic milliseconds on a clock that never steps (delays and shelve ends run on it);
     *                  tests drive it together with {@code clock}
     */
    AlarmEngine(Settings settings, InstantSource clock, LongSupplier monotonic, Supplier<Registry> registries,
            Supplier<RmaBackend> backends, Consumer<AlarmEvent> publisher, SnapshotStore snapshots,
            ActionAudit audit) {
        this.settings = settings;
        this.clock = clock;
        this.monotonic = monotonic;
        this.registries = registries;
        this.backends = backends;
        this.snapshots = snapshots;
        this.audit = audit;
        this.recovery = new Recovery(snapshots);
        this.durability = new Durability(snapshots, publisher);
        this.machine = new AlarmStateMachine(durability::emit, settings.chatterCount());
        this.pass = new ScanPass(machine, flags, monotonic);
        this.takeOver = new TakeOver(recovery, durability);
        this.replanner = new Replanner(recovery, durability);
        this.commit = new ActionCommit(new ActionRules(machine), audit, durability, flags);
    }

    /** New settings: the chattering rule applies from each alarm's next activation, a new merge rule at the next scan. */
    void settings(Settings settings) {
        lock.lock();
        try {
            Settings before = this.settings;
            this.settings = settings;
            machine.chatterCount(settings.chatterCount());
            if (table != null) {
                table.quiet.touchedAll(); // nothing a quiet alarm depends on changes with them; visited all the same
            }
            replan |= before.maxGap() != settings.maxGap() || before.maxBlock() != settings.maxBlock();
        } finally {
            lock.unlock();
        }
    }

    Settings settings() {
        return settings;
    }

    /** @param why why alarms are neither evaluated nor written (actions are refused meanwhile), or null to resume */
    void paused(String why) {
        this.paused = why;
    }

    // ---- the scan ----

    /** One scan: follows the registry and the backend, evaluates every alarm, writes changed flags. */
    void scan() {
        lock.lock();
        try {
            long started = System.nanoTime();
            long now = clock.millis();
            long mono = monotonic.getAsLong();
            Registry registry = registries.get();
            RmaBackend backend = backends.get();
            if (backend == null) {
                notReady = "no RMA backend: alarm flags cannot be read or written";
                return;
            }
            if (registry == null) {
                if (table == null) {
                    notReady = "no registry is served yet";
                    return;
                }
            } else if (table == null || registry != table.registry || replan) {
                Settings s = settings;
                table = replanner.follow(table, registry, backend, s.maxGap(), s.maxBlock());
                replan = false;
            }
            if (backend != lastBackend) {
                if (lastBackend != null) {
                    takeOver.backendChanged(table, backend);
                }
                lastBackend = backend;
            }
            // Values of contributed tags live in their contributor's memory: the version's view over both
            // reads them there, and the flag bytes (always the registry file's banks) in the node's backend.
            RmaBackend memory = table.registry.memory(backend);
            (memory == null ? backend : memory).read(table.reads, table.reads.length);
            if (table.unadoptedCount() > 0) {
                takeOver.adopt(table, backend, clock.millis(), mono);
            }
            notReady = null;
            pass.run(table, now, mono);
            boolean committed = durability.commitScan(table.records, pass.changed(), pass.changedCount());
            flags.write(table, backend); // also when not committed: an alarm annunciates whatever the disk does
            if (committed) {
                durability.publish();
            }
            pass.settle(table);
            kpis.scanned(System.nanoTime() - started, pass.activations(), now, settings.scanIntervalMillis());
        } finally {
            lock.unlock();
        }
    }

    /** Whether scans skip quiet alarms ({@link ScanPass}): they do; tests compare with scans that visit every alarm. */
    void skipQuiet(boolean skip) {
        lock.lock();
        try {
            pass.skipping(skip);
        } finally {
            lock.unlock();
        }
    }

    /** @return how many alarms the last scan visited (not quiet, taken over) */
    int visits() {
        lock.lock();
        try {
            return pass.visits();
        } finally {
            lock.unlock();
        }
    }

    // ---- operator actions ----

    /**
     * Carries out an operator action: the one path every front-end's action takes. Asks the access
     * policy, validates everything before it changes anything, appends the audit record, and answers
     * once the change is committed to the journal (shared with every action queued meanwhile: one
     * fsync), its flag byte written and its event handed on. Every refusal is audited as refused.
     *
     * @throws NexusException BACKEND_UNAVAILABLE when no audit trail runs, while alarms are paused, or
     *                        when the audit trail or the journal cannot be written: then nothing
     *                        changed (no flag byte, no event); FORBIDDEN, INVALID_ARGUMENT,
     *                        ALARM_NOT_FOUND, CONFLICT as {@link nexus.alarm.AlarmService#act} says
     */
    Alarm act(String name, AlarmAction action, ActionRequest request) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(request, "request");
        audit.requireTrail();
        ActionQueue.Request q = new ActionQueue.Request(name, action, request, audit.access(request.caller()));
        try {
            String why = paused;
            if (why != null) {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "alarm actions are refused while alarms are"
                        + " paused: " + why);
            }
            ActionRules.check(request);
            return actions.submit(q, batch -> {
                lock.lock();
                try {
                    commitActions(batch);
                } finally {
                    lock.unlock();
                }
            });
        } catch (RuntimeException e) {
            audit.refused(q, e);
            throw e;
        }
    }

    /** @return actions waiting for the next group commit */
    int queuedActions() {
        return actions.waiting();
    }

    /** Carries out the queued actions as one group commit. Under the lock. */
    private void commitActions(List<ActionQueue.Request> batch) {
        try {
            requireReady();
        } catch (NexusException e) {
            batch.forEach(q -> q.refusal = e);
            return;
        }
        RmaBackend backend = backends.get();
        commit.commit(batch, table, backend, backend == lastBackend, clock.millis(), monotonic.getAsLong());
    }

    private void requireReady() {
        if (table == null || lastBackend == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "alarm states are not known yet: "
                    + (notReady == null ? "the first scan has not run" : notReady));
        }
    }

    // ---- reading state ----

    /** @return every alarm that matches, as a caller who sees everything (the console's and the tests' view) */
    List<Alarm> list(AlarmFilter filter) {
        return list(Access.UNRESTRICTED, filter);
    }

    List<Alarm> list(Access access, AlarmFilter filter) {
        lock.lock();
        try {
            requireReady();
            List<Alarm> alarms = new ArrayList<>();
            for (int i : table.nameOrder()) {
                AlarmRecord r = table.records[i];
                if (!table.unadopted[i] && access.sees(r.tag())
                        && filter.matches(r.state(), r.definition().severity(), r.name(), r.tag())) {
                    alarms.add(table.alarm(i));
                }
            }
            return alarms;
        } finally {
            lock.unlock();
        }
    }

    /** @throws NexusException BACKEND_UNAVAILABLE before the first states are known, ALARM_NOT_FOUND */
    Alarm get(String name) {
        return get(Access.UNRESTRICTED, name);
    }

    Alarm get(Access access, String name) {
        lock.lock();
        try {
            requireReady();
            return table.alarm(table.find(name, access));
        } finally {
            lock.unlock();
        }
    }

    AlarmSummary summary(List<AlarmSummary.SinkStats> sinks) {
        lock.lock();
        try {
            return kpis.summary(table, settings, clock.millis(), durability.published(), sinks);
        } finally {
            lock.unlock();
        }
    }

    Status status() {
        lock.lock();
        try {
            return new Status(notReady == null && table != null && lastBackend != null, notReady, flags.problem(),
                    durability.problem(), kpis.lastScan(), pass.quality().unevaluated(), pass.quality().firstUnevaluated());
        } finally {
            lock.unlock();
        }
    }

    // ---- checkpoints ----

    /**
     * @return every alarm's lifecycle for the snapshot, with the entries of alarms not taken over
     *         (kept as they were); null before the engine has taken its alarms over, so that a
     *         snapshot on disk is never replaced by an empty one
     */
    List<Snapshot.Entry> snapshotEntries() {
        lock.lock();
        try {
            if (table == null || lastBackend == null || !recovery.loaded()) {
                return null;
            }
            List<AlarmRecord> adopted = new ArrayList<>(table.records.length);
            for (int i = 0; i < table.records.length; i++) {
                if (!table.unadopted[i]) {
                    adopted.add(table.records[i]);
                }
            }
            return recovery.snapshot(adopted);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A checkpoint: the snapshot of every alarm's state, after which the journal starts a new segment
     * and the older ones are deleted. Nothing is written when nothing changed since the last one, or
     * before the engine has taken its alarms over.
     *
     * @return whether a snapshot was written
     */
    boolean checkpoint(long now) {
        synchronized (checkpointing) { // one checkpoint at a time; the engine's lock is held only to cut the journal
            List<Snapshot.Entry> entries;
            long segment;
            long at;
            lock.lock();
            try {
                if (snapshots == null || durability.changes() == checkpointedChanges) {
                    return false;
                }
                entries = snapshotEntries();
                if (entries == null) {
                    return false;
                }
                try {
                    segment = snapshots.rotate();
                } catch (IOException e) {
                    return false; // reported by the store; the journal goes on in its segment
                }
                at = durability.changes();
            } finally {
                lock.unlock();
            }
            if (!snapshots.checkpoint(now, segment, entries)) {
                return false;
            }
            lock.lock();
            try {
                checkpointedChanges = at;
            } finally {
                lock.unlock();
            }
            return true;
        }
    }
}
