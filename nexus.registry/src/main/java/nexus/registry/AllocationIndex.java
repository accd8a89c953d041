package nexus.registry;

import java.util.Arrays;

import nexus.rma.Allocation;
import nexus.rma.RmaType;

/**
 * Tag id → allocation, held in columns so that a million tags cost a few dozen bytes each and the
 * read planner touches no objects. Positions are 0..size-1 in ascending tag id order.
 * Immutable and thread-safe once built.
 */
public final class AllocationIndex {

    private static final RmaType[] TYPES = RmaType.values();

    private final long[] ids;
    private final int[] banks;
    private final int[] offsets;
    private final int[] lengths;
    private final byte[] bits;
    private final byte[] types;

    private AllocationIndex(Builder b) {
        this.ids = Arrays.copyOf(b.ids, b.size);
        this.banks = Arrays.copyOf(b.banks, b.size);
        this.offsets = Arrays.copyOf(b.offsets, b.size);
        this.lengths = Arrays.copyOf(b.lengths, b.size);
        this.bits = Arrays.copyOf(b.bits, b.size);
        this.types = Arrays.copyOf(b.types, b.size);
    }

    /** @return a builder; add tags in ascending id order */
    public static Builder builder(int expected) {
        return new Builder(Math.max(16, expected));
    }

    /** @return the number of tags */
    public int size() {
        return ids.length;
    }

    /** @return the position of the tag with this id, or -1 */
    public int position(long id) {
        int position = Arrays.binarySearch(ids, id);
        return position >= 0 ? position : -1;
    }

    public long id(int position) {
        return ids[position];
    }

    public int bank(int position) {
        return banks[position];
    }

    public int byteOffset(int position) {
        return offsets[position];
    }

    public int bitOffset(int position) {
        return bits[position];
    }

    public int length(int position) {
        return lengths[position];
    }

    /** @return the offset just past the tag's last byte */
    public int end(int position) {
        return offsets[position] + lengths[position];
    }

    public RmaType type(int position) {
        return TYPES[types[position]];
    }

    /** @return the allocation at a position (a new object) */
    public Allocation allocation(int position) {
        return new Allocation(banks[position], offsets[position], bits[position], type(position), lengths[position]);
    }

    /** @return the bytes the index's columns occupy */
    public long memoryBytes() {
        return (long) ids.length * (8 + 4 + 4 + 4 + 1 + 1);
    }

    /** Collects the columns; not thread-safe. */
    public static final class Builder {
        private long[] ids;
        private int[] banks;
        private int[] offsets;
        private int[] lengths;
        private byte[] bits;
        private byte[] types;
        private int size;

        private Builder(int capacity) {
            ids = new long[capacity];
            banks = new int[capacity];
            offsets = new int[capacity];
            lengths = new int[capacity];
            bits = new byte[capacity];
            types = new byte[capacity];
        }

        /**
         * @throws IllegalArgumentException when the id is not greater than the previous one
         */
        public Builder add(long id, Allocation allocation) {
            if (size > 0 && id <= ids[size - 1]) {
                throw new IllegalArgumentException("tag ids must ascend: " + id + " after " + ids[size - 1]);
            }
            if (size == ids.length) {
                int capacity = size * 2;
                ids = Arrays.copyOf(ids, capacity);
                banks = Arrays.copyOf(banks, capacity);
                offsets = Arrays.copyOf(offsets, capacity);
                lengths = Arrays.copyOf(lengths, capacity);
                bits = Arrays.copyOf(bits, capacity);
                types = Arrays.copyOf(types, capacity);
            }
            ids[size] = id;
            banks[size] = allocation.bank();
            offsets[size] = allocation.byteOffset();
            lengths[size] = allocation.length();
            bits[size] = (byte) allocation.bitOffset();
            types[size] = (byte) allocation.type().ordinal();
            size++;
            return this;
        }

        public AllocationIndex build() {
            return new AllocationIndex(this);
        }
    }
}
