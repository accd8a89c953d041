package nexus.alarm.internal;

import static nexus.alarm.internal.AlarmRecord.NONE;
import static nexus.alarm.internal.AlarmRecord.UNKNOWN;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmFlags;
import nexus.alarm.AlarmState;
import nexus.alarm.AlarmSummary;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.AlarmDefinition;
import nexus.registry.AllocationIndex;
import nexus.registry.Registry;
import nexus.registry.Tag;
import nexus.core.Severity;
import nexus.rma.BlockPlan;
import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;
import nexus.rma.ValueCodec;

/**
 * The alarm manager's core, plain Java: keeps one {@link AlarmRecord} per alarm definition of the
 * registry served now, scans them against RMA (one merged, consistent read of every watched tag per
 * scan), drives {@link AlarmStateMachine}, writes changed flag bytes back to RMA (contiguous ones as
 * one write) and carries out operator actions. Thread-safe: one lock serialises scans and actions,
 * so events leave in the order things happened.
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

    private static final Logger LOG = LoggerFactory.getLogger(AlarmEngine.class);
    private static final int MAX_USER = 128;
    private static final int MAX_COMMENT = 1024;
    private static final int MAX_CHATTERING_NAMES = 100;
    /** Events held while the journal cannot be written; beyond this the oldest are dropped and counted. */
    static final int MAX_HELD = 100_000;

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

    /** An operator action. */
    enum Action {
        ACKNOWLEDGE, SHELVE, SHELVE_ONE_SHOT, UNSHELVE, RESET, SUPPRESS, UNSUPPRESS, REMOVE_FROM_SERVICE,
        RETURN_TO_SERVICE, DISABLE, ENABLE
    }

    /** What {@code /health} says about the engine. */
    record Status(boolean ready, String reason, String flagProblem, String journalProblem, Instant lastScan) {
    }

    /** The alarms of one registry version and how to read them. */
    private static final class Table {
        /** The registry these alarms come from: another object is another registry, whatever its version says. */
        final Registry registry;
        final long version;
        final AlarmRecord[] records;
        final Map<String, Integer> byName;
        /** Record indexes in name order, for listing. */
        final int[] nameOrder;
        /** The reads of the scan's one plan: every watched tag (once) and every flag byte. */
        final BlockRead[] reads;
        /** Record indexes in flag order (bank, offset), and each record's rank in it. */
        final int[] flagOrder;
        final int[] flagRank;
        /** Records whose flags have not been taken from RMA yet. */
        final boolean[] unadopted;
        int unadoptedCount;

        Table(Registry registry, AlarmRecord[] records, BlockPlan plan) {
            this.registry = registry;
            this.version = registry.version();
            this.records = records;
            this.byName = new HashMap<>(records.length * 2);
            for (int i = 0; i < records.length; i++) {
                byName.put(records[i].name(), i);
            }
            Integer[] byNameOrder = new Integer[records.length];
            Integer[] byFlagOrder = new Integer[records.length];
            for (int i = 0; i < records.length; i++) {
                byNameOrder[i] = i;
                byFlagOrder[i] = i;
            }
            Arrays.sort(byNameOrder, (x, y) -> records[x].name().compareTo(records[y].name()));
            Arrays.sort(byFlagOrder, (x, y) -> {
                int bank = Integer.compare(records[x].definition.flags().bank(), records[y].definition.flags().bank());
                return bank != 0 ? bank
                        : Integer.compare(records[x].definition.flags().byteOffset(), records[y].definition.flags().byteOffset());
            });
            this.nameOrder = Arrays.stream(byNameOrder).mapToInt(Integer::intValue).toArray();
            this.flagOrder = Arrays.stream(byFlagOrder).mapToInt(Integer::intValue).toArray();
            this.flagRank = new int[records.length];
            for (int rank = 0; rank < flagOrder.length; rank++) {
                flagRank[flagOrder[rank]] = rank;
            }
            this.reads = plan.newReads();
            this.unadopted = new boolean[records.length];
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final InstantSource clock;
    private final Supplier<Registry> registries;
    private final Supplier<RmaBackend> backends;
    private final Consumer<AlarmEvent> publisher;
    private final SnapshotStore snapshots;
    private final AlarmStateMachine machine;
    private final ActivationWindow window = new ActivationWindow(600);
    private final ActionQueue actions = new ActionQueue();
    private final Object checkpointing = new Object();
    /**
     * Events of changes not committed yet: they leave after the commit. While the journal cannot be
     * written they wait here (at most {@link #MAX_HELD}), so no sequence number is published that a
     * crash could hand out again.
     */
    private final ArrayDeque<AlarmEvent> outbox = new ArrayDeque<>();
    /** States of alarms no longer in the table (removed by a new registry version) still to commit. */
    private final List<Snapshot.Entry> pendingEntries = new ArrayList<>();
    /** Some alarm's state is not committed (a failed commit): the next commit takes every such state. */
    private boolean uncommitted;
    /** Alarms whose state the journal cannot take (a name too long), reported once each. */
    private final Set<String> unjournaled = new java.util.HashSet<>();
    private long heldDropped;

    private final LongSupplier monotonic;
    private volatile Settings settings;
    private boolean replan;
    private Table table;
    private RmaBackend lastBackend;
    private final Recovery recovery;
    private String journalProblem;
    /** Counts changes to what a snapshot would hold (commits, registry versions, take-overs). */
    private long changes;
    private long checkpointedChanges = -1;
    /** Records (indexes) the last scan changed, to commit. */
    private int[] changed = new int[0];
    private int changedCount;
    private long scanNow;
    private long scanMono;
    private long foreignLoggedAt = Long.MIN_VALUE;
    private long foreignUnlogged;
    private long events;
    private long scans;
    private long overruns;
    private long lastScanNanos;
    private long maxScanNanos;
    private long lastScanMillis = NONE;
    private String flagProblem;
    private String notReady = "no registry is served yet";
    private byte[] runBuffer = new byte[0];
    private int[] dirty = new int[0];

    /**
     * @param registries the registry served now, or null
     * @param backends   the RMA backend to use now, or null
     * @param publisher  takes every event, under the engine's lock: it must not block
     * @param snapshots  the snapshot file, or null when none is configured
     */
    AlarmEngine(Settings settings, InstantSource clock, Supplier<Registry> registries, Supplier<RmaBackend> backends,
            Consumer<AlarmEvent> publisher, SnapshotStore snapshots) {
        this(settings, clock, () -> System.nanoTime() / 1_000_000, registries, backends, publisher, snapshots);
    }

    /**
     * @param monotonic milliseconds on a clock that never steps (delays and shelve ends run on it);
     *                  tests drive it together with {@code clock}
     */
    AlarmEngine(Settings settings, InstantSource clock, LongSupplier monotonic, Supplier<Registry> registries,
            Supplier<RmaBackend> backends, Consumer<AlarmEvent> publisher, SnapshotStore snapshots) {
        this.settings = settings;
        this.monotonic = monotonic;
        this.clock = clock;
        this.registries = registries;
        this.backends = backends;
        this.publisher = publisher;
        this.snapshots = snapshots;
        this.recovery = new Recovery(snapshots);
        this.machine = new AlarmStateMachine(this::emit, settings.chatterCount());
    }

    /** New settings: the chattering rule applies from each alarm's next activation, a new merge rule at the next scan. */
    void settings(Settings settings) {
        lock.lock();
        try {
            Settings before = this.settings;
            this.settings = settings;
            machine.chatterCount(settings.chatterCount());
            replan |= before.maxGap() != settings.maxGap() || before.maxBlock() != settings.maxBlock();
        } finally {
            lock.unlock();
        }
    }

    Settings settings() {
        return settings;
    }

    // ---- the scan ----

    /** One scan: follows the registry and the backend, evaluates every alarm, writes changed flags. */
    void scan() {
        lock.lock();
        try {
            long started = System.nanoTime();
            scanNow = clock.millis();
            scanMono = monotonic.getAsLong();
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
                rebuild(registry, backend);
                replan = false;
            }
            if (backend != lastBackend) {
                if (lastBackend != null) {
                    backendChanged(backend);
                }
                lastBackend = backend;
            }
            backend.read(table.reads, table.reads.length);
            if (table.unadoptedCount > 0) {
                adopt(backend);
            }
            notReady = null;
            int dirtyCount = scanRecords();
            boolean committed = commitScan();
            writeFlags(backend, dirtyCount); // also when not committed: an alarm annunciates whatever the disk does
            if (committed) {
                publish();
            }
            long took = System.nanoTime() - started;
            scans++;
            lastScanNanos = took;
            maxScanNanos = Math.max(maxScanNanos, took);
            lastScanMillis = scanNow;
            if (took > settings.scanIntervalMillis() * 1_000_000) {
                overruns++;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * One pass over the alarms: a flag byte someone else changed is marked for writing back, every
     * enabled alarm in service is evaluated, and every alarm whose flags differ from RMA's is
     * collected (as its rank in flag order) in {@link #dirty}.
     *
     * @return how many alarms' flags must be written
     */
    private int scanRecords() {
        Table t = table;
        long now = scanNow;
        int activations = 0;
        int foreign = 0;
        String firstForeign = null;
        int count = 0;
        changedCount = 0;
        AlarmRecord[] records = t.records;
        for (int i = 0; i < records.length; i++) {
            AlarmRecord r = records[i];
            if (t.unadopted[i]) {
                continue; // its state is not known: neither evaluated nor written
            }
            if (r.flagsWritten >= 0) {
                BlockRead flags = t.reads[r.flagBlock];
                if (flags.ok() && (flags.data()[r.flagOffset] & 0xFF) != r.flagsWritten) {
                    r.flagsWritten = -1;
                    foreign++;
                    firstForeign = firstForeign == null ? r.name() : firstForeign;
                }
            }
            if (r.evaluated()) {
                if (r.has(AlarmFlags.SHELVED)) {
                    machine.expireShelve(r, now, scanMono);
                }
                BlockRead block = t.reads[r.valueBlock];
                int condition;
                if (block.ok()) {
                    double value = decode(block, r.valueOffset, r.tagType, r.tagBit);
                    r.value = value;
                    condition = Condition.evaluate(r.condition, r.limit, r.clearLimit, value);
                } else {
                    r.value = Double.NaN;
                    condition = Condition.UNKNOWN;
                }
                if (machine.evaluate(r, condition, now, scanMono)) {
                    activations++;
                }
            }
            if (r.sequence != r.journaled) {
                if (changedCount == changed.length) {
                    changed = Arrays.copyOf(changed, Math.max(16, changedCount * 2));
                }
                changed[changedCount++] = i;
            }
            if (r.flags != r.flagsWritten) {
                if (count == dirty.length) {
                    dirty = Arrays.copyOf(dirty, Math.max(16, count * 2));
                }
                dirty[count++] = t.flagRank[i];
            }
        }
        if (activations > 0) {
            window.record(now, activations);
        }
        foreignUnlogged += foreign;
        if (foreignUnlogged > 0 && scanMono - foreignLoggedAt >= 60_000) {
            LOG.warn("{} alarm flag bytes were changed by another writer since the last report (last: {}); written back."
                    + " Only the alarm manager writes alarm flags: use the alarm actions (nexus:ack, POST /api/v1/alarms/…).",
                    foreignUnlogged, firstForeign == null ? "see earlier" : firstForeign);
            foreignLoggedAt = scanMono;
            foreignUnlogged = 0;
        }
        return count;
    }

    /**
     * Commits the states the scan changed (and any left uncommitted by an earlier failure). When the
     * journal cannot be written they stay as they are (an alarm must annunciate whatever the disk
     * does), their events wait, the problem is reported, and they are committed again at the next
     * scan or action.
     *
     * @return whether everything is committed, so that the waiting events may leave
     */
    private boolean commitScan() {
        if (changedCount == 0 && pendingEntries.isEmpty()) {
            return true;
        }
        AlarmRecord[] records = table.records;
        if (snapshots != null) {
            List<Snapshot.Entry> states = new ArrayList<>(changedCount + pendingEntries.size());
            states.addAll(pendingEntries);
            for (int k = 0; k < changedCount; k++) {
                states.add(Recovery.entry(records[changed[k]]));
            }
            if (!commit(states, changedCount + " alarms' transitions are shown but not durable and their events wait")) {
                return false;
            }
        }
        for (int k = 0; k < changedCount; k++) {
            records[changed[k]].journaled = records[changed[k]].sequence;
        }
        pendingEntries.clear();
        uncommitted = false;
        changes++;
        return true;
    }

    /**
     * One group commit of states that are already in effect (a scan's transitions, alarms moved by a
     * registry version). Entries whose strings cannot be encoded are left out by the journal.
     *
     * @param failed what a failure means, for the report
     * @return whether it is durable; false marks the engine as holding uncommitted states
     */
    private boolean commit(List<Snapshot.Entry> states, String failed) {
        try {
            leftOut(snapshots.commit(states));
        } catch (IOException e) {
            uncommitted = true;
            journalFailed("the alarm journal cannot be written (" + e.getMessage() + "): " + failed
                    + "; operator actions are refused until it can be written");
            return false;
        }
        journalWorks();
        return true;
    }

    /** Reports, once per alarm, states the journal cannot take; the alarm runs on, its state not durable. */
    private void leftOut(List<String> names) {
        for (String name : names) {
            if (unjournaled.add(name)) {
                LOG.error("The state of alarm '{}' ({} characters) cannot be journaled: the journal takes names up to {}"
                        + " bytes of UTF-8. It annunciates, but a restart does not know its timestamps; shorten the name"
                        + " in the registry.", shortName(name), name.length(), Journal.MAX_NAME_BYTES);
            }
        }
    }

    private static String shortName(String name) {
        return name.length() <= 200 ? name : name.substring(0, 200) + "…";
    }

    private void journalFailed(String problem) {
        if (!problem.equals(journalProblem)) {
            LOG.error("{}. Free space, make the data folder writable, or raise the open-files limit, as the cause says.",
                    problem);
        }
        journalProblem = problem;
    }

    private void journalWorks() {
        if (journalProblem != null) {
            LOG.info("The alarm journal is written again{}", heldDropped == 0 ? ""
                    : "; " + heldDropped + " alarm events of the outage were dropped (more than " + MAX_HELD + " waited)");
            journalProblem = null;
            heldDropped = 0;
        }
    }

    /** Hands the committed changes' events to the publisher, in order. */
    private void publish() {
        AlarmEvent event;
        while ((event = outbox.poll()) != null) {
            events++;
            publisher.accept(event);
        }
    }

    private static double decode(BlockRead block, int offset, RmaType type, int bit) {
        return switch (type) {
            case BOOL -> ValueCodec.getBool(block.buffer(), offset, bit) ? 1 : 0;
            case FLOAT32, FLOAT64 -> ValueCodec.getDouble(block.buffer(), offset, type);
            case STRING -> Double.NaN;
            default -> ValueCodec.getLong(block.buffer(), offset, type);
        };
    }

    /**
     * A new backend gets every flag this engine knows; an alarm that started fresh and never
     * changed is taken over again from the new backend instead (it may hold the alarm's real state,
     * e.g. the shared-memory file replacing the default heap at start).
     */
    private void backendChanged(RmaBackend backend) {
        int again = 0;
        for (int i = 0; i < table.records.length; i++) {
            AlarmRecord r = table.records[i];
            if (r.pristine && !table.unadopted[i]) {
                table.unadopted[i] = true;
                table.unadoptedCount++;
                again++;
            } else {
                r.flagsWritten = -1;
            }
        }
        LOG.info("RMA backend changed to '{}': writing every alarm's flags to it ({} untouched alarms taken over from it"
                + " instead)", backend.name(), again);
    }

    // ---- registry versions ----

    private void rebuild(Registry registry, RmaBackend backend) {
        long started = System.nanoTime();
        List<AlarmDefinition> definitions = registry.alarms();
        Map<Long, String> paths = tagPaths(registry);
        AllocationIndex index = registry.index();
        AlarmRecord[] records = new AlarmRecord[definitions.size()];
        int[] tagPositions = new int[definitions.size()];
        Map<Integer, Integer> rangeOfPosition = new HashMap<>();
        List<Integer> ranges = new ArrayList<>();
        for (int i = 0; i < records.length; i++) {
            AlarmDefinition definition = definitions.get(i);
            int position = index.position(definition.tagId());
            tagPositions[i] = position;
            records[i] = new AlarmRecord(definition, paths.get(definition.tagId()), index.type(position),
                    index.bitOffset(position));
            rangeOfPosition.computeIfAbsent(position, p -> {
                ranges.add(p);
                return ranges.size() - 1;
            });
        }
        // Ranges 0..v-1: the watched tags, each once; v..v+n-1: the flag bytes, in record order.
        int v = ranges.size();
        BlockPlan plan = BlockPlan.merge(new BlockPlan.Ranges() {
            @Override
            public int count() {
                return v + records.length;
            }

            @Override
            public int bank(int i) {
                return i < v ? index.bank(ranges.get(i)) : records[i - v].definition.flags().bank();
            }

            @Override
            public int start(int i) {
                return i < v ? index.byteOffset(ranges.get(i)) : records[i - v].definition.flags().byteOffset();
            }

            @Override
            public int end(int i) {
                return i < v ? index.end(ranges.get(i)) : records[i - v].definition.flags().end();
            }
        }, settings.maxGap(), settings.maxBlock());
        for (int i = 0; i < records.length; i++) {
            int range = rangeOfPosition.get(tagPositions[i]);
            records[i].valueBlock = plan.blockOf(range);
            records[i].valueOffset = plan.offsetInBlock(range);
            records[i].flagBlock = plan.blockOf(v + i);
            records[i].flagOffset = plan.offsetInBlock(v + i);
        }
        Table next = new Table(registry, records, plan);
        int kept = 0;
        int added = 0;
        TreeSet<Long> stale = new TreeSet<>();
        List<AlarmRecord> moves = new ArrayList<>();
        List<Snapshot.Entry> toCommit = new ArrayList<>();
        for (int i = 0; i < records.length; i++) {
            Integer oldIndex = table == null ? null : table.byName.get(records[i].name());
            AlarmRecord old = oldIndex == null ? null : table.records[oldIndex];
            if (old != null && !table.unadopted[oldIndex]) {
                records[i].takeStateOf(old);
                boolean moved = !old.definition.flags().equals(records[i].definition.flags());
                records[i].flagsWritten = moved ? -1 : old.flagsWritten;
                if (moved) {
                    stale.add(place(old.definition.flags()));
                    moves.add(records[i]);
                    toCommit.add(Recovery.entry(records[i]));
                }
                kept++;
            } else if (table != null && table.unadoptedCount == 0) {
                // Defined while running: it starts NORMAL. Its byte may still hold an alarm that was
                // there before the list changed; that state is not this alarm's.
                records[i].flags = AlarmFlags.INITIAL;
                records[i].flagsWritten = -1;
                records[i].pristine = true;
                recovery.definedAgain(records[i]);
                added++;
            } else {
                next.unadopted[i] = true;
                next.unadoptedCount++;
            }
        }
        if (table != null) {
            Set<String> removed = new TreeSet<>(table.byName.keySet());
            removed.removeAll(next.byName.keySet());
            for (String name : removed) {
                int position = table.byName.get(name);
                if (!table.unadopted[position]) {
                    AlarmRecord gone = table.records[position];
                    stale.add(place(gone.definition.flags()));
                    recovery.retain(gone);
                    if (gone.sequence != gone.journaled) {
                        toCommit.add(Recovery.entry(gone)); // its events wait in the outbox for a commit
                    }
                }
            }
            if (!removed.isEmpty()) {
                LOG.info("Registry version {} no longer defines {} alarms; their state is dropped: {}", registry.version(),
                        removed.size(), removed.size() <= 20 ? removed : removed.size() + " names");
            }
            commitMoves(moves, toCommit);
            clearStale(stale, next, registry.index(), backend);
            changes++; // the snapshot's entries change with the list even when no alarm does
        }
        table = next;
        LOG.info("Alarms of registry version {}: {} ({} carried over, {} new), scanned with {} block reads of {} bytes in"
                + " all (values and flags), planned in {} ms",
                registry.version(), records.length, kept, added, plan.blocks(), plan.bytes(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Journals the alarms a registry version moved to another flag byte, with their new place, before
     * their flags are written there or their old byte cleared: a restart then knows the byte at the new
     * place as theirs. When the journal cannot be written they are committed again with the next scan
     * (their flags are written meanwhile: an alarm annunciates whatever the disk does).
     */
    private void commitMoves(List<AlarmRecord> moves, List<Snapshot.Entry> states) {
        if (snapshots == null || states.isEmpty()) {
            return;
        }
        if (!commit(states, moves.size() + " alarms moved to other flag bytes are not durable at their new place")) {
            for (AlarmRecord r : moves) {
                r.journaled = Long.MIN_VALUE; // never a sequence: the next scan commits it
            }
            int carried = states.size() - moves.size();
            pendingEntries.addAll(states.subList(moves.size(), moves.size() + carried));
            return;
        }
        for (AlarmRecord r : moves) {
            r.journaled = r.sequence;
        }
    }

    private static long place(nexus.rma.Allocation flags) {
        return Snapshot.Entry.place(flags.bank(), flags.byteOffset());
    }

    /**
     * Clears the flag bytes alarms left behind (removed, or moved to another byte): a byte with bit 7
     * set would otherwise be taken for an alarm's state at the next start. A byte that the new
     * registry gives to another alarm or to a tag is left alone.
     */
    private static void clearStale(TreeSet<Long> stale, Table next, AllocationIndex index, RmaBackend backend) {
        for (AlarmRecord r : next.records) {
            stale.remove(place(r.definition.flags()));
        }
        for (int p = 0; p < index.size() && !stale.isEmpty(); p++) {
            stale.subSet(Snapshot.Entry.place(index.bank(p), index.byteOffset(p)),
                    Snapshot.Entry.place(index.bank(p), index.end(p))).clear();
        }
        if (stale.isEmpty()) {
            return;
        }
        int cleared = 0;
        for (long place : stale) {
            try {
                backend.write((int) (place >>> 32), (int) place, new byte[1], 0, 1);
                cleared++;
            } catch (RuntimeException e) {
                LOG.warn("Cannot clear a flag byte an alarm left behind (bank {} byte {}): {}", place >>> 32, (int) place,
                        e.getMessage());
            }
        }
        LOG.info("Cleared {} alarm flag bytes that removed or moved alarms left behind", cleared);
    }

    private static Map<Long, String> tagPaths(Registry registry) {
        long[] ids = registry.alarms().stream().mapToLong(AlarmDefinition::tagId).distinct().toArray();
        List<Tag> tags = registry.tags(ids);
        Map<Long, String> paths = new HashMap<>();
        for (Tag tag : tags) {
            if (tag != null) {
                paths.put(tag.id(), tag.path());
            }
        }
        return paths;
    }

    // ---- taking state over from RMA (and the snapshot) ----

    /**
     * Takes over the alarms not taken over yet from their flag bytes in RMA and what the snapshot and
     * journal say ({@link Recovery}). An alarm whose byte cannot be read stays as it is — not
     * evaluated, not written, not listed — and is tried again at the next scan.
     */
    private void adopt(RmaBackend backend) {
        Table t = table;
        recovery.load();
        int fresh = 0;
        int kept = 0;
        int restored = 0;
        int unknown = 0;
        int unreadable = 0;
        long now = clock.millis();
        for (int i = 0; i < t.records.length; i++) {
            if (!t.unadopted[i]) {
                continue;
            }
            AlarmRecord r = t.records[i];
            BlockRead block = t.reads[r.flagBlock];
            boolean missing = block.status() == ReadStatus.UNKNOWN_BANK || block.status() == ReadStatus.OUT_OF_RANGE;
            if (!block.ok() && !missing) {
                unreadable++; // busy or closing: what RMA holds is not known yet, so nothing is assumed
                continue;
            }
            t.unadopted[i] = false;
            t.unadoptedCount--;
            // A bank the backend does not have holds no state to keep: the alarm runs from memory,
            // and its flags are retried (and reported) until the backend gets the bank.
            int stored = missing ? 0 : block.buffer().get(r.flagOffset) & 0xFF;
            switch (recovery.takeOver(r, stored, place(r.definition.flags()), now, scanMono)) {
                case FRESH -> fresh++;
                case RESTORED -> {
                    kept++;
                    restored++;
                }
                case UNKNOWN -> {
                    kept++;
                    if (r.activatedAt == UNKNOWN || r.ackedAt == UNKNOWN || r.clearedAt == UNKNOWN
                            || r.shelvedUntil == UNKNOWN) {
                        unknown++;
                    }
                }
            }
        }
        changes++;
        LOG.info("Alarm states taken from RMA (backend '{}'): {} alarms start fresh, {} kept their flags ({} with their"
                + " timestamps from the snapshot and journal, {} with timestamps unknown){}", backend.name(), fresh, kept,
                restored, unknown, unreadable == 0 ? ""
                        : "; " + unreadable + " flag bytes cannot be read right now (busy or closing backend): those alarms"
                                + " wait, unevaluated, until they can");
    }

    // ---- flags to RMA ----

    /** Writes every alarm's flags that differ from what RMA holds (after an operator action). */
    private void writeDirtyFlags(RmaBackend backend) {
        Table t = table;
        int count = 0;
        for (int i = 0; i < t.records.length; i++) {
            if (!t.unadopted[i] && t.records[i].flags != t.records[i].flagsWritten) {
                if (count == dirty.length) {
                    dirty = Arrays.copyOf(dirty, Math.max(16, count * 2));
                }
                dirty[count++] = t.flagRank[i];
            }
        }
        writeFlags(backend, count);
    }

    /** Writes the flags of the first {@code count} alarms of {@link #dirty}, contiguous bytes as one write. */
    private void writeFlags(RmaBackend backend, int count) {
        Table t = table;
        if (count == 0) {
            if (flagProblem != null) {
                LOG.info("Alarm flags are written to RMA again");
                flagProblem = null;
            }
            return;
        }
        Arrays.sort(dirty, 0, count);
        if (runBuffer.length < count) {
            runBuffer = new byte[count];
        }
        int start = 0;
        String problem = null;
        while (start < count) {
            AlarmRecord first = t.records[t.flagOrder[dirty[start]]];
            int bank = first.definition.flags().bank();
            int offset = first.definition.flags().byteOffset();
            int end = start + 1;
            while (end < count) {
                AlarmRecord next = t.records[t.flagOrder[dirty[end]]];
                if (next.definition.flags().bank() != bank
                        || next.definition.flags().byteOffset() != offset + (end - start)) {
                    break;
                }
                end++;
            }
            for (int k = start; k < end; k++) {
                runBuffer[k - start] = (byte) t.records[t.flagOrder[dirty[k]]].flags;
            }
            try {
                backend.write(bank, offset, runBuffer, 0, end - start);
                for (int k = start; k < end; k++) {
                    AlarmRecord r = t.records[t.flagOrder[dirty[k]]];
                    r.flagsWritten = r.flags;
                }
            } catch (RuntimeException e) {
                problem = (end - start) + " alarm flag bytes at bank " + bank + " byte " + offset
                        + " cannot be written (" + e.getMessage() + "); retrying every scan";
            }
            start = end;
        }
        if (problem != null && !problem.equals(flagProblem)) {
            LOG.error("{}: RMA readers do not see these alarms' state. Check that the RMA backend has the registry's banks.",
                    problem);
        } else if (problem == null && flagProblem != null) {
            LOG.info("Alarm flags are written to RMA again");
        }
        flagProblem = problem;
    }

    // ---- operator actions ----

    /**
     * Carries out an operator action. Validates everything before it changes anything; answers once
     * the change is committed to the journal (shared with every action queued meanwhile: one fsync),
     * its flag byte written and its event handed on.
     *
     * @param duration for {@link Action#SHELVE}: how long
     * @throws NexusException BACKEND_UNAVAILABLE also when the journal cannot be written: then nothing
     *                        changed (no flag byte, no event)
     */
    Alarm act(String name, Action action, String user, String comment, Duration duration) {
        String operator = requireUser(user);
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw invalid("the comment is " + comment.length() + " characters long; the most is " + MAX_COMMENT);
        }
        return actions.submit(new ActionQueue.Request(name, action, operator, comment, duration), batch -> {
            lock.lock();
            try {
                commitRequests(batch);
            } finally {
                lock.unlock();
            }
        });
    }

    /** @return actions waiting for the next group commit */
    int queuedActions() {
        return actions.waiting();
    }

    /** Carries out the queued actions as one group commit. Under the lock. */
    private void commitRequests(List<ActionQueue.Request> batch) {
        RmaBackend backend = backends.get();
        long now = clock.millis();
        long mono = monotonic.getAsLong();
        List<ActionQueue.Request> applied = new ArrayList<>(batch.size());
        int held = outbox.size();
        for (ActionQueue.Request q : batch) {
            try {
                AlarmRecord r = find(q.name);
                if (backend == null) {
                    throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE,
                            "no RMA backend: alarm flags cannot be stored, so alarm '" + q.name + "' was not changed");
                }
                if (snapshots != null && !Journal.fits(r.name())) {
                    throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the state of alarm '" + shortName(q.name)
                            + "' cannot be journaled (its name is longer than " + Journal.MAX_NAME_BYTES
                            + " bytes of UTF-8), so it was not changed; shorten the name in the registry");
                }
                q.before = r.copy();
                q.record = r;
                try {
                    apply(r, q, now, mono);
                } catch (RuntimeException e) {
                    r.takeStateOf(q.before); // the machine refuses before it changes anything; this is for the unforeseen
                    throw e;
                }
                q.answer = view(r, now);
                q.state = Recovery.entry(r);
                applied.add(q);
            } catch (RuntimeException e) {
                q.refusal = e;
            }
        }
        if (applied.isEmpty()) {
            return;
        }
        // States a failed scan commit left behind go first: their events wait ahead of these in the outbox.
        List<AlarmRecord> pending = uncommitted ? uncommittedRecords(applied) : List.of();
        if (snapshots != null) {
            List<Snapshot.Entry> states = new ArrayList<>(pendingEntries.size() + pending.size() + applied.size());
            states.addAll(pendingEntries);
            for (AlarmRecord r : pending) {
                states.add(Recovery.entry(r));
            }
            for (ActionQueue.Request q : applied) {
                states.add(q.state);
            }
            try {
                leftOut(snapshots.commit(states));
                journalWorks();
            } catch (IOException e) {
                for (int k = applied.size() - 1; k >= 0; k--) {
                    ActionQueue.Request q = applied.get(k);
                    q.record.takeStateOf(q.before);
                    q.answer = null;
                    q.refusal = new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the alarm journal cannot be written ("
                            + plainCause(e) + "), so alarm '" + q.name + "' was not changed; see GET /health");
                }
                while (outbox.size() > held) {
                    outbox.pollLast(); // this batch's events; those of earlier uncommitted transitions wait on
                }
                journalFailed("the alarm journal cannot be written (" + e.getMessage() + "): operator actions are"
                        + " refused until it can");
                return;
            }
        }
        for (ActionQueue.Request q : applied) {
            q.record.journaled = q.record.sequence;
        }
        for (AlarmRecord r : pending) {
            r.journaled = r.sequence;
        }
        pendingEntries.clear();
        uncommitted = false;
        changes++;
        if (backend == lastBackend) {
            writeDirtyFlags(backend);
        }
        publish();
    }

    /** @return the alarms whose state is not committed, the batch's own left out */
    private List<AlarmRecord> uncommittedRecords(List<ActionQueue.Request> applied) {
        Set<AlarmRecord> own = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ActionQueue.Request q : applied) {
            own.add(q.record);
        }
        List<AlarmRecord> pending = new ArrayList<>();
        for (int i = 0; i < table.records.length; i++) {
            AlarmRecord r = table.records[i];
            if (!table.unadopted[i] && r.sequence != r.journaled && !own.contains(r)) {
                pending.add(r);
            }
        }
        return pending;
    }

    private void apply(AlarmRecord r, ActionQueue.Request q, long now, long mono) {
        String operator = q.user;
        String comment = q.comment;
        switch (q.action) {
            case ACKNOWLEDGE -> machine.acknowledge(r, operator, comment, now);
            case SHELVE -> machine.shelve(r, shelveMillis(r, q.duration), operator, comment, now, mono);
            case SHELVE_ONE_SHOT -> {
                requireShelving(r);
                machine.shelveOneShot(r, operator, comment, now, mono);
            }
            case UNSHELVE -> machine.unshelve(r, operator, comment, now);
            case RESET -> machine.reset(r, operator, comment, now);
            case SUPPRESS -> machine.suppress(r, operator, comment, now);
            case UNSUPPRESS -> machine.unsuppress(r, operator, comment, now);
            case REMOVE_FROM_SERVICE -> machine.removeFromService(r, operator, comment, now);
            case RETURN_TO_SERVICE -> machine.returnToService(r, operator, comment, now);
            case DISABLE -> machine.disable(r, operator, comment, now);
            case ENABLE -> machine.enable(r, operator, comment, now);
        }
    }

    private static long shelveMillis(AlarmRecord r, Duration duration) {
        requireShelving(r);
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw invalid("a shelve needs a positive duration (or one-shot), not " + (duration == null ? "none"
                    : duration.toMinutes() + " minutes"));
        }
        Duration max = Duration.ofSeconds(r.definition.maxShelveSeconds());
        if (duration.compareTo(max) > 0) {
            throw invalid("cannot shelve alarm '" + r.name() + "' for " + describe(duration)
                    + ": its maximum shelve time is " + describe(max));
        }
        return duration.toMillis();
    }

    private static void requireShelving(AlarmRecord r) {
        if (r.definition.maxShelveSeconds() <= 0) {
            throw invalid("alarm '" + r.name() + "' cannot be shelved: its maximum shelve time is 0"
                    + " (max_shelve_s in the registry)");
        }
    }

    static String describe(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + (seconds == 3600 ? " hour" : " hours");
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + (seconds == 60 ? " minute" : " minutes");
        }
        return seconds + (seconds == 1 ? " second" : " seconds");
    }

    private static String requireUser(String user) {
        if (user == null || user.isBlank()) {
            throw invalid("the user is missing: every alarm action names the operator who takes it");
        }
        String operator = user.strip();
        if (operator.length() > MAX_USER) {
            throw invalid("the user name is " + operator.length() + " characters long; the most is " + MAX_USER);
        }
        if (operator.chars().anyMatch(Character::isISOControl)) {
            throw invalid("the user name contains control characters");
        }
        return operator;
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** @throws NexusException BACKEND_UNAVAILABLE before the first states are known, ALARM_NOT_FOUND */
    private AlarmRecord find(String name) {
        requireReady();
        Integer index = name == null ? null : table.byName.get(name);
        if (index == null) {
            throw new NexusException(ErrorCode.ALARM_NOT_FOUND, "no alarm is named '" + name
                    + "': list them with GET /api/v1/alarms or SELECT name FROM alarms");
        }
        if (table.unadopted[index]) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the state of alarm '" + name
                    + "' is not known yet: its flag byte cannot be read from RMA (see GET /health)");
        }
        return table.records[index];
    }

    private void requireReady() {
        if (table == null || lastBackend == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "alarm states are not known yet: "
                    + (notReady == null ? "the first scan has not run" : notReady));
        }
    }

    // ---- reading state ----

    List<Alarm> list(AlarmFilter filter) {
        lock.lock();
        try {
            requireReady();
            long now = clock.millis();
            List<Alarm> alarms = new ArrayList<>();
            for (int i : table.nameOrder) {
                AlarmRecord r = table.records[i];
                if (!table.unadopted[i] && filter.matches(r.state(), r.definition.severity(), r.name(), r.tag)) {
                    alarms.add(view(r, now));
                }
            }
            return alarms;
        } finally {
            lock.unlock();
        }
    }

    Alarm get(String name) {
        lock.lock();
        try {
            return view(find(name), clock.millis());
        } finally {
            lock.unlock();
        }
    }

    private static Alarm view(AlarmRecord r, long now) {
        Set<String> unknown = new LinkedHashSet<>();
        Instant activatedAt = instant(r.activatedAt, "activatedAt", unknown);
        Instant ackedAt = instant(r.ackedAt, "ackedAt", unknown);
        Instant clearedAt = instant(r.clearedAt, "clearedAt", unknown);
        Instant shelvedUntil = instant(r.shelvedUntil, "shelvedUntil", unknown);
        return new Alarm(r.definition, r.tag, r.state(), r.flags, r.valueObject(), activatedAt, ackedAt, r.ackUser,
                r.ackComment, clearedAt, shelvedUntil, r.oneShot, r.shelveUser, r.shelveReason, r.sequence, unknown);
    }

    private static Instant instant(long millis, String name, Set<String> unknown) {
        if (millis == UNKNOWN) {
            unknown.add(name);
            return null;
        }
        return millis == NONE ? null : Instant.ofEpochMilli(millis);
    }

    AlarmSummary summary(List<AlarmSummary.SinkStats> sinks) {
        lock.lock();
        try {
            Settings s = settings;
            long now = clock.millis();
            Map<Severity, Integer> active = new EnumMap<>(Severity.class);
            Map<Severity, Integer> unacked = new EnumMap<>(Severity.class);
            Map<Severity, Integer> shelved = new EnumMap<>(Severity.class);
            int suppressed = 0;
            int outOfService = 0;
            TreeSet<String> chattering = new TreeSet<>();
            int chatteringCount = 0;
            AlarmRecord[] records = table == null ? new AlarmRecord[0] : table.records;
            for (AlarmRecord r : records) {
                AlarmState state = r.state();
                Severity severity = r.definition.severity();
                switch (state) {
                    case UNACK_ALARM, ACKED_ALARM -> active.merge(severity, 1, Integer::sum);
                    case SHELVED -> shelved.merge(severity, 1, Integer::sum);
                    case SUPPRESSED -> suppressed++;
                    case OUT_OF_SERVICE -> outOfService++;
                    default -> {
                    }
                }
                if (state.unacknowledged()) {
                    unacked.merge(severity, 1, Integer::sum);
                }
                if (chatters(r, now, s)) {
                    chatteringCount++;
                    chattering.add(r.name());
                    if (chattering.size() > MAX_CHATTERING_NAMES) {
                        chattering.pollLast();
                    }
                }
            }
            int activations = window.count(now);
            return new AlarmSummary(table == null ? 0 : table.version, records.length, active, unacked, shelved,
                    suppressed, outOfService, activations, activations > s.floodThreshold(), s.floodThreshold(),
                    new ArrayList<>(chattering), chatteringCount,
                    new AlarmSummary.ScanStats(s.scanIntervalMillis(), scans, overruns, lastScanNanos, maxScanNanos,
                            lastScanMillis == NONE ? null : Instant.ofEpochMilli(lastScanMillis), events),
                    sinks);
        } finally {
            lock.unlock();
        }
    }

    private static boolean chatters(AlarmRecord r, long now, Settings s) {
        int n = r.activations == null ? 0 : r.activations.length;
        if (n == 0 || r.activationCount < s.chatterCount() || s.chatterCount() > n) {
            return false;
        }
        // The oldest of the last chatterCount activations, within the window.
        long oldest = r.activations[(r.activationCount - s.chatterCount()) % n];
        return now - oldest <= s.chatterWindowMillis();
    }

    Status status() {
        lock.lock();
        try {
            return new Status(notReady == null && table != null && lastBackend != null, notReady, flagProblem,
                    journalProblem, lastScanMillis == NONE ? null : Instant.ofEpochMilli(lastScanMillis));
        } finally {
            lock.unlock();
        }
    }

    /** @return the events published so far */
    long events() {
        lock.lock();
        try {
            return events;
        } finally {
            lock.unlock();
        }
    }

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
            List<Snapshot.Entry> entries = recovery.snapshot(adopted);
            return entries;
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
                if (snapshots == null || changes == checkpointedChanges) {
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
                at = changes;
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

    /** Every event waits in the outbox until its change is committed. */
    private void emit(AlarmEvent event) {
        if (outbox.size() >= MAX_HELD) {
            outbox.poll(); // never published, so its sequence number is never handed out twice
            if (heldDropped++ == 0) {
                LOG.error("More than {} alarm events wait for the alarm journal: the oldest are dropped until it can be"
                        + " written", MAX_HELD);
            }
        }
        outbox.add(event);
    }


    /** @return why a journal write failed, in plain words a client may read: no file names, no library wording */
    static String plainCause(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (message.contains("no space left")) {
            return "the disk is full";
        }
        if (message.contains("too many open files")) {
            return "the node has too many open files";
        }
        if (message.contains("read-only file system")) {
            return "the file system is read-only";
        }
        if (e instanceof java.nio.file.AccessDeniedException || message.contains("permission denied")) {
            return "permission denied";
        }
        return "an input/output error";
    }
}
