package nexus.alarm.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import nexus.alarm.AlarmFlags;
import nexus.query.Quality;
import nexus.rma.BlockRead;
import nexus.rma.RmaType;

/**
 * Which alarms of a table a scan may skip ({@link ScanPass} says when an alarm is quiet and why a
 * skipped visit would have changed nothing), kept in primitive arrays so that the scan finds them
 * without touching a record: per alarm, where its value and flag byte are in the table's reads, the
 * value's raw bytes when it was last marked quiet, and the flags RMA holds for it as written (kept by
 * {@link AlarmRecord} whenever they change; the {@link FlagWriter} reads them too). Any change to a record
 * outside a visit of the scan ({@link AlarmRecord}'s steps call {@link #touched}) and any change to
 * the table's view of it (taken over again, new settings) takes the mark away: the alarm is visited
 * at the next scan. A new table starts with no alarm quiet. Not thread-safe: the engine's lock
 * guards it.
 */
final class QuietAlarms {

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Where each alarm's value is (a block of the table's reads and the offset in it) and its width in bytes; 0: never quiet. */
    private final int[] valueBlock;
    private final int[] valueOffset;
    private final byte[] width;
    /** Where each alarm's flag byte is. */
    private final int[] flagBlock;
    private final int[] flagOffset;
    /** Quiet alarms, and for each the value's raw bytes when it became quiet. */
    private final boolean[] quiet;
    private final long[] raw;
    /** Each alarm's flags as RMA holds them, as written by this engine (or taken from RMA); {@link AlarmRecord#UNWRITTEN}. */
    private final int[] written;
    /** Per block of the reads, for one scan: whether its read is OK, and its bytes. */
    private boolean[] ok = new boolean[0];
    private byte[][] data = new byte[0][];

    QuietAlarms(AlarmRecord[] records) {
        int n = records.length;
        valueBlock = new int[n];
        valueOffset = new int[n];
        width = new byte[n];
        flagBlock = new int[n];
        flagOffset = new int[n];
        quiet = new boolean[n];
        raw = new long[n];
        written = new int[n];
        Arrays.fill(written, AlarmRecord.UNWRITTEN);
        for (int i = 0; i < n; i++) {
            TagReading reading = records[i].reading();
            RmaType type = reading.type();
            // A STRING says nothing about a condition; an alarm not resolved reads no value: neither is ever quiet.
            boolean measurable = reading.hasValue() && type != null && type != RmaType.STRING;
            valueBlock[i] = measurable ? reading.block() : 0;
            valueOffset[i] = measurable ? reading.offset() : 0;
            width[i] = (byte) (measurable ? type.size() : 0);
            flagBlock[i] = records[i].flagBlock();
            flagOffset[i] = records[i].flagOffset();
        }
    }

    /** A scan's reads are done: notes, per block, whether it is OK and where its bytes are. */
    void reads(BlockRead[] reads) {
        if (ok.length != reads.length) {
            ok = new boolean[reads.length];
            data = new byte[reads.length][];
        }
        for (int b = 0; b < reads.length; b++) {
            ok[b] = reads[b].ok();
            data[b] = reads[b].data();
        }
    }

    /**
     * @return whether a visit of alarm {@code i} may be skipped in this scan: it is quiet, its value
     *         block is read OK, its value's bytes are those it had, and its flag byte (when it could be
     *         read) is the one written
     */
    boolean skips(int i) {
        if (!quiet[i]) {
            return false;
        }
        int v = valueBlock[i];
        if (!ok[v] || value(data[v], valueOffset[i], width[i]) != raw[i]) {
            return false;
        }
        int f = flagBlock[i];
        return !ok[f] || (data[f][flagOffset[i]] & 0xFF) == written[i];
    }

    /**
     * After a visit of alarm {@code i} in this scan: it is quiet when the next visit, on the same
     * bytes, would change nothing and tell nothing ({@link ScanPass} says why each condition is needed).
     */
    void visited(int i, AlarmRecord r) {
        int v = valueBlock[i];
        TagReading reading = r.reading();
        boolean now = width[i] != 0 && ok[v] && reading.quality() == Quality.GOOD && reading.settled()
                && reading.told() == Quality.GOOD && r.pendingSince() == AlarmRecord.NONE && !r.has(AlarmFlags.SHELVED)
                && !r.uncommitted() && r.flagsWritten() >= 0 && r.flags() == r.flagsWritten();
        quiet[i] = now;
        if (now) {
            raw[i] = value(data[v], valueOffset[i], width[i]);
        }
    }

    /** Something changed alarm {@code i} outside a visit: the next scan visits it. */
    void touched(int i) {
        quiet[i] = false;
    }

    /** Alarm {@code i}'s flags as RMA holds them now ({@link AlarmRecord#UNWRITTEN}: not known). */
    void written(int i, int flags) {
        written[i] = flags;
    }

    /** @return alarm {@code i}'s flags as RMA holds them, or {@link AlarmRecord#UNWRITTEN} */
    int written(int i) {
        return written[i];
    }

    /** Every alarm is visited at the next scan (new settings). */
    void touchedAll() {
        Arrays.fill(quiet, false);
    }

    /** @return how many alarms are quiet now */
    int count() {
        int n = 0;
        for (boolean q : quiet) {
            n += q ? 1 : 0;
        }
        return n;
    }

    /** @return the value's bytes as one number: equal numbers, equal bytes (a BOOL's whole byte) */
    private static long value(byte[] data, int offset, int width) {
        return switch (width) {
            case 1 -> data[offset];
            case 2 -> (short) SHORT.get(data, offset);
            case 4 -> (int) INT.get(data, offset);
            default -> (long) LONG.get(data, offset);
        };
    }
}
