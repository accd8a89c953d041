package nexus.alarm;

import java.util.Objects;

import nexus.core.AlarmCondition;
import nexus.core.Severity;

/**
 * An alarm's definition as the alarm manager serves it: what makes it active and how it behaves.
 * Immutable; built by the alarm manager once per definition of the registry version it serves, so
 * that front-ends read definitions without importing the registry. Where the alarm's flag byte
 * lives in RMA is the registry's business ({@code nexus.registry.AlarmDefinition#flags}).
 *
 * @param name             the unique name
 * @param condition        what makes it active
 * @param limit            the limit for conditions that have one (HI, HIHI, LO, LOLO, EQ, NE), else
 *                         {@code null}
 * @param deadband         how far back past the limit the value must go to clear (≥ 0, in the tag's
 *                         unit)
 * @param severity         the severity
 * @param requiresAck      whether an operator must acknowledge it
 * @param latching         whether it stays in alarm after the condition clears, until reset
 * @param onDelayMillis    how long the condition must hold before the alarm activates, ms
 * @param offDelayMillis   how long the condition must be gone before the alarm clears, ms
 * @param maxShelveSeconds the longest an operator may shelve it, s (0: shelving not allowed)
 * @param message          the operator message, or {@code null}
 * @since 2.0
 */
public record AlarmSpec(String name, AlarmCondition condition, Double limit, double deadband, Severity severity,
        boolean requiresAck, boolean latching, long onDelayMillis, long offDelayMillis, long maxShelveSeconds,
        String message) {

    public AlarmSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(severity, "severity");
    }
}
