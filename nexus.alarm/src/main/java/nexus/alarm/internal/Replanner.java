package nexus.alarm.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.alarm.AlarmSpec;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.registry.AlarmDefinition;
import nexus.registry.AllocationIndex;
import nexus.registry.Registry;
import nexus.registry.Tag;
import nexus.rma.BlockPlan;
import nexus.rma.RmaType;
import nexus.rma.RmaBackend;

/**
 * Follows the registry: turns the alarm definitions of the version served now into an
 * {@link AlarmTable} — each definition's {@link AlarmSpec} built once, one merged read plan of every
 * watched tag and flag byte — and carries the running state over from the previous table. Alarms that
 * remain keep their state; alarms defined while running start NORMAL (their sequence numbers carry
 * on if they were defined before); alarms moved to another flag byte are journaled at their new
 * place before anything is written there; bytes that removed or moved alarms leave behind are
 * cleared unless the new version uses them. Not thread-safe: the engine's lock guards it.
 */
final class Replanner {

    private static final Logger LOG = LoggerFactory.getLogger(Replanner.class);

    private final Recovery recovery;
    private final Durability durability;

    Replanner(Recovery recovery, Durability durability) {
        this.recovery = recovery;
        this.durability = durability;
    }

    /** @return the definition as the alarm contract shows it */
    static AlarmSpec spec(AlarmDefinition d) {
        return new AlarmSpec(d.name(), d.condition(), d.limit(), d.deadband(), d.severity(), d.requiresAck(),
                d.latching(), d.onDelayMillis(), d.offDelayMillis(), d.maxShelveSeconds(), d.message());
    }

    /**
     * @param old      the table of the registry followed so far, or null at the start
     * @param backend  where flag bytes left behind are cleared
     * @param maxGap   the read merge rule's largest gap
     * @param maxBlock the read merge rule's longest block
     * @return the table of {@code registry}, state carried over from {@code old}
     */
    AlarmTable follow(AlarmTable old, Registry registry, RmaBackend backend, int maxGap, int maxBlock) {
        long started = System.nanoTime();
        AlarmTable next = plan(registry, maxGap, maxBlock);
        AlarmRecord[] records = next.records;
        int kept = 0;
        int added = 0;
        TreeSet<Long> stale = new TreeSet<>();
        List<AlarmRecord> moves = new ArrayList<>();
        List<Snapshot.Entry> toCommit = new ArrayList<>();
        for (int i = 0; i < records.length; i++) {
            Integer oldIndex = old == null ? null : old.indexOf(records[i].name());
            AlarmRecord before = oldIndex == null ? null : old.records[oldIndex];
            if (before != null && !old.unadopted[oldIndex]) {
                records[i].takeStateOf(before);
                boolean moved = !before.flagAllocation().equals(records[i].flagAllocation());
                records[i].flagsWritten(moved ? AlarmRecord.UNWRITTEN : before.flagsWritten());
                if (moved) {
                    stale.add(before.place());
                    moves.add(records[i]);
                    toCommit.add(records[i].entry());
                }
                kept++;
            } else if (old != null && old.unadoptedCount() == 0) {
                // Defined while running: it starts NORMAL. Its byte may still hold an alarm that was
                // there before the list changed; that state is not this alarm's.
                records[i].startFresh();
                recovery.definedAgain(records[i]);
                added++;
            } else {
                next.unadopt(i);
            }
        }
        if (old != null) {
            Set<String> removed = new TreeSet<>(old.names());
            removed.removeAll(next.names());
            for (String name : removed) {
                int position = old.indexOf(name);
                if (!old.unadopted[position]) {
                    AlarmRecord gone = old.records[position];
                    stale.add(gone.place());
                    recovery.retain(gone);
                    if (gone.uncommitted()) {
                        toCommit.add(gone.entry()); // its events wait in the outbox for a commit
                    }
                }
            }
            if (!removed.isEmpty()) {
                LOG.info("Registry version {} no longer defines {} alarms; their state is dropped: {}", registry.version(),
                        removed.size(), removed.size() <= 20 ? removed : removed.size() + " names");
            }
            durability.commitMoves(moves, toCommit);
            clearStale(stale, next, registry.index(), backend);
            durability.changed(); // the snapshot's entries change with the list even when no alarm does
        }
        LOG.info("Alarms of registry version {}: {} ({} carried over, {} new), scanned with {} block reads of {} bytes in"
                + " all (values and flags), planned in {} ms", registry.version(), records.length, kept, added,
                next.plan.blocks(), next.plan.bytes(), (System.nanoTime() - started) / 1_000_000);
        return next;
    }

    /** The records of a registry version, each with its place in one merged read plan. */
    private static AlarmTable plan(Registry registry, int maxGap, int maxBlock) {
        List<AlarmDefinition> definitions = registry.alarms();
        Map<Long, String> paths = tagPaths(registry);
        AllocationIndex index = registry.index();
        int n = definitions.size();
        int[] tagPositions = new int[n];
        Map<Integer, Integer> rangeOfPosition = new HashMap<>();
        List<Integer> ranges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AlarmDefinition d = definitions.get(i);
            int position = d.tagId() == AlarmDefinition.NO_TAG ? -1 : index.position(d.tagId());
            tagPositions[i] = position;
            if (d.resolved()) { // an alarm the version cannot resolve reads no value, only its flag byte
                rangeOfPosition.computeIfAbsent(position, p -> {
                    ranges.add(p);
                    return ranges.size() - 1;
                });
            }
        }
        // Ranges 0..v-1: the watched tags, each once; v..v+n-1: the flag bytes, in definition order.
        int v = ranges.size();
        BlockPlan plan = BlockPlan.merge(new BlockPlan.Ranges() {
            @Override
            public int count() {
                return v + n;
            }

            @Override
            public int bank(int i) {
                return i < v ? index.bank(ranges.get(i)) : definitions.get(i - v).flags().bank();
            }

            @Override
            public int start(int i) {
                return i < v ? index.byteOffset(ranges.get(i)) : definitions.get(i - v).flags().byteOffset();
            }

            @Override
            public int end(int i) {
                return i < v ? index.end(ranges.get(i)) : definitions.get(i - v).flags().end();
            }
        }, maxGap, maxBlock);
        AlarmRecord[] records = new AlarmRecord[n];
        AlarmSpec[] specs = new AlarmSpec[n];
        for (int i = 0; i < n; i++) {
            AlarmDefinition d = definitions.get(i);
            int position = tagPositions[i];
            String path = d.tagPath() != null ? d.tagPath() : paths.get(d.tagId());
            RmaType type = position < 0 ? null : index.type(position);
            int bit = position < 0 ? 0 : index.bitOffset(position);
            if (d.resolved()) {
                int range = rangeOfPosition.get(position);
                records[i] = new AlarmRecord(d, path, type, bit, plan.blockOf(range), plan.offsetInBlock(range),
                        plan.blockOf(v + i), plan.offsetInBlock(v + i));
            } else {
                records[i] = new AlarmRecord(d, path, type, bit, AlarmRecord.NO_VALUE, 0, plan.blockOf(v + i),
                        plan.offsetInBlock(v + i));
            }
            specs[i] = spec(d);
        }
        return new AlarmTable(registry, records, specs, plan);
    }

    /**
     * @return the watched tags' paths by tag id, for definitions that do not name their tag's path
     *         (the loader names it for every alarm since registry 2.3; a registry of 2.2 did not)
     */
    static Map<Long, String> tagPaths(Registry registry) {
        long[] ids = registry.alarms().stream().filter(d -> d.tagPath() == null).mapToLong(AlarmDefinition::tagId)
                .filter(id -> id != AlarmDefinition.NO_TAG).distinct().toArray();
        if (ids.length == 0) {
            return Map.of();
        }
        Map<Long, String> paths = new HashMap<>();
        for (Tag tag : registry.tags(ids)) {
            if (tag != null) {
                paths.put(tag.id(), tag.path());
            }
        }
        return paths;
    }

    /**
     * Clears the flag bytes alarms left behind (removed, or moved to another byte): a byte with bit 7
     * set would otherwise be taken for an alarm's state at the next start. A byte that the new
     * registry gives to another alarm or to a tag is left alone.
     */
    private static void clearStale(TreeSet<Long> stale, AlarmTable next, AllocationIndex index, RmaBackend backend) {
        for (AlarmRecord r : next.records) {
            stale.remove(r.place());
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
}
