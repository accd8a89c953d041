package nexus.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class FailureThrottleTest {

    private static final FailureThrottle.Limits LIMITS = new FailureThrottle.Limits(3, Duration.ofSeconds(60), 2);
    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

    private final FailureThrottle throttle = new FailureThrottle();

    @Test
    void blocksAnAddressAfterMaxFailuresUntilItsWindowEnds() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.blocked("10.0.0.1", T0.plusSeconds(i), LIMITS)).isEmpty();
            throttle.failed("10.0.0.1", T0.plusSeconds(i), LIMITS);
        }

        assertThat(throttle.blocked("10.0.0.1", T0.plusSeconds(10), LIMITS)).contains(Duration.ofSeconds(50));
        assertThat(throttle.blocked("10.0.0.1", T0.plusMillis(59_500), LIMITS)).contains(Duration.ofSeconds(1));
        assertThat(throttle.blocked("10.0.0.2", T0.plusSeconds(10), LIMITS)).isEmpty();
        assertThat(throttle.blocked("10.0.0.1", T0.plusSeconds(60), LIMITS)).isEmpty();
    }

    @Test
    void failuresInAnEarlierWindowDoNotCount() {
        throttle.failed("10.0.0.1", T0, LIMITS);
        throttle.failed("10.0.0.1", T0.plusSeconds(1), LIMITS);

        assertThat(throttle.failed("10.0.0.1", T0.plusSeconds(61), LIMITS)).isEqualTo(1);
        assertThat(throttle.blocked("10.0.0.1", T0.plusSeconds(62), LIMITS)).isEmpty();
    }

    @Test
    void forgetsTheOldestAddressBeyondItsBound() {
        throttle.failed("10.0.0.1", T0, LIMITS);
        throttle.failed("10.0.0.2", T0.plusSeconds(1), LIMITS);
        throttle.failed("10.0.0.3", T0.plusSeconds(2), LIMITS);

        assertThat(throttle.size()).isEqualTo(2);
        assertThat(throttle.failed("10.0.0.1", T0.plusSeconds(3), LIMITS)).isEqualTo(1);
        assertThat(throttle.failed("10.0.0.3", T0.plusSeconds(3), LIMITS)).isEqualTo(2);
    }
}
