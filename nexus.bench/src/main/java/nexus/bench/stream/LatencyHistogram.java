package nexus.bench.stream;

/**
 * Latencies in fixed buckets: 0.1 ms wide up to 100 ms, 1 ms wide up to 1 s, 100 ms wide up to 60 s,
 * and one bucket above (2,491 counters, 20 KB: one per client at a thousand clients is affordable).
 * A percentile answers its bucket's upper edge, so it is at most 0.1 ms high below 100 ms; the
 * maximum is kept exactly. Not thread-safe: each client owns one, and they are merged at the end.
 * Public for the other load runs of this module (nexus.bench.readpath).
 */
public final class LatencyHistogram {

    /** Bucket widths in nanoseconds, and where each width ends. */
    private static final long[] WIDTH = { 100_000, 1_000_000, 100_000_000 };
    private static final long[] END = { 100_000_000, 1_000_000_000, 60_000_000_000L };
    private static final int[] FIRST = new int[WIDTH.length + 1];

    static {
        long start = 0;
        for (int tier = 0; tier < WIDTH.length; tier++) {
            FIRST[tier + 1] = FIRST[tier] + (int) ((END[tier] - start) / WIDTH[tier]);
            start = END[tier];
        }
    }

    private final long[] counts = new long[FIRST[WIDTH.length] + 1];
    private long total;
    private long max;

    /** Adds one latency; a negative one (the clocks of a value's writer and its reader disagree) counts as 0. */
    public void record(long nanos) {
        long value = Math.max(0, nanos);
        counts[bucket(value)]++;
        total++;
        max = Math.max(max, value);
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    public long count() {
        return total;
    }

    public long maxNanos() {
        return max;
    }

    /**
     * @param fraction 0.5 for the median, 0.99 for p99
     * @return the upper edge of the bucket holding that rank (never above the maximum); 0 when
     *         nothing was recorded
     */
    public long percentileNanos(double fraction) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, upperEdge(i));
            }
        }
        return max;
    }

    static int bucket(long nanos) {
        long start = 0;
        for (int tier = 0; tier < WIDTH.length; tier++) {
            if (nanos < END[tier]) {
                return FIRST[tier] + (int) ((nanos - start) / WIDTH[tier]);
            }
            start = END[tier];
        }
        return FIRST[WIDTH.length];
    }

    static long upperEdge(int bucket) {
        long start = 0;
        for (int tier = 0; tier < WIDTH.length; tier++) {
            if (bucket < FIRST[tier + 1]) {
                return start + (bucket - FIRST[tier] + 1) * WIDTH[tier];
            }
            start = END[tier];
        }
        return Long.MAX_VALUE;
    }
}
