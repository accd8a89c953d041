package nexus.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import nexus.registry.AllocationIndex;
import nexus.rma.Allocation;
import nexus.rma.RmaType;

class SimulationTest {

    private static Simulation simulation(RmaType type, Simulation.Mode mode, double low, double high) {
        AllocationIndex index = AllocationIndex.builder(1)
                .add(1, type == RmaType.BOOL ? Allocation.bool(0, 0, 0) : Allocation.of(0, 0, type)).build();
        return new Simulation(index, new int[] { 0 }, new Simulation.Mode[] { mode }, new double[] { low },
                new double[] { high });
    }

    @Test
    void sineStaysInsideTheEngineeringRangeAndMoves() {
        Simulation sine = simulation(RmaType.FLOAT32, Simulation.Mode.SINE, 0, 100);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int s = 0; s < 60; s++) {
            double v = (double) sine.value(0, RmaType.FLOAT32, s);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isGreaterThanOrEqualTo(0);
        assertThat(max).isLessThanOrEqualTo(100);
        assertThat(max - min).isGreaterThan(50);
    }

    @Test
    void integersAreRoundedAndClampedToTheirType() {
        Simulation sine = simulation(RmaType.INT8, Simulation.Mode.SINE, -1000, 1000);
        for (int s = 0; s < 60; s++) {
            long v = (long) sine.value(0, RmaType.INT8, s);
            assertThat(v).isBetween(-128L, 127L);
        }
    }

    @Test
    void rampsOnlyGrowAndTogglesFlip() {
        Simulation ramp = simulation(RmaType.UINT32, Simulation.Mode.RAMP, Double.NaN, Double.NaN);
        assertThat(ramp.value(0, RmaType.UINT32, 0)).isEqualTo(1L);
        assertThat(ramp.value(0, RmaType.UINT32, 1)).isEqualTo(2L);
        Simulation toggle = simulation(RmaType.BOOL, Simulation.Mode.TOGGLE, Double.NaN, Double.NaN);
        boolean first = (boolean) toggle.value(0, RmaType.BOOL, 0);
        boolean flipped = false;
        for (int s = 0; s < 30; s++) {
            flipped |= (boolean) toggle.value(0, RmaType.BOOL, s) != first;
        }
        assertThat(flipped).isTrue();
        assertThat(Simulation.mode("Sine")).isEqualTo(Simulation.Mode.SINE);
        assertThat(Simulation.mode("chaos")).isNull();
    }
}
