package nexus.alarm.internal;

import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.rma.RmaBackend;

/**
 * Writes alarm flags to RMA: the alarms whose flags differ from what RMA holds, sorted by place,
 * contiguous bytes as one write. A write that fails is reported once (and when it works again) and
 * retried at every scan, since those alarms stay marked as unwritten. Not thread-safe: the engine's
 * lock guards it.
 */
final class FlagWriter {

    private static final Logger LOG = LoggerFactory.getLogger(FlagWriter.class);

    /** Ranks (in the table's flag order) of the alarms to write, the first {@link #count}. */
    private int[] dirty = new int[0];
    private int count;
    private byte[] run = new byte[0];
    private String problem;

    /** Forgets what was marked: a scan starts marking afresh. */
    void reset() {
        count = 0;
    }

    /** Marks an alarm for writing by its rank in the table's flag order. */
    void mark(int rank) {
        if (count == dirty.length) {
            dirty = Arrays.copyOf(dirty, Math.max(16, count * 2));
        }
        dirty[count++] = rank;
    }

    /** Marks every alarm taken over whose flags differ from RMA's (after an operator action) and writes them. */
    void writeAll(AlarmTable t, RmaBackend backend) {
        reset();
        for (int i = 0; i < t.records.length; i++) {
            if (!t.unadopted[i] && t.records[i].flags() != t.records[i].flagsWritten()) {
                mark(t.flagRank[i]);
            }
        }
        write(t, backend);
    }

    /** Writes the marked alarms' flags, contiguous bytes as one write. */
    void write(AlarmTable t, RmaBackend backend) {
        if (count == 0) {
            if (problem != null) {
                LOG.info("Alarm flags are written to RMA again");
                problem = null;
            }
            return;
        }
        Arrays.sort(dirty, 0, count);
        if (run.length < count) {
            run = new byte[count];
        }
        int start = 0;
        String failed = null;
        while (start < count) {
            AlarmRecord first = t.records[t.flagOrder[dirty[start]]];
            int bank = first.flagAllocation().bank();
            int offset = first.flagAllocation().byteOffset();
            int end = start + 1;
            while (end < count) {
                AlarmRecord next = t.records[t.flagOrder[dirty[end]]];
                if (next.flagAllocation().bank() != bank || next.flagAllocation().byteOffset() != offset + (end - start)) {
                    break;
                }
                end++;
            }
            for (int k = start; k < end; k++) {
                run[k - start] = (byte) t.records[t.flagOrder[dirty[k]]].flags();
            }
            try {
                backend.write(bank, offset, run, 0, end - start);
                for (int k = start; k < end; k++) {
                    AlarmRecord r = t.records[t.flagOrder[dirty[k]]];
                    r.flagsWritten(r.flags());
                }
            } catch (RuntimeException e) {
                failed = (end - start) + " alarm flag bytes at bank " + bank + " byte " + offset
                        + " cannot be written (" + e.getMessage() + "); retrying every scan";
            }
            start = end;
        }
        if (failed != null && !failed.equals(problem)) {
            LOG.error("{}: RMA readers do not see these alarms' state. Check that the RMA backend has the registry's banks.",
                    failed);
        } else if (failed == null && problem != null) {
            LOG.info("Alarm flags are written to RMA again");
        }
        problem = failed;
    }

    /** @return why flags cannot be written now, or null */
    String problem() {
        return problem;
    }
}
