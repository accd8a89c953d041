package nexus.bench.readpath;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import nexus.bench.stream.LatencyHistogram;

class ReadReportTest {

    @Test
    void printsOneLineOfKeyValuePairsInMilliseconds() {
        ReadReport report = new ReadReport("http-query", 16, 10_000, 1234, 10, 3_210_000, 4_020_000, 6_800_000,
                9_123_456, 1.234);

        assertThat(report.line()).isEqualTo("readpath kind=http-query clients=16 values=10000 ops=1234 ops/s=123.4"
                + " p50=3.21ms p90=4.02ms p99=6.80ms max=9.12ms load=1.23");
    }

    @Test
    void saysWhenTheLoadIsUnknown() {
        assertThat(new ReadReport("opcua", 1, 10, 1, 1, 0, 0, 0, 0, -1).line()).endsWith(" load=unknown");
    }

    @Test
    void takesItsFiguresFromTheMergedLatencies() {
        LatencyHistogram latencies = new LatencyHistogram();
        for (int i = 1; i <= 100; i++) {
            latencies.record(i * 1_000_000L - 50_000);
        }

        ReadReport report = ReadReport.of(ReadOptions.parse("--opcua", "opc.tcp://h:1/milo", "--clients", "2"), latencies,
                4, 0.5);

        assertThat(report.kind()).isEqualTo("opcua");
        assertThat(report.clients()).isEqualTo(2);
        assertThat(report.ops()).isEqualTo(100);
        assertThat(report.opsPerSecond()).isEqualTo(25.0);
        assertThat(report.p50Nanos()).isEqualTo(50_000_000);
        assertThat(report.p99Nanos()).isEqualTo(99_000_000);
        assertThat(report.maxNanos()).isEqualTo(99_950_000);
    }
}
