package nexus.registry.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import nexus.registry.Problem;
import nexus.registry.Problem.Kind;
import nexus.rma.Bank;
import nexus.rma.RmaType;

/**
 * Checks allocations against their banks with one bit-granular bitmap per bank: unknown types and
 * banks, bits outside 0–7, bad STRING lengths, misaligned numbers, allocations past the end of
 * their bank, and every overlap (tags with tags, tags with alarm flags, flags with flags). Reports
 * every problem with the rows involved, up to {@link #MAX_PROBLEMS}.
 */
final class Validator {

    /** Reports stop listing problems after this many (and say how many more there were). */
    static final int MAX_PROBLEMS = 1_000;

    private final List<Bank> banks;
    private final long[][] bitmaps;
    private final List<Problem> problems;
    private final List<AllocationTable> checked = new ArrayList<>();
    private int suppressed;

    Validator(List<Bank> banks, List<Problem> problems) {
        this.banks = banks;
        this.problems = problems;
        this.bitmaps = new long[banks.size()][];
        for (int i = 0; i < banks.size(); i++) {
            bitmaps[i] = new long[(int) ((banks.get(i).size() * 8L + 63) / 64)];
        }
    }

    /**
     * Checks every row and marks it in its bank's bitmap; rows that overlap anything marked before
     * (in this table or an earlier one) are reported with what they overlap.
     */
    void check(AllocationTable table) {
        checked.add(table);
        int[] overlapping = new int[16];
        int overlaps = 0;
        for (int row = 0; row < table.size; row++) {
            if (!wellFormed(table, row)) {
                continue;
            }
            table.marked.set(row);
            if (!mark(table.banks[row], table.startBit(row), table.endBit(row))) {
                if (overlaps == overlapping.length) {
                    overlapping = Arrays.copyOf(overlapping, overlaps * 2);
                }
                overlapping[overlaps++] = row;
            }
        }
        for (int i = 0; i < overlaps; i++) {
            if (problems.size() < MAX_PROBLEMS) {
                reportOverlap(table, overlapping[i]);
            } else {
                suppressed++;
            }
        }
    }

    /** @return the problems not listed because there were too many */
    int suppressed() {
        return suppressed;
    }

    void add(Problem problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        } else {
            suppressed++;
        }
    }

    private boolean wellFormed(AllocationTable t, int row) {
        RmaType type = t.type(row);
        if (type == null) {
            add(new Problem(Kind.UNKNOWN_TYPE, "unknown type: use BOOL, INT8..INT64, UINT8..UINT32, FLOAT32, FLOAT64"
                    + " or STRING(n)", where(t, row)));
            return false;
        }
        int bank = t.banks[row];
        if (bank < 0 || bank >= banks.size()) {
            add(new Problem(Kind.UNKNOWN_BANK, "unknown bank " + bank + " (banks: " + names() + ")", where(t, row)));
            return false;
        }
        int offset = t.offsets[row];
        int length = t.lengths[row];
        if (offset < 0) {
            add(new Problem(Kind.OUT_OF_BOUNDS, "negative byte offset " + offset, where(t, row)));
            return false;
        }
        if (type == RmaType.BOOL ? t.bits[row] < 0 || t.bits[row] > 7 : t.bits[row] != 0) {
            add(new Problem(Kind.MALFORMED, type == RmaType.BOOL ? "bit " + t.bits[row] + " is not 0 to 7"
                    : "only BOOL has a bit number, not " + type, where(t, row)));
            return false;
        }
        int expected = type == RmaType.BOOL ? 1 : type.size();
        if (type == RmaType.STRING ? length < 1 : length != expected) {
            add(new Problem(Kind.MALFORMED, type == RmaType.STRING ? "STRING length " + length + " is not at least 1"
                    : type + " occupies " + expected + " bytes, not " + length, where(t, row)));
            return false;
        }
        if (offset % type.alignment() != 0) {
            add(new Problem(Kind.MISALIGNED, type + " at byte " + offset + " is misaligned: its offset must be a"
                    + " multiple of " + type.alignment(), where(t, row)));
            return false;
        }
        Bank b = banks.get(bank);
        if ((long) offset + length > b.size()) {
            add(new Problem(Kind.OUT_OF_BOUNDS, "bytes " + offset + ".." + ((long) offset + length)
                    + " run past the end of bank '" + b.name() + "' (" + b.size() + " bytes)", where(t, row)));
            return false;
        }
        return true;
    }

    /** Names a row for a problem: only called when there is one (a registry row costs a lookup). */
    private static List<String> where(AllocationTable table, int row) {
        return List.of(table.describe.apply(row));
    }

    /** Sets bits [start, end) of a bank's bitmap; @return false if any was already set */
    private boolean mark(int bank, long start, long end) {
        long[] words = bitmaps[bank];
        boolean free = true;
        for (long bit = start; bit < end; ) {
            int word = (int) (bit >>> 6);
            int from = (int) (bit & 63);
            int to = (int) Math.min(64, end - ((long) word << 6));
            long mask = (to == 64 ? -1L : (1L << to) - 1) & (-1L << from);
            if ((words[word] & mask) != 0) {
                free = false;
            }
            words[word] |= mask;
            bit = ((long) word + 1) << 6;
        }
        return free;
    }

    /** Finds what an overlapping row overlaps: earlier rows of this table, or rows checked before. */
    private void reportOverlap(AllocationTable table, int row) {
        List<String> where = new ArrayList<>();
        where.add(table.describe.apply(row));
        long start = table.startBit(row);
        long end = table.endBit(row);
        for (AllocationTable other : checked) {
            int limit = other == table ? row : other.size;
            for (int i = 0; i < limit && where.size() < 4; i++) {
                if (other.marked.get(i) && other.banks[i] == table.banks[row]
                        && other.startBit(i) < end && start < other.endBit(i)) {
                    where.add(other.describe.apply(i));
                }
            }
        }
        Bank bank = banks.get(table.banks[row]);
        add(new Problem(Kind.OVERLAP, "allocations overlap in bank '" + bank.name() + "' at "
                + range(start, end), where));
    }

    private static String range(long start, long end) {
        if (end - start == 1) {
            return "byte " + (start / 8) + " bit " + (start % 8);
        }
        return "bytes " + (start / 8) + ".." + ((end + 7) / 8);
    }

    private String names() {
        return String.join(", ", banks.stream().map(b -> b.id() + " '" + b.name() + "'").toList());
    }
}
