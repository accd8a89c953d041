package nexus.api.http.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Component;

import nexus.core.MetricFamily;
import nexus.core.MetricsSource;

/**
 * The figures the HTTP layer owns, kept in memory and reported through the {@link MetricsSource}
 * whiteboard like any other bundle's: requests by route, method and status; request latency
 * histograms by route. Query figures are the query bundle's (counted for every caller, not only
 * HTTP). Thread-safe and cheap to update (adders).
 */
@Component(service = { Metrics.class, MetricsSource.class })
public final class Metrics implements MetricsSource {

    /** Latency bucket bounds, seconds. */
    static final double[] BUCKETS = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 };

    private static final Comparator<RequestKey> ORDER = Comparator.comparing(RequestKey::route)
            .thenComparing(RequestKey::method).thenComparingInt(RequestKey::status);

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

    void request(String route, String method, int status, long nanos) {
        // A method is any token a client sends: only the standard ones get series of their own.
        String known = switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE" -> method;
            default -> "OTHER";
        };
        requests.computeIfAbsent(new RequestKey(route, known, status), k -> new LongAdder()).increment();
        latency.computeIfAbsent(route, k -> new Histogram()).observe(nanos);
    }

    @Override
    public List<MetricFamily> metrics() {
        return List.of(requests(), latency());
    }

    private MetricFamily requests() {
        TreeMap<RequestKey, LongAdder> sorted = new TreeMap<>(ORDER);
        sorted.putAll(requests);
        List<MetricFamily.Sample> samples = new ArrayList<>(sorted.size());
        sorted.forEach((key, count) -> {
            Map<String, String> labels = new LinkedHashMap<>(4);
            labels.put("route", key.route());
            labels.put("method", key.method());
            labels.put("status", Integer.toString(key.status()));
            samples.add(MetricFamily.Sample.of(labels, count.sum()));
        });
        return new MetricFamily("nexus_http_requests_total", MetricFamily.Type.COUNTER,
                "HTTP requests answered, by route, method and status.", samples);
    }

    private MetricFamily latency() {
        List<MetricFamily.Sample> samples = new ArrayList<>();
        new TreeMap<>(latency).forEach((route, h) -> {
            long cumulative = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += h.counts[i].sum();
                Map<String, String> labels = new LinkedHashMap<>(4);
                labels.put("route", route);
                labels.put("le", i < BUCKETS.length ? PrometheusText.number(BUCKETS[i]) : "+Inf");
                samples.add(new MetricFamily.Sample("_bucket", labels, cumulative));
            }
            Map<String, String> route1 = Map.of("route", route);
            samples.add(new MetricFamily.Sample("_sum", route1, h.sumNanos.get() / 1e9));
            samples.add(new MetricFamily.Sample("_count", route1, cumulative));
        });
        return new MetricFamily("nexus_http_request_duration_seconds", MetricFamily.Type.HISTOGRAM,
                "HTTP request latency, by route.", samples);
    }

    /**
     * A number as {@code /metrics} writes it (integral values without a fraction); error texts use
     * it for engineering ranges.
     */
    static String number(double value) {
        return PrometheusText.number(value);
    }
}
