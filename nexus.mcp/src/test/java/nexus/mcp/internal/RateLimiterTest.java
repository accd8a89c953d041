package nexus.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void anIdentityMayCallItsBurstAtOnceThenIsToldWhenToRetry() {
        RateLimiter limiter = new RateLimiter(60, 3);
        for (int i = 0; i < 3; i++) {
            limiter.take("s1", 0);
        }
        assertThatThrownBy(() -> limiter.take("s1", 0))
                .isInstanceOfSatisfying(NexusException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
                    assertThat(e.getMessage()).contains("retry in 1 s").contains("rate.per.minute");
                });
    }

    @Test
    void tokensComeBackAtTheSustainedRate() {
        RateLimiter limiter = new RateLimiter(60, 1);
        limiter.take("s1", 0);
        assertThatThrownBy(() -> limiter.take("s1", SECOND / 2)).isInstanceOf(NexusException.class);
        limiter.take("s1", 2 * SECOND);
    }

    @Test
    void identitiesHaveTheirOwnBuckets() {
        RateLimiter limiter = new RateLimiter(1, 1);
        limiter.take("s1", 0);
        limiter.take("s2", 0);
        assertThatThrownBy(() -> limiter.take("s1", 0)).isInstanceOf(NexusException.class);
    }

    @Test
    void aSlowRateSaysHowManySecondsToWait() {
        RateLimiter limiter = new RateLimiter(6, 1);
        limiter.take("s1", 0);
        assertThatThrownBy(() -> limiter.take("s1", 0))
                .isInstanceOfSatisfying(NexusException.class, e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(10)));
    }

    @Test
    void refusesALimitBelowOne() {
        assertThatThrownBy(() -> new RateLimiter(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
