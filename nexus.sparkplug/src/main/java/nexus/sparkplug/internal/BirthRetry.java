package nexus.sparkplug.internal;

/**
 * When a birth that failed is tried again, counted in publish intervals (ticks): 1, 2, 4 … ticks
 * after the failures in a row, at most every 30 s. A namespace too large to publish, or a registry
 * that is missing, is then not listed again every publish interval. Not thread-safe: the
 * Sparkplug thread owns it.
 */
final class BirthRetry {

    /** The longest wait between two tries, ms. */
    static final long MAX_MS = 30_000;

    private final long mostTicks;
    private long ticks;
    private long dueAt;
    private int failures;

    /** @param intervalMs the publish interval, ms */
    BirthRetry(int intervalMs) {
        this.mostTicks = Math.max(1, MAX_MS / Math.max(1, intervalMs));
    }

    /** One publish interval passed. */
    void tick() {
        ticks++;
    }

    /** @return whether a birth may be tried at this tick */
    boolean due() {
        return ticks >= dueAt;
    }

    /** A birth failed: the next try waits twice as long as the last wait. */
    void failed() {
        dueAt = ticks + Math.min(1L << Math.min(failures, 20), mostTicks);
        failures++;
    }

    /** A birth succeeded, or a new session starts: the next failure is tried again at the next tick. */
    void reset() {
        failures = 0;
        dueAt = 0;
    }
}
