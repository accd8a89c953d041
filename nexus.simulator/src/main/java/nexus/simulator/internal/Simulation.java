package nexus.simulator.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import nexus.core.NexusException;
import nexus.registry.AllocationIndex;
import nexus.rma.Allocation;
import nexus.rma.RmaBackend;
import nexus.rma.RmaType;
import nexus.rma.ValueCodec;

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
    /** The simulated tags grouped for writing: runs of adjacent numeric tags, and single tags. */
    private final List<Run> runs;
    private final ByteBuffer block;

    /**
     * Tags written together: {@code members} are indices into the simulated tags, in offset order,
     * covering {@code [offset, offset + length)} of {@code bank} without a gap.
     */
    private record Run(int bank, int offset, int length, int[] members) {
    }

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
        this.runs = runs(index, positions);
        int longest = runs.stream().mapToInt(Run::length).max().orElse(0);
        this.block = ByteBuffer.allocate(longest).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** @return the simulated tags in bank and offset order, adjacent numeric ones joined into runs */
    private static List<Run> runs(AllocationIndex index, int[] positions) {
        Integer[] order = new Integer[positions.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> index.allocation(positions[i]).bank())
                .thenComparingInt(i -> index.allocation(positions[i]).byteOffset()));
        List<Run> runs = new ArrayList<>();
        List<Integer> members = new ArrayList<>();
        int bank = -1;
        int start = 0;
        int end = 0;
        for (int i : order) {
            Allocation a = index.allocation(positions[i]);
            boolean joins = joinable(a.type());
            if (!members.isEmpty() && !(joins && a.bank() == bank && a.byteOffset() == end)) {
                runs.add(new Run(bank, start, end - start, members.stream().mapToInt(Integer::intValue).toArray()));
                members.clear();
            }
            if (!joins) {
                runs.add(new Run(a.bank(), a.byteOffset(), a.length(), new int[] {i}));
                continue;
            }
            if (members.isEmpty()) {
                bank = a.bank();
                start = a.byteOffset();
            }
            members.add(i);
            end = a.byteOffset() + a.length();
        }
        if (!members.isEmpty()) {
            runs.add(new Run(bank, start, end - start, members.stream().mapToInt(Integer::intValue).toArray()));
        }
        return runs;
    }

    /** Whether a tag of this type can be written inside a block: not a bit, not text (it may not fit). */
    private static boolean joinable(RmaType type) {
        return type != RmaType.BOOL && type != RmaType.STRING;
    }

    /** @return how many writes a step makes (one per run of adjacent numeric tags, one per other tag) */
    int writesPerStep() {
        return runs.size();
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
     * Writes one step: every simulated tag's value at time {@code seconds}.
     *
     * @return how many writes were refused (a bank missing from the RMA backend, a value outside a
     *         small type); the others went through
     */
    int step(RmaBackend backend, double seconds) {
        int refused = 0;
        for (Run run : runs) {
            int[] members = run.members();
            Object[] values = new Object[members.length];
            for (int m = 0; m < members.length; m++) {
                values[m] = value(members[m], index.allocation(positions[members[m]]).type(), seconds);
            }
            refused += members.length == 1 ? write(backend, members[0], values[0]) : write(backend, run, values);
        }
        return refused;
    }

    /** @return how many of the run's values were refused: one block write, or tag by tag when one does not encode */
    private int write(RmaBackend backend, Run run, Object[] values) {
        int[] members = run.members();
        try {
            block.clear();
            for (int m = 0; m < members.length; m++) {
                Allocation allocation = index.allocation(positions[members[m]]);
                ValueCodec.encode(allocation, values[m], block, allocation.byteOffset() - run.offset());
            }
        } catch (NexusException e) {
            int refused = 0; // a value outside its type: write the others one by one, as before blocks
            for (int m = 0; m < members.length; m++) {
                refused += write(backend, members[m], values[m]);
            }
            return refused;
        }
        try {
            backend.write(run.bank(), run.offset(), block.array(), 0, run.length());
            return 0;
        } catch (NexusException e) {
            return members.length; // an unknown bank, or a bank too small: each tag would have been refused too
        }
    }

    private int write(RmaBackend backend, int i, Object value) {
        try {
            backend.write(index.allocation(positions[i]), value);
            return 0;
        } catch (NexusException e) {
            return 1;
        }
    }

    /** The value of simulated tag {@code i} at {@code seconds}, in its type's terms. */
    Object value(int i, RmaType type, double seconds) {
        if (type == RmaType.BOOL) {
            return modes[i] == Mode.TOGGLE ? ((long) (seconds / 7 + phase[i]) % 2 == 0) : Boolean.FALSE;
        }
        double lo = Double.isNaN(low[i]) ? 0 : low[i];
        double hi = Double.isNaN(high[i]) ? 100 : high[i];
        double value = switch (modes[i]) {
            case SINE -> lo + (hi - lo) * (0.5 + 0.45 * Math.sin(2 * Math.PI * seconds / 60 + phase[i]));
            case NOISE -> lo + (hi - lo) * (0.5 + 0.05 * (random.nextDouble() - 0.5));
            case RAMP -> counters[i] += 1;
            case TOGGLE -> lo;
        };
        if (type.isInteger()) {
            long whole = Math.round(value);
            return Math.max(type.minValue(), Math.min(type.maxValue(), whole));
        }
        return type == RmaType.STRING ? String.valueOf(Math.round(value)) : value;
    }
}
