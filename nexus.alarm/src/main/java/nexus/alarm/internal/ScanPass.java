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
 *
 * <p>Most alarms of a plant have nothing to do at most scans, so the pass skips the visit of an
 * alarm that is <em>quiet</em> ({@link QuietAlarms}, from primitive arrays: no record is touched).
 * An alarm is skipped only when all of these hold:
 * <ul>
 * <li>at the end of its last visit its tag's quality was GOOD and had held for
 * {@link TagReading#SETTLED} scans, the quality last told was GOOD, no delay was running, it was not
 * SHELVED, its state was committed and its flags were written to RMA as they are
 * ({@code flags == flagsWritten});</li>
 * <li>nothing changed the record since: every step of {@link AlarmRecord} (an operator action, an
 * undo, a take-over or a new backend, a commit or flag write, a registry version carrying state over)
 * takes the mark away, as do a take-over of the table's alarm ({@link AlarmTable#unadopt}) and new
 * settings; a new table starts with no alarm quiet;</li>
 * <li>in this scan its value block is read OK (not STALE, not failed) and the value's bytes are those
 * of the last visit (so its value, and what it says about the condition, are the same);</li>
 * <li>in this scan its flag byte, when its block could be read, is the byte last written (another
 * writer's byte is found and written back by a visit).</li>
 * </ul>
 * Then a visit would change nothing and tell nothing: the same bytes give the same value and
 * condition; a GOOD quality that held for {@code SETTLED} scans stays so; the quality told is the
 * quality (no {@code QUALITY_CHANGED}, nothing counted for {@code /health}); a condition that agrees
 * with {@code ACTIVE} or lies in the deadband, with no delay running, leaves the alarm as it is
 * (a condition that disagreed would have started a delay or changed it at the last visit, and a
 * change leaves it uncommitted until the next one); no shelve can expire; nothing is to commit or
 * to write. Alarms whose tag is a STRING or that the version does not resolve are always visited.
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
    private int visits;
    /** Whether quiet alarms are skipped (tests compare with a pass that visits every alarm). */
    private boolean skipping = true;
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
        int visited = 0;
        String firstForeign = null;
        changedCount = 0;
        flags.reset();
        quality.start(t.registry, t.reads);
        AlarmRecord[] records = t.records;
        BlockRead[] reads = t.reads;
        boolean[] unadopted = t.unadopted;
        QuietAlarms quiet = t.quiet;
        quiet.reads(reads);
        for (int i = 0; i < records.length; i++) {
            if (unadopted[i]) {
                continue; // its state is not known: neither evaluated nor written
            }
            if (skipping && quiet.skips(i)) {
                continue; // a visit would change nothing (see the class comment)
            }
            visited++;
            AlarmRecord r = records[i];
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
            quiet.visited(i, r);
        }
        activations = activated;
        visits = visited;
        quality.finish();
        reportForeign(foreign, firstForeign, mono);
    }

    /**
     * After the scan's commit and flag write: the alarms this pass changed may be quiet now (committed,
     * their flags written), so the next scan need not visit them again on the same bytes. Before the
     * next read only.
     */
    void settle(AlarmTable t) {
        for (int k = 0; k < changedCount; k++) {
            int i = changed[k];
            t.quiet.visited(i, t.records[i]);
        }
    }

    /** Whether quiet alarms are skipped (the default) or every alarm is visited at every scan. */
    void skipping(boolean skipping) {
        this.skipping = skipping;
    }

    /** @return how many alarms the last pass visited (the others were not taken over, or quiet) */
    int visits() {
        return visits;
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
