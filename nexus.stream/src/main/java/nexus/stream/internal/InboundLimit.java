package nexus.stream.internal;

/**
 * The inbound rate limit of one connection, a token bucket: {@code rate} messages per second, and up
 * to {@code burst} at once. Thread-safe.
 */
final class InboundLimit {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    InboundLimit(int rate, int burst, long nowNanos) {
        this.perNano = rate / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** @return whether one more message is allowed now (and takes its token) */
    synchronized boolean take(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
