package nexus.core;

import java.util.Objects;

/**
 * The state of one component at one moment.
 *
 * @param status UP or DOWN
 * @param detail a short sentence for an operator: what is up, or why it is down; never {@code null}
 */
public record Health(HealthStatus status, String detail) {

    public Health {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }

    /** @return an UP health with the given detail */
    public static Health up(String detail) {
        return new Health(HealthStatus.UP, detail);
    }

    /** @return a DOWN health with the given reason */
    public static Health down(String reason) {
        return new Health(HealthStatus.DOWN, reason);
    }
}
