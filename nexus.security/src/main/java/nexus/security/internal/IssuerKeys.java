package nexus.security.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import nexus.core.ErrorCode;
import nexus.core.Health;
import nexus.core.NexusException;

/**
 * The issuer's keys as last fetched from a {@link JwksSource}, kept fresh on a thread of their own
 * ({@value #THREAD}): fetched at start, again every refresh period, sooner (every
 * {@link #RETRY}) while fetching fails, and on request when a JWT names a key that is not held, at
 * most once every {@link #RETRY}. Requests never wait for a fetch: they see the keys held now.
 *
 * <p>A failed fetch keeps the keys held (the health entry is DEGRADED); while none are held (never
 * fetched, or every fetch failed) {@link #keys()} refuses and the health entry is DOWN.
 * Thread-safe.
 */
final class IssuerKeys implements AutoCloseable {

    static final String THREAD = "nexus-security-jwks";
    /** The least time between two fetches that requests cause, and the retry period while fetching fails. */
    static final Duration RETRY = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);

    /**
     * What was fetched and what failed, replaced as a whole.
     *
     * @param keys     the keys held, or {@code null} while none are
     * @param fetched  when they were fetched, or {@code null}
     * @param failure  why the last fetch failed, or {@code null} when it succeeded (or none was tried)
     * @param failedAt when it failed, or {@code null}
     * @param fetches  fetches tried since start
     */
    private record State(JWKSet keys, Instant fetched, String failure, Instant failedAt, long fetches) {
    }

    private final JwksSource source;
    private final Duration refresh;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile State state = new State(null, null, null, null, 0);
    private volatile Instant lastAttempt = Instant.MIN;

    IssuerKeys(JwksSource source, Duration refresh, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts fetching, on the keys' thread; returns at once. */
    void start() {
        submit(this::tick, Duration.ZERO);
    }

    /** @return whether keys are held now (fetched at least once) */
    boolean held() {
        return state.keys() != null;
    }

    /**
     * @return the keys held now
     * @throws NexusException UNAUTHENTICATED while none are held, saying why
     */
    JWKSet keys() {
        State now = state;
        if (now.keys() == null) {
            request();
            throw new NexusException(ErrorCode.UNAUTHENTICATED, "JWT refused: the issuer's keys (JWKS) cannot be"
                    + " fetched: " + (now.failure() == null ? "they are being fetched for the first time" : now.failure()));
        }
        return now.keys();
    }

    /**
     * Asks for a fetch soon, because a JWT names a key that is not held: the issuer may have rotated
     * its keys. Ignored within {@link #RETRY} of the last fetch, and while one is pending.
     */
    void request() {
        if (Duration.between(lastAttempt, clock.instant()).compareTo(RETRY) >= 0 && requested.compareAndSet(false, true)) {
            if (!submit(() -> {
                try {
                    if (Duration.between(lastAttempt, clock.instant()).compareTo(RETRY) >= 0) {
                        fetch();
                    }
                } finally {
                    requested.set(false);
                }
            }, Duration.ZERO)) {
                requested.set(false);
            }
        }
    }

    /**
     * Fetches the keys now, on the calling thread (the keys' own thread, or a test).
     *
     * @return whether the fetch succeeded
     */
    synchronized boolean fetch() {
        Instant started = clock.instant();
        lastAttempt = started;
        State before = state;
        try {
            JWKSet keys = source.load();
            state = new State(keys, started, null, null, before.fetches() + 1);
            List<String> kids = kids(keys);
            if (before.keys() == null || !kids.equals(kids(before.keys())) || before.failure() != null) {
                LOG.info("JWT keys fetched from {}: {}", source.describe(), kids);
            }
            return true;
        } catch (IOException e) {
            state = new State(before.keys(), before.fetched(), e.getMessage(), started, before.fetches() + 1);
            if (!e.getMessage().equals(before.failure())) {
                if (before.keys() == null) {
                    LOG.error("The issuer's keys (JWKS) cannot be fetched from {}: {}. Every JWT is refused until"
                            + " they are; check jwks.url or jwks.file in {}", source.describe(), e.getMessage(),
                            JwtSettings.FILE);
                } else {
                    LOG.warn("The issuer's keys (JWKS) cannot be fetched again from {}: {}. Keeping the keys"
                            + " fetched at {}", source.describe(), e.getMessage(), before.fetched());
                }
            }
            return false;
        } catch (RuntimeException e) {
            state = new State(before.keys(), before.fetched(), "unexpected failure (see the log)", started, before.fetches() + 1);
            LOG.error("Fetching the issuer's keys from {} failed unexpectedly", source.describe(), e);
            return false;
        }
    }

    /** @return UP with keys and no failure, DEGRADED with keys and a failed refresh, DOWN without keys */
    Health health() {
        State now = state;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("jwks", source.describe());
        data.put("keys", now.keys() == null ? List.of() : kids(now.keys()));
        if (now.fetched() != null) {
            data.put("fetched", now.fetched().toString());
        }
        if (now.failedAt() != null) {
            data.put("failed", now.failedAt().toString());
        }
        data.put("fetches", now.fetches());
        Health health;
        if (now.keys() == null) {
            health = Health.down("the issuer's keys (JWKS) cannot be fetched from " + source.describe() + ": "
                    + (now.failure() == null ? "not fetched yet" : now.failure()));
        } else if (now.failure() != null) {
            health = Health.degraded("the issuer's keys (JWKS) cannot be fetched again from " + source.describe()
                    + ": " + now.failure() + "; keeping the " + now.keys().size() + " fetched at " + now.fetched());
        } else {
            health = Health.up(now.keys().size() + " keys from " + source.describe() + ", fetched at " + now.fetched());
        }
        return health.withData(data);
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
            LOG.warn("The JWT keys' thread did not stop within 5 s (a fetch of {} is still running)", source.describe());
        }
    }

    private void tick() {
        boolean fetched = fetch();
        submit(this::tick, fetched || refresh.compareTo(RETRY) < 0 ? refresh : RETRY);
    }

    private boolean submit(Runnable task, Duration delay) {
        try {
            thread.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // closed
        }
    }

    private static List<String> kids(JWKSet keys) {
        return keys.getKeys().stream().map(IssuerKeys::kid).toList();
    }

    private static String kid(JWK key) {
        return key.getKeyID() == null ? "(no kid) " + key.getKeyType() : key.getKeyID();
    }
}
