package nexus.simulator.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;

import nexus.core.NexusException;
import nexus.registry.AllocationIndex;
import nexus.rma.Allocation;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;

/**
 * Moving values for the tags a registry marks with the property {@code simulate}: {@code sine}
 * (a slow wave across the engineering range), {@code noise} (jitter around the middle),
 * {@code ramp} (a counter that only grows) and {@code toggle} (a BOOL that flips now and then).
 * Tags that lie back to back in a bank are written as one block: a step is one range write per run
 * of adjacent numeric tags (atomic for readers, as a PLC's block transfer is), and one bit write per
 * BOOL (its byte is shared with other bits) and one write per STRING. Plain Java; not thread-safe
 * (one writer thread owns it).
 */
final class Simulation {

    enum Mode { SINE, NOISE, RAMP, TOGGLE }

    private final AllocationIndex index;
    private final int[] positions;
    private final Mode[] modes;
    private final double[] low;
    private final double[] high;
    private final double[] phase;
    private final double[] counters;
    private final SplittableRandom random = new SplittableRandom(42);
    /**
     * The simulated tags grouped for writing, in flat arrays (a million-tag registry has hundreds of
     * thousands of runs): run {@code r} is {@code order[runStart[r] .. runStart[r + 1])}, indices into the
     * simulated tags in offset order, covering {@code [runOffset[r], runOffset[r] + runLength[r])} of bank
     * {@code runBank[r]} without a gap. A run of one is a single tag (a BOOL, a STRING, or a lone number).
     */
    private final int[] order;
    private final int[] runStart;
    private final int[] runBank;
    private final int[] runOffset;
    private final int[] runLength;
    private final ByteBuffer block;
    /** Per run, the allocation of a BOOL or STRING written alone (made once: a step makes no objects); null for numbers. */
    private final Allocation[] alone;
    /** The numbers of the run being written, for writing them one by one when one does not fit. */
    private final double[] numbers;

    /**
     * @param index     the registry's allocation index
     * @param positions the simulated tags' positions in the index
     * @param modes     how each one moves
     * @param low       each one's engineering low (NaN when the registry has none)
     * @param high      each one's engineering high (NaN when the registry has none)
     */
    Simulation(AllocationIndex index, int[] positions, Mode[] modes, double[] low, double[] high) {
        this.index = index;
        this.positions = positions;
        this.modes = modes;
        this.low = low;
        this.high = high;
        this.phase = new double[positions.length];
        this.counters = new double[positions.length];
        for (int i = 0; i < positions.length; i++) {
            phase[i] = random.nextDouble() * 2 * Math.PI;
        }
        this.order = inBankOrder(index, positions);
        int[] starts = new int[order.length + 1];
        int[] banks = new int[order.length];
        int[] offsets = new int[order.length];
        int[] lengths = new int[order.length];
        int runs = 0;
        int longest = 0;
        int most = 0;
        for (int k = 0; k < order.length; k++) {
            int p = positions[order[k]];
            boolean joins = joinable(index.type(p));
            if (runs > 0 && joins && joinable(index.type(positions[order[k - 1]])) && index.bank(p) == banks[runs - 1]
                    && index.byteOffset(p) == offsets[runs - 1] + lengths[runs - 1]) {
                lengths[runs - 1] += index.length(p);
            } else {
                starts[runs] = k;
                banks[runs] = index.bank(p);
                offsets[runs] = index.byteOffset(p);
                lengths[runs] = index.length(p);
                runs++;
            }
            longest = Math.max(longest, lengths[runs - 1]);
            most = Math.max(most, k + 1 - starts[runs - 1]);
        }
        starts[runs] = order.length;
        this.runStart = Arrays.copyOf(starts, runs + 1);
        this.runBank = Arrays.copyOf(banks, runs);
        this.runOffset = Arrays.copyOf(offsets, runs);
        this.runLength = Arrays.copyOf(lengths, runs);
        this.block = ByteBuffer.allocate(longest).order(ByteOrder.LITTLE_ENDIAN);
        this.numbers = new double[most];
        this.alone = new Allocation[runs];
        for (int r = 0; r < runs; r++) {
            int p = positions[order[starts[r]]];
            if (!joinable(index.type(p))) {
                alone[r] = index.allocation(p);
            }
        }
    }

    /** @return the indices of the simulated tags sorted by bank, then byte offset, then bit */
    private static int[] inBankOrder(AllocationIndex index, int[] positions) {
        Integer[] sorted = new Integer[positions.length];
        Arrays.setAll(sorted, i -> i);
        Arrays.sort(sorted, Comparator.<Integer>comparingInt(i -> index.bank(positions[i]))
                .thenComparingInt(i -> index.byteOffset(positions[i])).thenComparingInt(i -> index.bitOffset(positions[i])));
        return Arrays.stream(sorted).mapToInt(Integer::intValue).toArray();
    }

    /** Whether a tag of this type can be written inside a block: not a bit, not text (it may not fit). */
    private static boolean joinable(RmaType type) {
        return type != RmaType.BOOL && type != RmaType.STRING;
    }

    /** @return how many writes a step makes (one per run of adjacent numeric tags, one per other tag) */
    int writesPerStep() {
        return runBank.length;
    }

    static Mode mode(String text) {
        try {
            return Mode.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    int size() {
        return positions.length;
    }

    /**
     * Writes one step: every simulated tag's value at time {@code seconds}. A run of numbers (one number
     * alone too) is encoded straight into one reused buffer, no value boxed, and written at once; a BOOL
     * or a STRING through the backend's checked write.
     *
     * @return how many writes were refused (a bank missing from the RMA backend, a value outside a
     *         small type); the others went through
     */
    int step(RmaBackend backend, double seconds) {
        int refused = 0;
        for (int r = 0; r < runBank.length; r++) {
            int from = runStart[r];
            int to = runStart[r + 1];
            if (alone[r] != null) {
                int i = order[from];
                refused += write(backend, alone[r], value(i, alone[r].type(), seconds));
            } else {
                refused += write(backend, r, from, to, seconds);
            }
        }
        return refused;
    }

    /** @return how many of run {@code r}'s values were refused: one block write, or tag by tag when one does not fit */
    private int write(RmaBackend backend, int r, int from, int to, double seconds) {
        boolean fits = true;
        for (int k = from; k < to; k++) {
            int i = order[k];
            int p = positions[i];
            RmaType type = index.type(p);
            numbers[k - from] = number(i, type, seconds);
            fits &= put(block, index.byteOffset(p) - runOffset[r], type, numbers[k - from]);
        }
        if (!fits) {
            // a value outside its type (an engineering range beyond FLOAT32): each tag alone, as before blocks
            int refused = 0;
            for (int k = from; k < to; k++) {
                int i = order[k];
                double number = numbers[k - from];
                refused += write(backend, index.allocation(positions[i]),
                        index.type(positions[i]).isInteger() ? (Object) (long) number : (Object) number);
            }
            return refused;
        }
        try {
            backend.write(runBank[r], runOffset[r], block.array(), 0, runLength[r]);
            return 0;
        } catch (NexusException e) {
            return to - from; // an unknown bank, or a bank too small: each tag would have been refused too
        }
    }

    /** Encodes a number of a numeric type at {@code at}; false (nothing written) when a FLOAT32 cannot hold it. */
    private static boolean put(ByteBuffer buffer, int at, RmaType type, double value) {
        switch (type) {
            case FLOAT32 -> {
                if (Math.abs(value) > Float.MAX_VALUE) {
                    return false;
                }
                buffer.putFloat(at, (float) value);
            }
            case FLOAT64 -> buffer.putDouble(at, value);
            case INT8, UINT8 -> buffer.put(at, (byte) (long) value);
            case INT16, UINT16 -> buffer.putShort(at, (short) (long) value);
            case INT32, UINT32 -> buffer.putInt(at, (int) (long) value);
            default -> buffer.putLong(at, (long) value);
        }
        return true;
    }

    private static int write(RmaBackend backend, Allocation allocation, Object value) {
        try {
            backend.write(allocation, value);
            return 0;
        } catch (NexusException e) {
            return 1;
        }
    }

    /** The value of simulated tag {@code i} at {@code seconds}, in its type's terms (boxed). */
    Object value(int i, RmaType type, double seconds) {
        if (type == RmaType.BOOL) {
            return modes[i] == Mode.TOGGLE ? ((long) (seconds / 7 + phase[i]) % 2 == 0) : Boolean.FALSE;
        }
        double value = number(i, type, seconds);
        if (type.isInteger()) {
            return (long) value;
        }
        return type == RmaType.STRING ? String.valueOf(Math.round(value)) : value;
    }

    /**
     * The number simulated tag {@code i} shows at {@code seconds}: for an integer type rounded and
     * clamped to the type's range (so it always encodes); not for BOOL.
     */
    private double number(int i, RmaType type, double seconds) {
        double lo = Double.isNaN(low[i]) ? 0 : low[i];
        double hi = Double.isNaN(high[i]) ? 100 : high[i];
        double value = switch (modes[i]) {
            case SINE -> lo + (hi - lo) * (0.5 + 0.45 * Math.sin(2 * Math.PI * seconds / 60 + phase[i]));
            case NOISE -> lo + (hi - lo) * (0.5 + 0.05 * (random.nextDouble() - 0.5));
            case RAMP -> counters[i] += 1;
            case TOGGLE -> lo;
        };
        if (type.isInteger()) {
            return Math.max(type.minValue(), Math.min(type.maxValue(), Math.round(value)));
        }
        return value;
    }
}
