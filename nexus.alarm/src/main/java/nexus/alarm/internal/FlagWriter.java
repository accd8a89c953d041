package nexus.alarm.internal;

import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.rma.RmaBackend;

/**
 * Writes alarm flags to RMA: the alarms whose flags differ from what RMA holds, sorted by place, as
 * few writes as are safe. Changed bytes close to each other in one bank go as one write whose bytes
 * in between are other alarms' flag bytes as this engine last wrote them (a byte RMA holds already,
 * unless another writer changed it, which a scan writes back anyway); never a byte of no alarm, of an
 * alarm not taken over yet (its state is RMA's), or of one whose byte was never written. In a storm
 * of 10,000 alarms ten bytes apart that is 25 writes instead of 10,000. A write that fails is
 * reported once (and when it works again) and retried at every scan, since those alarms stay marked
 * as unwritten. Not thread-safe: the engine's lock guards it.
 */
final class FlagWriter {

    private static final Logger LOG = LoggerFactory.getLogger(FlagWriter.class);
    /** The most bytes of other alarms between two changed ones that one write carries along. */
    static final int MAX_FILL = 64;
    /** The longest write, in bytes. */
    static final int MAX_RUN = 4096;

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
        AlarmRecord[] records = t.records;
        int[] order = t.flagOrder;
        QuietAlarms written = t.quiet;
        int start = 0;
        String failed = null;
        while (start < count) {
            int firstRank = dirty[start];
            int bank = t.flagBank[firstRank];
            int offset = t.flagByte[firstRank];
            int lastRank = firstRank;
            int end = start + 1;
            while (end < count && joins(t, firstRank, lastRank, dirty[end])) {
                lastRank = dirty[end++];
            }
            int length = lastRank - firstRank + 1;
            if (run.length < length) {
                run = new byte[Math.max(length, Math.min(MAX_RUN, 2 * run.length))];
            }
            for (int k = start, rank = firstRank; rank <= lastRank; rank++) {
                if (k < end && dirty[k] == rank) {
                    run[rank - firstRank] = (byte) records[order[rank]].flags();
                    k++;
                } else {
                    run[rank - firstRank] = (byte) written.written(order[rank]); // as RMA holds it: see joins
                }
            }
            try {
                backend.write(bank, offset, run, 0, length);
                for (int k = start; k < end; k++) {
                    AlarmRecord r = records[order[dirty[k]]];
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

    /**
     * @return whether the alarm of rank {@code next} can join the write that starts at {@code firstRank}
     *         and ends at {@code lastRank}: its byte follows
     *         within {@link #MAX_FILL} bytes and {@link #MAX_RUN} in all, and every byte between is the
     *         flag byte of an alarm taken over whose flags RMA holds as written
     */
    private static boolean joins(AlarmTable t, int firstRank, int lastRank, int next) {
        if (next - lastRank - 1 > MAX_FILL || next - firstRank + 1 > MAX_RUN) {
            return false;
        }
        // Ranks follow (bank, byte): the same bank and as many bytes as ranks apart means no byte between is no alarm's.
        if (t.flagBank[next] != t.flagBank[firstRank] || t.flagByte[next] - t.flagByte[firstRank] != next - firstRank) {
            return false;
        }
        for (int rank = lastRank + 1; rank < next; rank++) {
            int i = t.flagOrder[rank];
            if (t.unadopted[i] || t.quiet.written(i) < 0) {
                return false;
            }
        }
        return true;
    }

    /** @return why flags cannot be written now, or null */
    String problem() {
        return problem;
    }
}
