package nexus.registry.internal;

import java.util.Arrays;
import java.util.function.IntFunction;

import nexus.rma.RmaType;

/**
 * Allocations to validate, in columns: the tags of a registry file or a tag list, or alarm flag
 * bytes. A row whose type is unknown has type -1; {@link #describe} names a row for a report (its
 * path and address, and for a tag list its file and line).
 */
final class AllocationTable {

    static final byte UNKNOWN_TYPE = -1;

    private static final RmaType[] TYPES = RmaType.values();

    int size;
    int[] banks;
    int[] offsets;
    int[] bits;
    int[] lengths;
    byte[] types;
    final IntFunction<String> describe;
    /** The rows the validator found well-formed and marked in its bitmaps. */
    final java.util.BitSet marked = new java.util.BitSet();

    AllocationTable(int capacity, IntFunction<String> describe) {
        int c = Math.max(16, capacity);
        banks = new int[c];
        offsets = new int[c];
        bits = new int[c];
        lengths = new int[c];
        types = new byte[c];
        this.describe = describe;
    }

    /** @return the new row's index */
    int add(int bank, int offset, int bit, RmaType type, int length) {
        if (size == banks.length) {
            int c = size * 2;
            banks = Arrays.copyOf(banks, c);
            offsets = Arrays.copyOf(offsets, c);
            bits = Arrays.copyOf(bits, c);
            lengths = Arrays.copyOf(lengths, c);
            types = Arrays.copyOf(types, c);
        }
        banks[size] = bank;
        offsets[size] = offset;
        bits[size] = bit;
        lengths[size] = length;
        types[size] = type == null ? UNKNOWN_TYPE : (byte) type.ordinal();
        return size++;
    }

    /** Holds the rows of another table from now on: its columns themselves, not copies. */
    void takeRows(AllocationTable other) {
        size = other.size;
        banks = other.banks;
        offsets = other.offsets;
        bits = other.bits;
        lengths = other.lengths;
        types = other.types;
    }

    RmaType type(int row) {
        return types[row] == UNKNOWN_TYPE ? null : TYPES[types[row]];
    }

    /** @return the first bit of the row's allocation in its bank */
    long startBit(int row) {
        return (long) offsets[row] * 8 + (types[row] == RmaType.BOOL.ordinal() ? bits[row] : 0);
    }

    /** @return the bit just past the row's allocation */
    long endBit(int row) {
        return types[row] == RmaType.BOOL.ordinal() ? startBit(row) + 1 : ((long) offsets[row] + lengths[row]) * 8;
    }
}
