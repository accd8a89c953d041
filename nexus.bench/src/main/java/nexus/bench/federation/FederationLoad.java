package nexus.bench.federation;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * A load run of the Sparkplug B federation (docs/federation.md, docs/benchmarks.md "Federation
 * (Sparkplug B)") against a running host node and broker, from a JVM of its own. It plays N synthetic
 * edge nodes ({@link EdgeFleet}) or, with {@code --observe}, watches N real ones ({@link EdgeObserver}),
 * and measures:
 * <ul>
 * <li>birth-to-queryable: from the first NBIRTH published (or seen) until the host's SQL count of the
 * mirrored tags reaches every mirrored metric of the births (polled: its resolution is one count query);</li>
 * <li>the host's change-to-RMA lag p50/p99 during the measured seconds, from the difference of its
 * {@code nexus_sparkplug_mirror_lag_seconds} histogram before and after, interpolated in the buckets;</li>
 * <li>broker bytes per change: MQTT PUBLISH bytes (header and payload) of the NDATA over the changes they
 * carry;</li>
 * <li>one query over every mirrored tag on the host beside the same query over local tags on another
 * node, whole answer read, median and max of K runs after one untimed.</li>
 * </ul>
 * Nothing is asserted. {@link FederationOptions#USAGE} lists the options.
 *
 * <p>Run: {@code java -cp nexus.bench/target/benchmarks.jar nexus.bench.federation.FederationLoad --host URL --broker URL}
 */
public final class FederationLoad {

    static final String LAG_FAMILY = "nexus_sparkplug_mirror_lag_seconds";
    private static final long POLL_MS = 100;
    private static final long BIRTH_TIMEOUT_S = 600;
    /** A count unchanged this long, short of what the births name, is taken as final (some metrics not mirrored). */
    private static final long SETTLED_S = 20;

    private final FederationOptions options;
    private final PrintStream out;
    private final NodeHttp host;
    private final List<String> row = new ArrayList<>();

    FederationLoad(FederationOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.host = new NodeHttp(options.host());
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.print(FederationOptions.USAGE);
            return;
        }
        FederationOptions options;
        try {
            options = FederationOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("federation load: " + e.getMessage());
            System.err.print(FederationOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new FederationLoad(options, System.out).run());
    }

    /** @return the exit status: 0, or 1 when the host never mirrored the births */
    int run() throws IOException, InterruptedException, MqttException {
        String count = "SELECT count(*) AS n FROM tags WHERE path LIKE '" + options.mirroredLike().replace("'", "''") + "'";
        long before = host.number(count);
        if (before < 0) {
            out.println("the host at " + options.host() + " refused '" + count + "': is it up, and a host of group "
                    + options.group() + "?");
            return 1;
        }
        if (before > 0) {
            out.println("note: the host already mirrors " + before + " tags of " + options.mirroredLike()
                    + " (a fresh host home gives a clean birth-to-queryable figure)");
        }
        if (!(options.observe() ? observe(count) : play(count))) {
            return 1;
        }
        queries();
        if (options.row()) {
            out.println("| " + String.join(" | ", row) + " |");
        }
        return 0;
    }

    /** Watches real edge nodes; @return false when none was born or the host mirrored nothing */
    private boolean observe(String count) throws IOException, InterruptedException, MqttException {
        try (EdgeObserver observer = new EdgeObserver(options)) {
            out.printf(Locale.ROOT, "federation load: observing %d real edge nodes of group %s on %s%n",
                    options.nodes(), options.group(), options.broker());
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BIRTH_TIMEOUT_S);
            while (observer.born() < options.nodes() && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MS);
            }
            out.printf(Locale.ROOT, "%d NBIRTH seen, %d metrics a host mirrors%n", observer.born(), observer.mirrored());
            if (observer.born() == 0) {
                out.println("no edge node of group " + options.group() + " was born within " + BIRTH_TIMEOUT_S
                        + " s: are the edge nodes started, on this broker, with group.id = " + options.group() + "?");
                row.add("no births");
                return false;
            }
            if (!queryable(count, observer.firstBirthNanos(), observer::mirrored)) {
                return false;
            }
            measureData(observer.traffic(), () -> 0, () -> { });
            out.println("malformed payloads seen: " + observer.malformed());
            return true;
        }
    }

    /** Plays the synthetic edge nodes; @return false when the host mirrored nothing */
    private boolean play(String count) throws IOException, InterruptedException, MqttException {
        try (EdgeFleet fleet = new EdgeFleet(options)) {
            fleet.connect();
            out.printf(Locale.ROOT, "federation load: %d synthetic edge nodes x %d metrics, %d changes/s (%d per NDATA"
                    + " every %d ms per node) on %s%n", options.nodes(), options.metrics(), options.rate(),
                    options.changesPerData(), options.intervalMs(), options.broker());
            long start = System.nanoTime();
            long bytes = fleet.births();
            out.printf(Locale.ROOT, "births published in %.2f s (%,d MQTT bytes)%n", (System.nanoTime() - start) / 1e9,
                    bytes);
            long expected = (long) options.nodes() * options.metrics();
            if (!queryable(count, start, () -> expected)) {
                return false;
            }
            fleet.startData();
            measureData(fleet.traffic(), fleet::lateTicks, () -> {
                try {
                    fleet.stopData();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            out.println("publish failures: " + fleet.failures());
            return true;
        }
    }

    /** Polls the host's count until it holds what the births name; @return false when it never grew */
    private boolean queryable(String count, long startNanos, LongSupplier expected) throws IOException,
            InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BIRTH_TIMEOUT_S);
        long last = -1;
        long lastChange = System.nanoTime();
        long firstSeen = 0;
        long n;
        do {
            n = host.number(count);
            long now = System.nanoTime();
            if (n > 0 && firstSeen == 0) {
                firstSeen = now;
            }
            if (n != last) {
                last = n;
                lastChange = now;
            }
            if (n >= expected.getAsLong() && n > 0 || n > 0 && now - lastChange > TimeUnit.SECONDS.toNanos(SETTLED_S)) {
                break;
            }
            Thread.sleep(POLL_MS);
        } while (System.nanoTime() < deadline);
        if (n <= 0) {
            out.println("the host mirrored nothing in " + BIRTH_TIMEOUT_S + " s: see its log and GET /health");
            row.add("no births mirrored");
            return false;
        }
        double seconds = (lastChange - startNanos) / 1e9;
        out.printf(Locale.ROOT, "birth-to-queryable: %.2f s to %d of %d mirrored tags (first tags queryable after %.2f s)%s%n",
                seconds, n, expected.getAsLong(), (firstSeen - startNanos) / 1e9,
                n < expected.getAsLong() ? " - the count stopped short of the births" : "");
        row.add(String.format(Locale.ROOT, "%,d", n));
        row.add(String.format(Locale.ROOT, "%.1f s", seconds));
        return true;
    }

    /**
     * Warm-up, then the measured seconds: sent (or seen) changes, bytes per change, the host's lag histogram.
     * {@code stop} ends the data at the end of the measured seconds (real edges go on: their NDATA of the
     * next second are in the histogram too).
     */
    private void measureData(Traffic traffic, LongSupplier lateTicks, Runnable stop) throws IOException,
            InterruptedException {
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.warmup()));
        String metricsBefore = host.metrics();
        LagBuckets lagBefore = LagBuckets.parse(metricsBefore, LAG_FAMILY);
        Traffic.Counts start = traffic.now();
        long late = lateTicks.getAsLong();
        long t0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.seconds()));
        Traffic.Counts sent = traffic.now().minus(start);
        double seconds = (System.nanoTime() - t0) / 1e9;
        late = lateTicks.getAsLong() - late;
        stop.run();
        Thread.sleep(1000); // the last NDATA on their way reach the host's histogram
        String metricsAfter = host.metrics();
        LagBuckets lag = LagBuckets.parse(metricsAfter, LAG_FAMILY).since(lagBefore);
        long gaps = Math.round(gauge(metricsAfter, "nexus_sparkplug_gaps_total") - gauge(metricsBefore, "nexus_sparkplug_gaps_total"));
        out.printf(Locale.ROOT, "NDATA: %d messages, %d changes in %.1f s = %.0f changes/s; %d rounds sent late%n",
                sent.messages(), sent.changes(), seconds, sent.changes() / seconds, late);
        out.printf(Locale.ROOT, "broker bytes per change: %.1f (MQTT PUBLISH header + payload, %d bytes / %d changes)%n",
                sent.bytesPerChange(), sent.bytes(), sent.changes());
        if (lag.isEmpty()) {
            out.println("the host's /metrics has no " + LAG_FAMILY + " histogram: is its launcher built from this branch?");
        }
        out.printf(Locale.ROOT, "host lag (NDATA arrival after the mirror publish - payload timestamp), %d NDATA taken in:"
                + " p50 %s, p99 %s (interpolated in the histogram's buckets); host sequence gaps %d%n", lag.count(),
                ms(lag.quantile(0.5), lag), ms(lag.quantile(0.99), lag), gaps);
        row.add(String.format(Locale.ROOT, "%.0f", sent.changes() / seconds));
        row.add(ms(lag.quantile(0.5), lag));
        row.add(ms(lag.quantile(0.99), lag));
        row.add(String.format(Locale.ROOT, "%.1f", sent.bytesPerChange()));
        row.add(Long.toString(gaps));
    }

    /** Times the query over every mirrored tag on the host, and the same over local tags on another node. */
    private void queries() throws IOException, InterruptedException {
        String mirrored = "SELECT id FROM tags WHERE path LIKE '" + options.mirroredLike() + "'";
        row.add(timed("host, mirrored", host, mirrored));
        if (options.local() != null) {
            String local = "SELECT id FROM tags WHERE path LIKE '" + options.localLike().replace("'", "''") + "'";
            row.add(timed("local", new NodeHttp(options.local()), local));
        } else {
            row.add("-");
        }
    }

    private String timed(String what, NodeHttp node, String sql) throws IOException, InterruptedException {
        int limit = 100_000;
        NodeHttp.Timed first = node.timed(sql, limit);
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < options.queries(); i++) {
            nanos.add(node.timed(sql, limit).nanos());
        }
        Collections.sort(nanos);
        String figure = String.format(Locale.ROOT, "%.0f ms (max %.0f), %,d rows%s", nanos.get(nanos.size() / 2) / 1e6,
                nanos.get(nanos.size() - 1) / 1e6, first.rows(), first.truncated() ? " truncated" : "");
        out.printf(Locale.ROOT, "query %s on %s: '%s' limit %d: median %s of %d runs%n", what, node.base(), sql, limit,
                figure, nanos.size());
        return figure;
    }

    private static String ms(double seconds, LagBuckets lag) {
        if (Double.isNaN(seconds)) {
            return "-";
        }
        return seconds >= lag.highestBound() ? "> " + Math.round(lag.highestBound() * 1000) + " ms"
                : String.format(Locale.ROOT, "%.1f ms", seconds * 1000);
    }

    /** @return an unlabelled sample's value from {@code /metrics} text, 0 when absent */
    static double gauge(String metricsText, String name) {
        for (String line : metricsText.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }
}
