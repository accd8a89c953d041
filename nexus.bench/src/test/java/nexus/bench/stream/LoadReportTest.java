package nexus.bench.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class LoadReportTest {

    private static LoadClient.Figures reading(long values, long... latenciesMs) {
        LatencyHistogram latency = new LatencyHistogram();
        for (long ms : latenciesMs) {
            latency.record(ms * 1_000_000);
        }
        return new LoadClient.Figures(false, values, 1000, 0, 10, 1, 0, 0, null, latency, null);
    }

    @Test
    void sumsTheReadingClientsAndCountsHowTheStalledOnesEnded() {
        LoadClient.Figures stalled = new LoadClient.Figures(true, 0, 0, 0, 0, 0, 0, 0, null, new LatencyHistogram(),
                new LoadClient.Ending(4008, "slow consumer", null));
        LoadReport report = new LoadReport(LoadOptions.parse("--clients", "3", "--stalled", "1", "--pid", "1", "--heap"),
                List.of(stalled, reading(1000, 5, 10), reading(3000, 20, 40)), List.of(), 2_000_000_000L, 3_000_000_000L,
                -1, 40_000_000, 42_000_000, null);

        assertThat(report.text())
                .contains("clients         2 reading, 1 stalled, 0 refused\n")
                .contains("values/s        2,000 delivered (4,000 values in 2.0 s; 2,000 snapshot values; 0 overflows)\n")
                .contains("latency         p50 10.1 ms, p99 40.0 ms, max 40.0 ms (receipt − ts, 4 values)\n")
                .contains("per-client p99  min 10.0 ms, median 40.0 ms, max 40.0 ms (2 clients)\n")
                .contains("closes          reading clients: 2 open to the end; stalled clients: 4008 × 1\n")
                .contains("CPU             node 150 % of one core; load generator -\n")
                .contains("node heap       after a full GC: 40.0 MB at minute 1, 42.0 MB at the end (+5.0 %)\n");
        assertThat(report.row()).isEqualTo("2,000 | 10.1 ms | 40.0 ms | 40.0 ms | 10.0 ms – 40.0 ms | 0 | 2 open to the end"
                + " | 4008 × 1 | 150 % | 40.0 MB at minute 1, 42.0 MB at the end (+5.0 %) |");
    }
}
