package nexus.alarm.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nexus.alarm.AlarmFlags;

/**
 * What the snapshot and the journal tell the alarm manager when it takes its alarms over, and the
 * rule that turns a flag byte found in RMA into an alarm's state. Also keeps, for the next snapshot,
 * the states of alarms not taken over (yet, or no longer defined). Plain Java, not thread-safe: the
 * engine calls it under its lock.
 */
final class Recovery {

    /** How an alarm was taken over. */
    enum Outcome {
        /** RMA held nothing valid for it (or the byte was another alarm's): it starts NORMAL. */
        FRESH,
        /** Its flags and the journal's state for them, whole. */
        RESTORED,
        /** Its flags, with the timestamps they imply unknown. */
        UNKNOWN
    }

    private final SnapshotStore store;
    private boolean loaded;
    /** Each alarm's last committed state and the one before it; kept for alarms taken over again. */
    private final Map<String, Journal.Recovered> recovered = new HashMap<>();
    private boolean complete = true;
    private boolean rebooted;
    /** States not in use: alarms not taken over yet, or no longer defined; kept in every snapshot. */
    private final Map<String, Snapshot.Entry> retained = new HashMap<>();
    /** Which alarm the snapshot or journal saw at each flag place. */
    private final Map<Long, String> places = new HashMap<>();

    /** @param store the snapshot and journal, or null when none is configured */
    Recovery(SnapshotStore store) {
        this.store = store;
    }

    /** Reads the snapshot and replays the journal, the first time only. */
    void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        if (store == null) {
            return;
        }
        Journal.Replay replay = store.load();
        recovered.putAll(replay.alarms());
        complete = replay.complete();
        rebooted = replay.rebooted();
        for (Journal.Recovered states : recovered.values()) {
            retained.put(states.last().name(), states.last());
            places.put(states.last().place(), states.last().name());
        }
    }

    boolean loaded() {
        return loaded;
    }

    /**
     * Takes an alarm over from the flag byte RMA holds for it. A byte the journal saw under another
     * alarm's name, or at a place other than this alarm's, belongs to someone else: the alarm starts
     * fresh. Sequence numbers carry on from the journal either way: they never go backwards.
     *
     * @param stored the flag byte (0 when the backend lacks the bank)
     * @param place  where the byte is ({@link Snapshot.Entry#place(int, int)})
     */
    Outcome takeOver(AlarmRecord r, int stored, long place, long now, long mono) {
        retained.remove(r.name());
        Journal.Recovered states = recovered.get(r.name());
        Snapshot.Entry entry = states == null ? null : states.last();
        boolean ours = entry != null ? entry.place() == place : places.get(place) == null;
        if (entry != null) {
            r.carryOnFrom(entry.sequence());
        }
        if ((stored & AlarmFlags.VALID) == 0 || !ours) {
            r.startFresh();
            return Outcome.FRESH;
        }
        r.takeFlags(stored);
        return restore(r, complete ? states : null, rebooted, now, mono) ? Outcome.RESTORED : Outcome.UNKNOWN;
    }

    /**
     * Takes the alarm's last committed state L when the flag byte RMA holds is L's. Any other byte —
     * also one equal to the state committed before L — keeps its flags, and every timestamp it implies
     * is unknown: a byte equal to an earlier commit's flags may be that moment's (a crash between L's
     * fsync and its flag write) or a later occurrence the journal could not record (a crash during a
     * journal outage), and the two cannot be told apart. Nothing answered is lost that way: an action
     * is answered only after its flag byte is written. A byte is never paired with the timestamps of
     * another occurrence, and nothing is invented. After a power loss (the machine restarted since the
     * journal was written) a memory-mapped RMA file may hold bytes older than the journal, whose
     * fsync'd state then wins.
     *
     * @param states   what the journal recovered, or null when nothing can be trusted
     * @param rebooted whether the machine restarted since the journal was written
     * @return whether the journal's state was taken
     */
    private static boolean restore(AlarmRecord r, Journal.Recovered states, boolean rebooted, long now, long mono) {
        Snapshot.Entry entry = states == null ? null : states.last();
        if (entry != null && (rebooted || entry.flags() == r.flags())) {
            r.restore(entry, now, mono);
            return true;
        }
        r.timestampsFromFlagsOnly();
        return false;
    }

    /** An alarm defined while running that was defined before (in this run or an earlier one): its sequence carries on. */
    void definedAgain(AlarmRecord r) {
        Snapshot.Entry before = retained.remove(r.name());
        Journal.Recovered states = recovered.remove(r.name());
        r.carryOnFrom(Math.max(before == null ? 0 : before.sequence(), states == null ? 0 : states.last().sequence()));
    }

    /** An alarm the registry no longer defines: its last state stays in the snapshot. */
    void retain(AlarmRecord r) {
        retained.put(r.name(), r.entry());
    }

    /**
     * @param records the alarms taken over
     * @return their states for the snapshot, with the states of alarms not taken over
     */
    List<Snapshot.Entry> snapshot(List<AlarmRecord> records) {
        List<Snapshot.Entry> entries = new ArrayList<>(records.size() + retained.size());
        Set<String> written = new HashSet<>();
        for (AlarmRecord r : records) {
            written.add(r.name());
            // Started fresh on a backend that held nothing (the default heap before the configured
            // mmap file): what the journal knew still stands until the alarm changes.
            Journal.Recovered states = r.pristine() ? recovered.get(r.name()) : null;
            entries.add(states != null ? states.last() : r.entry());
        }
        for (Snapshot.Entry entry : retained.values()) {
            if (written.add(entry.name())) {
                entries.add(entry);
            }
        }
        return entries;
    }
}
