package nexus.security.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * JWTs verified already, until they expire, so that a JWT's signature is checked once and not on
 * every request. Kept by the SHA-256 of the JWT's text (the cache holds no JWT); at most
 * {@code max} entries, the least recently used going first. Refused JWTs are never put here.
 * Thread-safe.
 */
final class VerifiedJwtCache {

    private final int max;
    private final LinkedHashMap<String, VerifiedJwt> entries;

    /** @param max how many JWTs are kept; 0 keeps none */
    VerifiedJwtCache(int max) {
        this.max = max;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VerifiedJwt> eldest) {
                return size() > VerifiedJwtCache.this.max;
            }
        };
    }

    /** @return what this JWT was verified as, while it has not expired at {@code now} */
    Optional<VerifiedJwt> get(String jwt, Instant now) {
        String key = key(jwt);
        synchronized (entries) {
            VerifiedJwt verified = entries.get(key);
            if (verified != null && !now.isBefore(verified.expires())) {
                entries.remove(key);
                return Optional.empty();
            }
            return Optional.ofNullable(verified);
        }
    }

    /** Keeps a verified JWT until its expiry. */
    void put(String jwt, VerifiedJwt verified) {
        if (max == 0) {
            return;
        }
        String key = key(jwt);
        synchronized (entries) {
            entries.put(key, verified);
        }
    }

    /** @return how many JWTs are kept now, expired ones not yet dropped included */
    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private static String key(String jwt) {
        return Secrets.sha256Hex(jwt);
    }
}
