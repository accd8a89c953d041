package nexus.api.http.internal;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Component;

/**
 * The API's own metrics, kept in memory and rendered in the Prometheus text format: requests by
 * route, method and status; request latency histograms by route; query rows, blocks and bytes.
 * Thread-safe and cheap to update (adders).
 */
@Component(service = Metrics.class)
public final class Metrics {

    /** Latency bucket bounds, seconds. */
    static final double[] BUCKETS = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 };

    private record RequestKey(String route, String method, int status) {
    }

    private static final class Histogram {
        final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
        final LongAdder count = new LongAdder();
        final AtomicLong sumNanos = new AtomicLong();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(long nanos) {
            double seconds = nanos / 1e9;
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            counts[i].increment();
            count.increment();
            sumNanos.addAndGet(nanos);
        }
    }

    private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final LongAdder queries = new LongAdder();
    private final LongAdder queryRows = new LongAdder();
    private final LongAdder queryBlocks = new LongAdder();
    private final LongAdder queryBytes = new LongAdder();

    void request(String route, String method, int status, long nanos) {
        // A method is any token a client sends: only the standard ones get series of their own.
        String known = switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE" -> method;
            default -> "OTHER";
        };
        requests.computeIfAbsent(new RequestKey(route, known, status), k -> new LongAdder()).increment();
        latency.computeIfAbsent(route, k -> new Histogram()).observe(nanos);
    }

    void query(int rows, int blocks, long bytes) {
        queries.increment();
        queryRows.add(rows);
        queryBlocks.add(blocks);
        queryBytes.add(bytes);
    }

    /** Appends the API's metrics to a Prometheus text exposition. */
    void render(StringBuilder out) {
        header(out, "nexus_http_requests_total", "counter", "HTTP requests answered, by route, method and status.");
        new TreeMap<String, Long>(requests.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                e -> "{route=\"" + escape(e.getKey().route()) + "\",method=\"" + e.getKey().method() + "\",status=\""
                        + e.getKey().status() + "\"}", e -> e.getValue().sum())))
                .forEach((labels, value) -> out.append("nexus_http_requests_total").append(labels).append(' ').append(value).append('\n'));
        header(out, "nexus_http_request_duration_seconds", "histogram", "HTTP request latency, by route.");
        new TreeMap<>(latency).forEach((route, h) -> {
            long cumulative = 0;
            String label = "route=\"" + escape(route) + "\"";
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += h.counts[i].sum();
                out.append("nexus_http_request_duration_seconds_bucket{").append(label).append(",le=\"")
                        .append(number(BUCKETS[i])).append("\"} ").append(cumulative).append('\n');
            }
            cumulative += h.counts[BUCKETS.length].sum();
            out.append("nexus_http_request_duration_seconds_bucket{").append(label).append(",le=\"+Inf\"} ").append(cumulative).append('\n');
            out.append("nexus_http_request_duration_seconds_sum{").append(label).append("} ").append(number(h.sumNanos.get() / 1e9)).append('\n');
            out.append("nexus_http_request_duration_seconds_count{").append(label).append("} ").append(cumulative).append('\n');
        });
        counter(out, "nexus_queries_total", "Queries run through the HTTP API.", queries.sum());
        counter(out, "nexus_query_rows_total", "Rows returned by queries.", queryRows.sum());
        counter(out, "nexus_query_blocks_total", "RMA block reads done for queries.", queryBlocks.sum());
        counter(out, "nexus_query_read_bytes_total", "Bytes read from RMA for queries.", queryBytes.sum());
    }

    static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    static void counter(StringBuilder out, String name, String help, long value) {
        header(out, name, "counter", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    static void gauge(StringBuilder out, String name, String help, double value) {
        header(out, name, "gauge", help);
        out.append(name).append(' ').append(number(value)).append('\n');
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }

    static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
