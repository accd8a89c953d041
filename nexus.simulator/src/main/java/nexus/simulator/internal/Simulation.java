package nexus.simulator.internal;

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
 * Plain Java; not thread-safe (one writer thread owns it).
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
        for (int i = 0; i < positions.length; i++) {
            Allocation allocation = index.allocation(positions[i]);
            try {
                backend.write(allocation, value(i, allocation.type(), seconds));
            } catch (NexusException e) {
                refused++;
            }
        }
        return refused;
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
