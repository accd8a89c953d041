package nexus.alarm.internal;

import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.alarm.AlarmFlags;
import nexus.query.Quality;
import nexus.rma.BlockRead;
import nexus.rma.RmaType;
import nexus.rma.ValueCodec;

/**
 * One pass over a table's alarms after the scan's read: a flag byte someone else changed is marked
 * for writing back (reported at most once a minute), every alarm takes its tag's value and quality
 * ({@link TagQuality}), every enabled alarm in service is evaluated through the
 * {@link AlarmStateMachine} (on a GOOD value only), and the pass collects the alarms whose state is
 * to be committed and those whose flags are to be written. Not thread-safe: the engine's lock guards it.
 */
final class ScanPass {

    private static final Logger LOG = LoggerFactory.getLogger(ScanPass.class);

    private final AlarmStateMachine machine;
    private final FlagWriter flags;
    private final TagQuality quality = new TagQuality();
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
            Quality before = r.quality();
            int condition = read(t, r);
            quality.saw(r, before);
            if (r.evaluated()) {
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

    /**
     * Takes the alarm's value and its quality from this scan's reads. Only a GOOD value is evaluated:
     * an alarm the registry version did not resolve reads nothing, a STALE value is shown but says
     * nothing about the condition, an unreadable one is unknown; the state machine keeps the state
     * of an alarm whose condition is unknown.
     *
     * @return what the value says about the condition ({@link Condition})
     */
    private int read(AlarmTable t, AlarmRecord r) {
        if (!r.hasValue()) {
            r.value(Double.NaN);
            r.quality(TagQuality.unresolved(r.definition()), TagQuality.unresolvedDetail(r.definition(), r.tag(),
                    t.version));
            return Condition.UNKNOWN;
        }
        BlockRead block = t.reads[r.valueBlock()];
        double value = block.hasData() ? decode(block, r.valueOffset(), r.tagType(), r.tagBit()) : Double.NaN;
        r.value(value);
        if (block.ok()) {
            r.quality(Quality.GOOD, null);
            return r.condition(value);
        }
        r.quality(Quality.of(block.status()), quality.detail(r.valueBlock()));
        return Condition.UNKNOWN;
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

    private static double decode(BlockRead block, int offset, RmaType type, int bit) {
        return switch (type) {
            case BOOL -> ValueCodec.getBool(block.buffer(), offset, bit) ? 1 : 0;
            case FLOAT32, FLOAT64 -> ValueCodec.getDouble(block.buffer(), offset, type);
            case STRING -> Double.NaN;
            default -> ValueCodec.getLong(block.buffer(), offset, type);
        };
    }
}
