package nexus.alarm.internal;

import java.util.Arrays;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.alarm.AlarmFlags;
import nexus.rma.BlockRead;

/**
 * One pass over a table's alarms after the scan's read: a flag byte someone else changed is marked
 * for writing back (reported at most once a minute), every alarm takes its tag's value and quality
 * ({@link TagReading}, {@link TagQuality}), every enabled alarm in service is evaluated through the
 * {@link AlarmStateMachine}: a change of its quality since the last one told is told (a
 * {@code QUALITY_CHANGED} event), then its condition, on a GOOD value only. The pass collects the
 * alarms whose state is to be committed and those whose flags are to be written. Not thread-safe:
 * the engine's lock guards it.
 */
final class ScanPass {

    private static final Logger LOG = LoggerFactory.getLogger(ScanPass.class);

    private final AlarmStateMachine machine;
    private final FlagWriter flags;
    private final TagQuality quality;
    /** Indexes of the records the last pass changed, the first {@link #changedCount}. */
    private int[] changed = new int[0];
    private int changedCount;
    private int activations;
    private long foreignLoggedAt = Long.MIN_VALUE;
    private long foreignUnlogged;

    /**
     * @param flags     takes the alarms whose flags differ from what RMA holds
     * @param monotonic milliseconds on a clock that never steps, for how often quality changes are logged
     */
    ScanPass(AlarmStateMachine machine, FlagWriter flags, LongSupplier monotonic) {
        this.machine = machine;
        this.flags = flags;
        this.quality = new TagQuality(monotonic);
    }

    /**
     * Evaluates every alarm taken over against the table's reads, which hold this scan's values and
     * flag bytes.
     *
     * @param now  wall-clock time, for timestamps
     * @param mono monotonic milliseconds, for delays and shelve ends
     */
    void run(AlarmTable t, long now, long mono) {
        int activated = 0;
        int foreign = 0;
        String firstForeign = null;
        changedCount = 0;
        flags.reset();
        quality.start(t.registry, t.reads);
        AlarmRecord[] records = t.records;
        BlockRead[] reads = t.reads;
        for (int i = 0; i < records.length; i++) {
            AlarmRecord r = records[i];
            if (t.unadopted[i]) {
                continue; // its state is not known: neither evaluated nor written
            }
            int written = r.flagsWritten();
            if (written >= 0) {
                BlockRead flagBlock = reads[r.flagBlock()];
                if (flagBlock.ok() && (flagBlock.data()[r.flagOffset()] & 0xFF) != written) {
                    r.flagsToWrite();
                    foreign++;
                    firstForeign = firstForeign == null ? r.name() : firstForeign;
                }
            }
            TagReading reading = r.reading();
            int condition = reading.read(r.definition(), reads, quality);
            if (r.evaluated()) {
                quality.saw(r, reading.told());
                machine.qualityChanged(r, now);
                if (r.has(AlarmFlags.SHELVED)) {
                    machine.expireShelve(r, now, mono);
                }
                if (machine.evaluate(r, condition, now, mono)) {
                    activated++;
                }
            }
            if (r.uncommitted()) {
                if (changedCount == changed.length) {
                    changed = Arrays.copyOf(changed, Math.max(16, changedCount * 2));
                }
                changed[changedCount++] = i;
            }
            if (r.flags() != r.flagsWritten()) {
                flags.mark(t.flagRank[i]);
            }
        }
        activations = activated;
        quality.finish();
        reportForeign(foreign, firstForeign, mono);
    }

    /** @return how many alarms the last pass could not evaluate, and the first few names */
    TagQuality quality() {
        return quality;
    }

    /** @return indexes of the records the last pass changed, the first {@link #changedCount()} */
    int[] changed() {
        return changed;
    }

    int changedCount() {
        return changedCount;
    }

    /** @return how many alarms the last pass activated */
    int activations() {
        return activations;
    }

    private void reportForeign(int foreign, String firstForeign, long mono) {
        foreignUnlogged += foreign;
        if (foreignUnlogged > 0 && (foreignLoggedAt == Long.MIN_VALUE || mono - foreignLoggedAt >= 60_000)) {
            LOG.warn("{} alarm flag bytes were changed by another writer since the last report (last: {}); written back."
                    + " Only the alarm manager writes alarm flags: use the alarm actions (nexus:ack, POST /api/v1/alarms/…).",
                    foreignUnlogged, firstForeign == null ? "see earlier" : firstForeign);
            foreignLoggedAt = mono;
            foreignUnlogged = 0;
        }
    }
}
