package nexus.alarm.internal;

/**
 * Counts activations over a sliding window in one-second buckets: constant memory and constant
 * cost per activation, however large a storm. Not thread-safe (the engine's lock guards it).
 */
final class ActivationWindow {

    private final int seconds;
    private final int[] counts;
    private final long[] bucketSecond;

    /** @param seconds the window's length */
    ActivationWindow(int seconds) {
        this.seconds = seconds;
        this.counts = new int[seconds];
        this.bucketSecond = new long[seconds];
        java.util.Arrays.fill(bucketSecond, Long.MIN_VALUE);
    }

    void record(long nowMillis, int activations) {
        long second = Math.floorDiv(nowMillis, 1000);
        int bucket = (int) Math.floorMod(second, (long) seconds);
        if (bucketSecond[bucket] != second) {
            bucketSecond[bucket] = second;
            counts[bucket] = 0;
        }
        counts[bucket] += activations;
    }

    /** @return the activations in the window that ends now */
    int count(long nowMillis) {
        long second = Math.floorDiv(nowMillis, 1000);
        int total = 0;
        for (int b = 0; b < seconds; b++) {
            if (bucketSecond[b] > second - seconds && bucketSecond[b] <= second) {
                total += counts[b];
            }
        }
        return total;
    }
}
