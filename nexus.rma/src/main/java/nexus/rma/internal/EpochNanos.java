package nexus.rma.internal;

import java.time.Instant;

/** The wall-clock time in nanoseconds since the Unix epoch (microsecond resolution on Linux). */
final class EpochNanos {

    private EpochNanos() {
    }

    static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
