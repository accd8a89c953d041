package nexus.loki.internal;

import java.util.SplittableRandom;

/**
 * Exponential backoff with jitter: attempt n waits a random time between half and all of
 * min·2ⁿ, capped at max, so that nodes that failed together do not retry together. Not thread-safe.
 */
final class Backoff {

    private final long min;
    private final long max;
    private final SplittableRandom random;
    private int attempt;

    Backoff(long minMillis, long maxMillis, long seed) {
        this.min = minMillis;
        this.max = maxMillis;
        this.random = new SplittableRandom(seed);
    }

    /** @return how long to wait before the next attempt, ms */
    long next() {
        long cap = attempt >= 62 || min > (max >> attempt) ? max : Math.min(max, min << attempt);
        attempt++;
        long half = cap / 2;
        return half + random.nextLong(cap - half + 1);
    }

    void reset() {
        attempt = 0;
    }

    int attempts() {
        return attempt;
    }
}
