package nexus.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until the test moves it. */
final class SteppedClock extends Clock {

    private volatile Instant now;

    SteppedClock() {
        this(Instant.parse("2026-12-06T12:00:00Z"));
    }

    /** A clock that starts at this instant (JWTs signed with real times need a real start). */
    SteppedClock(Instant start) {
        this.now = start;
    }

    void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
