package nexus.stream.internal;

import java.time.Instant;

/**
 * The engine's time: a monotonic clock for intervals (rates, stalls, heartbeats) and the wall clock
 * for the times messages carry. Injected so that tests drive time by hand instead of sleeping.
 */
interface Ticker {

    /** The system's clocks. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }
    };

    /** @return a monotonic time in nanoseconds, as {@link System#nanoTime()} */
    long nanos();

    /** @return the wall-clock time now */
    Instant now();
}
