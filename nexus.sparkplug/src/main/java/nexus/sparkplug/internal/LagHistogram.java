package nexus.sparkplug.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import nexus.core.MetricFamily;

/**
 * How far behind the host's mirror is, per NDATA taken in: its arrival (after the memory publish) minus
 * the payload's timestamp, in fixed buckets from 1 ms to 10 s, as a Prometheus histogram.
 *
 * <p>The payload timestamp is the edge's clock, so the figure includes clock skew; a negative lag (an edge
 * clock ahead of ours) is counted as 0. Thread-safe and allocation-free per {@link #record}: one bucket
 * counter and one sum, no lock; a scrape may see a count one record ahead of its sum.
 */
final class LagHistogram {

    /** Upper bounds of the buckets, ms (the {@code le} labels are these in seconds); {@code +Inf} follows. */
    private static final long[] BOUNDS_MS = { 1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000 };

    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS_MS.length + 1);
    private final LongAdder sumMillis = new LongAdder();

    /** Counts one lag, ms (a negative one as 0). */
    void record(long lagMillis) {
        long lag = Math.max(0, lagMillis);
        int b = 0;
        while (b < BOUNDS_MS.length && lag > BOUNDS_MS[b]) {
            b++;
        }
        buckets.incrementAndGet(b);
        sumMillis.add(lag);
    }

    /** @return the lags recorded so far */
    long count() {
        long count = 0;
        for (int b = 0; b < buckets.length(); b++) {
            count += buckets.get(b);
        }
        return count;
    }

    /** @return the family {@code name}: cumulative {@code _bucket} samples with {@code le} in seconds, {@code _sum}, {@code _count} */
    MetricFamily family(String name, String help) {
        List<MetricFamily.Sample> samples = new ArrayList<>(BOUNDS_MS.length + 3);
        long cumulative = 0;
        for (int b = 0; b <= BOUNDS_MS.length; b++) {
            cumulative += buckets.get(b);
            Map<String, String> le = new LinkedHashMap<>();
            le.put("le", b < BOUNDS_MS.length ? seconds(BOUNDS_MS[b]) : "+Inf");
            samples.add(new MetricFamily.Sample("_bucket", le, cumulative));
        }
        samples.add(new MetricFamily.Sample("_sum", Map.of(), sumMillis.sum() / 1000.0));
        samples.add(new MetricFamily.Sample("_count", Map.of(), cumulative));
        return new MetricFamily(name, MetricFamily.Type.HISTOGRAM, help, samples);
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }
}
