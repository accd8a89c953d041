package nexus.alarm.internal;

import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.alarm.AlarmFlags;
import nexus.rma.BlockRead;
import nexus.rma.RmaType;
import nexus.rma.ValueCodec;

/**
 * One pass over a table's alarms after the scan's read: a flag byte someone else changed is marked
 * for writing back (reported at most once a minute), every enabled alarm in service is evaluated
 * through the {@link AlarmStateMachine}, and the pass collects the alarms whose state is to be
 * committed and those whose flags are to be written. Not thread-safe: the engine's lock guards it.
 */
final class ScanPass {

    private static final Logger LOG = LoggerFactory.getLogger(ScanPass.class);

    private final AlarmStateMachine machine;
    private final FlagWriter flags;
    /** Indexes of the records the last pass changed, the first {@link #changedCount}. */
    private int[] changed = new int[0];
    private int changedCount;
    private int activations;
    private long foreignLoggedAt = Long.MIN_VALUE;
    private long foreignUnlogged;

    /** @param flags takes the alarms whose flags differ from what RMA holds */
    ScanPass(AlarmStateMachine machine, FlagWriter flags) {
        this.machine = machine;
        this.flags = flags;
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
            if (r.evaluated()) {
                if (r.has(AlarmFlags.SHELVED)) {
                    machine.expireShelve(r, now, mono);
                }
                BlockRead block = reads[r.valueBlock()];
                int condition;
                if (block.ok()) {
                    double value = decode(block, r.valueOffset(), r.tagType(), r.tagBit());
                    r.value(value);
                    condition = r.condition(value);
                } else {
                    r.value(Double.NaN);
                    condition = Condition.UNKNOWN;
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
        reportForeign(foreign, firstForeign, mono);
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

    private static double decode(BlockRead block, int offset, RmaType type, int bit) {
        return switch (type) {
            case BOOL -> ValueCodec.getBool(block.buffer(), offset, bit) ? 1 : 0;
            case FLOAT32, FLOAT64 -> ValueCodec.getDouble(block.buffer(), offset, type);
            case STRING -> Double.NaN;
            default -> ValueCodec.getLong(block.buffer(), offset, type);
        };
    }
}
