package nexus.mcp.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * A token bucket per identity (user name): {@code burst} calls at once, refilled at {@code perMinute}
 * a minute, whatever the connections or clients the identity uses (a bucket per connection would let
 * an agent escape by opening new ones). Over the limit a call is refused {@code OVERLOADED} with the
 * seconds until a token is back, which the agent sees as a tool error. At most {@value #IDENTITIES}
 * identities are tracked (the least recently used is forgotten: it starts again with a full bucket,
 * never with more). Time is passed in (nanoseconds, monotonic). Thread-safe.
 */
final class RateLimiter {

    static final int IDENTITIES = 10_000;

    private final int burst;
    private final double perNano;
    private final Map<String, double[]> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
            return size() > IDENTITIES;
        }
    };
    /** Per bucket: [tokens, last refill in nanos]. */

    /**
     * @param perMinute calls a minute, sustained (at least 1)
     * @param burst     calls at once (at least 1)
     */
    RateLimiter(int perMinute, int burst) {
        if (perMinute < 1 || burst < 1) {
            throw new IllegalArgumentException("rate.per.minute and rate.burst are at least 1; got " + perMinute + " and " + burst);
        }
        this.burst = burst;
        this.perNano = perMinute / 60e9;
    }

    /**
     * Takes a token for one call of the identity.
     *
     * @throws NexusException OVERLOADED with a retry hint when the identity has none left
     */
    synchronized void take(String identity, long nowNanos) {
        double[] bucket = buckets.computeIfAbsent(identity, s -> new double[] {burst, nowNanos});
        double tokens = Math.min(burst, bucket[0] + (nowNanos - (long) bucket[1]) * perNano);
        bucket[1] = nowNanos;
        if (tokens >= 1) {
            bucket[0] = tokens - 1;
            return;
        }
        bucket[0] = tokens;
        long seconds = Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
        throw new Limited("this identity called tools faster than " + Math.round(perNano * 60e9)
                + " a minute (burst " + burst + ", rate.per.minute and rate.burst in etc/nexus.mcp.cfg): retry in " + seconds
                + " s", Duration.ofSeconds(seconds));
    }

    /**
     * A refusal by this limit (OVERLOADED, as the node's other overloads, which are not this one: the
     * audit counts these, and only these, instead of recording each).
     */
    static final class Limited extends NexusException {
        private static final long serialVersionUID = 1L;

        Limited(String message, Duration retryAfter) {
            super(ErrorCode.OVERLOADED, message, retryAfter);
        }
    }
}
