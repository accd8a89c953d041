package nexus.security.internal;

import java.time.Duration;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The checked form of {@link SecurityConfig}.
 *
 * @param anonymousRole the role of a request without credentials outside open mode; empty for none
 * @param limits        when failures slow an address down
 * @param ticketTtl     how long a ticket is valid
 * @param ticketsMax    the most tickets waiting
 */
record SecuritySettings(String anonymousRole, FailureThrottle.Limits limits, Duration ticketTtl, int ticketsMax) {

    static final SecuritySettings DEFAULTS = new SecuritySettings("",
            new FailureThrottle.Limits(10, Duration.ofSeconds(60), 10_000), Duration.ofSeconds(30), 10_000);

    /**
     * @throws NexusException INVALID_ARGUMENT naming the key, its value and the allowed range
     */
    static SecuritySettings of(SecurityConfig config) {
        String role = config.anonymous_role() == null ? "" : config.anonymous_role().strip();
        int max = range("failures.max", config.failures_max(), 1, 1_000_000);
        int window = range("failures.window.s", config.failures_window_s(), 1, 86_400);
        int addresses = range("failures.addresses", config.failures_addresses(), 1, 1_000_000);
        int ttl = range("tickets.ttl.s", config.tickets_ttl_s(), 1, 300);
        int tickets = range("tickets.max", config.tickets_max(), 1, 1_000_000);
        return new SecuritySettings(role, new FailureThrottle.Limits(max, Duration.ofSeconds(window), addresses),
                Duration.ofSeconds(ttl), tickets);
    }

    private static int range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, key + " = " + value + " is out of range: use " + min
                    + " to " + max);
        }
        return value;
    }
}
