package nexus.bench.readpath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import nexus.bench.stream.LatencyHistogram;

/**
 * The figures of one {@link ReadClient} run, printed as one line that reads both ways: a person
 * sees the figures, a script takes {@code key=value} pairs ({@code run.sh} takes p50).
 *
 * <pre>
 * readpath kind=opcua clients=1 values=10000 ops=1234 ops/s=123.4 p50=3.21ms p90=4.02ms p99=6.80ms max=9.12ms load=1.23
 * </pre>
 *
 * @param kind     {@link ReadOptions.Kind#label}
 * @param clients  client threads
 * @param values   values (OPC UA) or rows (query) in each answer, 1 for a single tag
 * @param ops      reads started in the measured seconds, on all clients together
 * @param seconds  the measured seconds
 * @param p50Nanos median latency of one read, request to decoded answer
 * @param p90Nanos 90th percentile
 * @param p99Nanos 99th percentile
 * @param maxNanos the slowest read
 * @param load     the machine's one-minute load average at the end, or a negative number when unknown
 */
record ReadReport(String kind, int clients, int values, long ops, double seconds, long p50Nanos, long p90Nanos,
        long p99Nanos, long maxNanos, double load) {

    static ReadReport of(ReadOptions options, LatencyHistogram latencies, double seconds, double load) {
        return new ReadReport(options.kind().label, options.clients(), options.tags(), latencies.count(), seconds,
                latencies.percentileNanos(0.50), latencies.percentileNanos(0.90), latencies.percentileNanos(0.99),
                latencies.maxNanos(), load);
    }

    double opsPerSecond() {
        return ops / seconds;
    }

    String line() {
        return String.format(Locale.ROOT, "readpath kind=%s clients=%d values=%d ops=%d ops/s=%.1f p50=%s p90=%s p99=%s"
                + " max=%s load=%s", kind, clients, values, ops, opsPerSecond(), millis(p50Nanos), millis(p90Nanos),
                millis(p99Nanos), millis(maxNanos), load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load));
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2fms", nanos / 1e6);
    }

    /** The one-minute load average from {@code /proc/loadavg}, or -1 where there is none (not Linux). */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ", 2)[0]);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
