package nexus.rma.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nexus.core.MetricFamily;
import nexus.core.MetricFamily.Sample;
import nexus.rma.Bank;
import nexus.rma.RmaBackend;

class RmaMetricsTest {

    @Test
    void reportsEachBanksWritesAndSize() {
        RmaBackend backend = RmaBackends.heap(List.of(new Bank(0, "process", 1024), new Bank(1, "alarms", 64)));
        backend.write(1, 0, new byte[] { 1, 2 }, 0, 2);
        backend.write(1, 4, new byte[] { 3 }, 0, 1);

        List<MetricFamily> families = new RmaMetrics(backend).metrics();

        assertThat(families).containsExactly(
                new MetricFamily("nexus_rma_bank_writes_total", MetricFamily.Type.COUNTER,
                        "Completed writes to each RMA bank (its sequence).",
                        List.of(Sample.of(Map.of("bank", "process"), 0), Sample.of(Map.of("bank", "alarms"), 2))),
                new MetricFamily("nexus_rma_bank_size_bytes", MetricFamily.Type.GAUGE, "Size of each RMA bank.",
                        List.of(Sample.of(Map.of("bank", "process"), 1024), Sample.of(Map.of("bank", "alarms"), 64))));
    }

    @Test
    void reportsNothingWhileThereIsNoBackend() {
        assertThat(new RmaMetrics().metrics()).isEmpty();
    }
}
