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

    @Test
    void adjacentNumericTagsAreWrittenAsOneBlockWithoutTouchingTheBytesBetweenRuns() {
        // bank 0: three UINT32 back to back at 0, 4, 8; a tag the simulator does not own at 12; a UINT32 at 16;
        // a BOOL at byte 20; a STRING(4) at 24
        AllocationIndex index = AllocationIndex.builder(7)
                .add(1, Allocation.of(0, 0, RmaType.UINT32)).add(2, Allocation.of(0, 4, RmaType.UINT32))
                .add(3, Allocation.of(0, 8, RmaType.UINT32)).add(4, Allocation.of(0, 12, RmaType.UINT32))
                .add(5, Allocation.of(0, 16, RmaType.UINT32)).add(6, Allocation.bool(0, 20, 3))
                .add(7, Allocation.string(0, 24, 4)).build();
        int[] simulated = {2, 0, 1, 4, 5, 6}; // every tag but the one at 12, in no particular order
        Simulation.Mode[] modes = new Simulation.Mode[simulated.length];
        java.util.Arrays.fill(modes, Simulation.Mode.RAMP);
        double[] nan = new double[simulated.length];
        java.util.Arrays.fill(nan, Double.NaN);
        Simulation ramp = new Simulation(index, simulated, modes, nan, nan);
        assertThat(ramp.writesPerStep()).as("0-12 as one block; 16, the BOOL and the STRING alone").isEqualTo(4);

        nexus.rma.RmaBackend rma = nexus.rma.internal.RmaBackends.heap(java.util.List.of(new nexus.rma.Bank(0, "process", 64)));
        rma.write(Allocation.of(0, 12, RmaType.UINT32), 4242L);
        long before = rma.sequence(0);
        assertThat(ramp.step(rma, 0)).isZero();
        assertThat(ramp.step(rma, 1)).isZero();
        for (int offset : new int[] {0, 4, 8, 16}) {
            assertThat(read(rma, Allocation.of(0, offset, RmaType.UINT32))).as("byte %d", offset).isEqualTo(2L);
        }
        assertThat(read(rma, Allocation.of(0, 12, RmaType.UINT32))).as("not simulated: untouched").isEqualTo(4242L);
        assertThat(read(rma, Allocation.string(0, 24, 4))).isEqualTo("2");
        assertThat(rma.sequence(0) - before).as("4 writes a step, not 6").isEqualTo(8);
    }

    @Test
    void aRunOfMixedNumericTypesIsEncodedEachInItsOwnType() {
        // INT16 at 0 and 2, FLOAT32 at 4, FLOAT64 at 8, INT8 at 16; a UINT32 at 20, after a gap
        AllocationIndex index = AllocationIndex.builder(6)
                .add(1, Allocation.of(0, 0, RmaType.INT16)).add(2, Allocation.of(0, 2, RmaType.INT16))
                .add(3, Allocation.of(0, 4, RmaType.FLOAT32)).add(4, Allocation.of(0, 8, RmaType.FLOAT64))
                .add(5, Allocation.of(0, 16, RmaType.INT8)).add(6, Allocation.of(0, 20, RmaType.UINT32)).build();
        int[] simulated = {0, 1, 2, 3, 4, 5};
        Simulation.Mode[] modes = new Simulation.Mode[simulated.length];
        java.util.Arrays.fill(modes, Simulation.Mode.RAMP);
        double[] nan = new double[simulated.length];
        java.util.Arrays.fill(nan, Double.NaN);
        Simulation ramp = new Simulation(index, simulated, modes, nan, nan);
        assertThat(ramp.writesPerStep()).as("0-17 as one block, 20 alone").isEqualTo(2);

        nexus.rma.RmaBackend rma = nexus.rma.internal.RmaBackends.heap(java.util.List.of(new nexus.rma.Bank(0, "process", 64)));
        for (int s = 0; s < 3; s++) {
            assertThat(ramp.step(rma, s)).isZero();
        }
        for (int p = 0; p < 6; p++) {
            Object value = read(rma, index.allocation(p));
            assertThat(((Number) value).doubleValue()).as("%s", index.allocation(p)).isEqualTo(3.0);
        }
    }

    @Test
    void aValueItsTypeCannotHoldIsRefusedAloneAndTheRestOfItsRunIsWritten() {
        AllocationIndex index = AllocationIndex.builder(3)
                .add(1, Allocation.of(0, 0, RmaType.FLOAT32)).add(2, Allocation.of(0, 4, RmaType.FLOAT32))
                .add(3, Allocation.of(0, 8, RmaType.FLOAT32)).build();
        // the middle tag's engineering range lies beyond FLOAT32
        Simulation sine = new Simulation(index, new int[] {0, 1, 2},
                new Simulation.Mode[] {Simulation.Mode.RAMP, Simulation.Mode.SINE, Simulation.Mode.RAMP},
                new double[] {Double.NaN, 1e300, Double.NaN}, new double[] {Double.NaN, 2e300, Double.NaN});
        nexus.rma.RmaBackend rma = nexus.rma.internal.RmaBackends.heap(java.util.List.of(new nexus.rma.Bank(0, "process", 64)));

        assertThat(sine.step(rma, 0)).isEqualTo(1);
        assertThat(read(rma, index.allocation(0))).isEqualTo(1.0f);
        assertThat(read(rma, index.allocation(1))).isEqualTo(0.0f);
        assertThat(read(rma, index.allocation(2))).isEqualTo(1.0f);
    }

    private static Object read(nexus.rma.RmaBackend rma, Allocation allocation) {
        nexus.rma.BlockRead block = new nexus.rma.BlockRead(64).target(allocation.bank(), allocation.byteOffset(),
                allocation.length());
        rma.read(block);
        return nexus.rma.ValueCodec.decode(block.buffer(), 0, allocation);
    }
}
