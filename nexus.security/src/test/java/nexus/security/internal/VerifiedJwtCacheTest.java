package nexus.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

class VerifiedJwtCacheTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static VerifiedJwt until(Instant expires) {
        return new VerifiedJwt("alice", Set.of("operator"), expires);
    }

    @Test
    void keepsAJwtUntilItsExpiry() {
        VerifiedJwtCache cache = new VerifiedJwtCache(10);
        cache.put("a.b.c", until(NOW.plusSeconds(60)));

        assertThat(cache.get("a.b.c", NOW.plusSeconds(59))).contains(until(NOW.plusSeconds(60)));
        assertThat(cache.get("a.b.d", NOW)).isEmpty();
        assertThat(cache.get("a.b.c", NOW.plusSeconds(60))).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void dropsTheLeastRecentlyUsedBeyondItsBound() {
        VerifiedJwtCache cache = new VerifiedJwtCache(2);
        cache.put("one", until(NOW.plusSeconds(60)));
        cache.put("two", until(NOW.plusSeconds(60)));
        cache.get("one", NOW);
        cache.put("three", until(NOW.plusSeconds(60)));

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("two", NOW)).isEmpty();
        assertThat(cache.get("one", NOW)).isPresent();
        assertThat(cache.get("three", NOW)).isPresent();
    }

    @Test
    void keepsNothingWhenItsBoundIsZero() {
        VerifiedJwtCache cache = new VerifiedJwtCache(0);
        cache.put("one", until(NOW.plusSeconds(60)));

        assertThat(cache.get("one", NOW)).isEmpty();
    }
}
