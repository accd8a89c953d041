package nexus.bench.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import nexus.bench.stream.LoadClient.Figures;

/**
 * The figures of a load run: values/s delivered, latency percentiles over every reading client and
 * the spread of each client's own p99, messages, gaps, how connections ended, the node's CPU and heap.
 * Stalled clients count only in how they ended.
 *
 * @param clients      every client's figures
 * @param refused      why connections could not be opened, one entry per client that did not connect
 * @param measuredNanos how long values were measured
 * @param nodeCpuNanos the node's CPU time while measuring, or -1 when not asked
 * @param selfCpuNanos the load generator's CPU time while measuring, or -1 when unknown
 * @param heapMinute1  the node's heap after a full GC at minute 1, in bytes, or -1
 * @param heapEnd      the same at the end, or -1
 * @param probeFailure why the node could not be probed, or {@code null}
 */
record LoadReport(LoadOptions options, List<Figures> clients, List<String> refused, long measuredNanos, long nodeCpuNanos,
        long selfCpuNanos, long heapMinute1, long heapEnd, String probeFailure) {

    String text() {
        Totals t = totals();
        StringBuilder out = new StringBuilder();
        line(out, "clients", t.reading + " reading, " + t.stalled + " stalled, " + refused.size() + " refused"
                + (refused.isEmpty() ? "" : " (" + refused.get(0) + ")"));
        line(out, "values/s", String.format(Locale.ROOT, "%,.0f delivered (%,d values in %.1f s; %,d snapshot values; %,d"
                + " overflows)", t.values / seconds(), t.values, seconds(), t.snapshotValues, t.overflows));
        line(out, "latency", String.format(Locale.ROOT, "p50 %s, p99 %s, max %s (receipt − ts, %,d values)",
                ms(t.latency.percentileNanos(0.5)), ms(t.latency.percentileNanos(0.99)), ms(t.latency.maxNanos()),
                t.latency.count()));
        line(out, "per-client p99", t.p99s.isEmpty() ? "-" : "min " + ms(t.p99s.get(0)) + ", median "
                + ms(t.p99s.get(t.p99s.size() / 2)) + ", max " + ms(t.p99s.get(t.p99s.size() - 1)) + " (" + t.p99s.size()
                + " clients)");
        line(out, "messages", String.format(Locale.ROOT, "%,d data, %,d other, %,d errors%s", t.data, t.other, t.errors,
                t.firstError == null ? "" : " (first: " + t.firstError + ")"));
        line(out, "gaps", t.gaps + " (sequence numbers skipped)");
        line(out, "closes", "reading clients: " + endings(t.readingEndings) + "; stalled clients: " + endings(t.stalledEndings));
        line(out, "CPU", (nodeCpuNanos < 0 ? "node -" : "node " + percent(nodeCpuNanos)) + " of one core; load generator "
                + (selfCpuNanos < 0 ? "-" : percent(selfCpuNanos)));
        if (options.heap()) {
            line(out, "node heap", "after a full GC: " + heap());
        }
        if (probeFailure != null) {
            line(out, "probe", probeFailure);
        }
        return out.toString();
    }

    /** The measured cells of a markdown table row (tools/stream-bench writes the cells that say what ran). */
    String row() {
        Totals t = totals();
        return String.join(" | ", List.of(
                String.format(Locale.ROOT, "%,.0f", t.values / seconds()),
                ms(t.latency.percentileNanos(0.5)), ms(t.latency.percentileNanos(0.99)), ms(t.latency.maxNanos()),
                t.p99s.isEmpty() ? "-" : ms(t.p99s.get(0)) + " – " + ms(t.p99s.get(t.p99s.size() - 1)),
                Long.toString(t.gaps), endings(t.readingEndings), endings(t.stalledEndings),
                nodeCpuNanos < 0 ? "-" : percent(nodeCpuNanos), options.heap() ? heap() : "-")) + " |";
    }

    private Totals totals() {
        Totals t = new Totals();
        List<Long> p99s = new ArrayList<>();
        for (Figures c : clients) {
            if (c.stalled()) {
                t.stalled++;
                count(t.stalledEndings, c.ending());
                continue;
            }
            t.reading++;
            t.values += c.values();
            t.snapshotValues += c.snapshotValues();
            t.overflows += c.overflows();
            t.data += c.dataMessages();
            t.other += c.otherMessages();
            t.gaps += c.gaps();
            t.errors += c.errors();
            t.firstError = t.firstError == null ? c.firstError() : t.firstError;
            t.latency.add(c.latency());
            if (c.latency().count() > 0) {
                p99s.add(c.latency().percentileNanos(0.99));
            }
            count(t.readingEndings, c.ending());
        }
        p99s.sort(null);
        t.p99s = p99s;
        return t;
    }

    private static void count(Map<String, Integer> endings, LoadClient.Ending ending) {
        String key = ending == null ? "open" : ending.code() != null ? Integer.toString(ending.code()) : "dropped";
        endings.merge(key, 1, Integer::sum);
    }

    private static String endings(Map<String, Integer> endings) {
        if (endings.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        endings.forEach((key, n) -> parts.add(key.equals("open") ? n + " open to the end" : key + " × " + n));
        return String.join(", ", parts);
    }

    private String heap() {
        return (heapMinute1 < 0 ? "-" : mb(heapMinute1)) + " at minute 1, " + (heapEnd < 0 ? "-" : mb(heapEnd))
                + " at the end" + (heapMinute1 > 0 && heapEnd >= 0
                        ? String.format(Locale.ROOT, " (%+.1f %%)", 100.0 * (heapEnd - heapMinute1) / heapMinute1) : "");
    }

    private double seconds() {
        return measuredNanos / 1e9;
    }

    private String percent(long cpuNanos) {
        return String.format(Locale.ROOT, "%.0f %%", 100.0 * cpuNanos / measuredNanos);
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "%-15s %s%n", name, value));
    }

    /** Sums over the reading clients; stalled ones only in {@link #stalledEndings}. */
    private static final class Totals {
        int reading;
        int stalled;
        long values;
        long snapshotValues;
        long overflows;
        long data;
        long other;
        long gaps;
        long errors;
        String firstError;
        final LatencyHistogram latency = new LatencyHistogram();
        List<Long> p99s;
        final Map<String, Integer> readingEndings = new TreeMap<>();
        final Map<String, Integer> stalledEndings = new TreeMap<>();
    }
}
