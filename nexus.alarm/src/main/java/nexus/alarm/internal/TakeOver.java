package nexus.alarm.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.rma.BlockRead;
import nexus.rma.ReadStatus;
import nexus.rma.RmaBackend;

/**
 * Takes alarms over from RMA: when the engine first meets an alarm it takes the flag byte RMA holds
 * and what the snapshot and journal say about it ({@link Recovery} decides how); when the RMA
 * backend changes, the new one gets every flag the engine knows, except for alarms that started
 * fresh and never changed, which are taken over again from it. Not thread-safe: the engine's lock
 * guards it.
 */
final class TakeOver {

    private static final Logger LOG = LoggerFactory.getLogger(TakeOver.class);

    private final Recovery recovery;
    private final Durability durability;

    TakeOver(Recovery recovery, Durability durability) {
        this.recovery = recovery;
        this.durability = durability;
    }

    /**
     * Takes over the alarms not taken over yet from their flag bytes in the table's reads (this
     * scan's). An alarm whose byte cannot be read stays as it is — not evaluated, not written, not
     * listed — and is tried again at the next scan.
     *
     * @param now  wall-clock time
     * @param mono monotonic milliseconds (a restored shelve's deadline runs on them)
     */
    void adopt(AlarmTable t, RmaBackend backend, long now, long mono) {
        recovery.load();
        int fresh = 0;
        int kept = 0;
        int restored = 0;
        int unknown = 0;
        int unreadable = 0;
        for (int i = 0; i < t.records.length; i++) {
            if (!t.unadopted[i]) {
                continue;
            }
            AlarmRecord r = t.records[i];
            BlockRead block = t.reads[r.flagBlock()];
            boolean missing = block.status() == ReadStatus.UNKNOWN_BANK || block.status() == ReadStatus.OUT_OF_RANGE;
            if (!block.ok() && !missing) {
                unreadable++; // busy or closing: what RMA holds is not known yet, so nothing is assumed
                continue;
            }
            t.adopted(i);
            // A bank the backend does not have holds no state to keep: the alarm runs from memory,
            // and its flags are retried (and reported) until the backend gets the bank.
            int stored = missing ? 0 : block.buffer().get(r.flagOffset()) & 0xFF;
            switch (recovery.takeOver(r, stored, r.place(), now, mono)) {
                case FRESH -> fresh++;
                case RESTORED -> {
                    kept++;
                    restored++;
                }
                case UNKNOWN -> {
                    kept++;
                    if (r.timestampsUnknown()) {
                        unknown++;
                    }
                }
            }
        }
        durability.changed();
        LOG.info("Alarm states taken from RMA (backend '{}'): {} alarms start fresh, {} kept their flags ({} with their"
                + " timestamps from the snapshot and journal, {} with timestamps unknown){}", backend.name(), fresh, kept,
                restored, unknown, unreadable == 0 ? ""
                        : "; " + unreadable + " flag bytes cannot be read right now (busy or closing backend): those alarms"
                                + " wait, unevaluated, until they can");
    }

    /**
     * A new backend gets every flag this engine knows; an alarm that started fresh and never
     * changed is taken over again from the new backend instead (it may hold the alarm's real state,
     * e.g. the shared-memory file replacing the default heap at start).
     */
    void backendChanged(AlarmTable t, RmaBackend backend) {
        int again = 0;
        for (int i = 0; i < t.records.length; i++) {
            AlarmRecord r = t.records[i];
            if (r.pristine() && !t.unadopted[i]) {
                t.unadopt(i);
                again++;
            } else {
                r.flagsToWrite();
            }
        }
        LOG.info("RMA backend changed to '{}': writing every alarm's flags to it ({} untouched alarms taken over from it"
                + " instead)", backend.name(), again);
    }
}
