package nexus.registry.internal;

import java.util.List;

import nexus.rma.Bank;
import nexus.rma.RmaType;

/**
 * Assigns addresses to tags that have none: per bank, in list order (so a piece of equipment's
 * tags stay together and read as one block), each at the next free offset with its alignment,
 * going around addresses reserved explicitly. BOOLs share bytes, eight to a byte.
 */
final class Allocator {

    private final List<Bank> banks;
    private final long[][] used;
    private final int[] next;
    private final long[] boolByte;

    Allocator(List<Bank> banks) {
        this.banks = banks;
        this.used = new long[banks.size()][];
        this.next = new int[banks.size()];
        this.boolByte = new long[banks.size()];
        for (int i = 0; i < banks.size(); i++) {
            used[i] = new long[(int) ((banks.get(i).size() * 8L + 63) / 64)];
            boolByte[i] = -1;
        }
    }

    /** Marks an explicit allocation as taken; ignores one that is invalid (the validator reports it). */
    void reserve(int bank, int offset, int bit, RmaType type, int length) {
        if (type == null || offset < 0 || bank < 0 || bank >= banks.size()) {
            return;
        }
        long start = (long) offset * 8 + (type == RmaType.BOOL ? bit : 0);
        long end = type == RmaType.BOOL ? start + 1 : ((long) offset + Math.max(1, length)) * 8;
        long limit = banks.get(bank).size() * 8L;
        for (long b = Math.max(0, start); b < Math.min(end, limit); b++) {
            used[bank][(int) (b >>> 6)] |= 1L << (b & 63);
        }
    }

    /** @return a free, aligned offset for {@code length} bytes, marked taken; -1 when the bank is full */
    int bytes(int bank, int alignment, int length) {
        int size = banks.get(bank).size();
        int offset = align(next[bank], alignment);
        while ((long) offset + length <= size) {
            int taken = firstTaken(bank, offset, length);
            if (taken < 0) {
                markBytes(bank, offset, length);
                next[bank] = offset + length;
                return offset;
            }
            offset = align(taken + 1, alignment);
        }
        return -1;
    }

    /** @return a free bit as {@code byte * 8 + bit}, marked taken; -1 when the bank is full */
    long bit(int bank) {
        long current = boolByte[bank];
        if (current >= 0) {
            for (int b = 0; b < 8; b++) {
                long place = current * 8 + b;
                if (!isUsed(bank, place)) {
                    used[bank][(int) (place >>> 6)] |= 1L << (place & 63);
                    return place;
                }
            }
        }
        int offset = bytes(bank, 1, 1);
        if (offset < 0) {
            return -1;
        }
        // bytes() marked the whole byte; free bits 1..7 again for the next BOOLs.
        long first = (long) offset * 8;
        for (int b = 1; b < 8; b++) {
            long place = first + b;
            used[bank][(int) (place >>> 6)] &= ~(1L << (place & 63));
        }
        boolByte[bank] = offset;
        return first;
    }

    private boolean isUsed(int bank, long bit) {
        return (used[bank][(int) (bit >>> 6)] & (1L << (bit & 63))) != 0;
    }

    /** @return the first byte in [offset, offset + length) with any bit taken, or -1 */
    private int firstTaken(int bank, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            long first = (long) i * 8;
            long word = used[bank][(int) (first >>> 6)];
            if (((word >>> (first & 63)) & 0xFF) != 0) {
                return i;
            }
        }
        return -1;
    }

    private void markBytes(int bank, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            long first = (long) i * 8;
            used[bank][(int) (first >>> 6)] |= 0xFFL << (first & 63);
        }
    }

    private static int align(int offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }
}
