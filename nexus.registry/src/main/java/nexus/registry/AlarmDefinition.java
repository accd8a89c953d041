package nexus.registry;

import java.util.Objects;

import nexus.core.AlarmCondition;
import nexus.core.Severity;
import nexus.rma.Allocation;

/**
 * An alarm definition (metadata only; the alarm's state lives in RMA and in memory).
 *
 * @param id             the alarm's id
 * @param name           the unique name
 * @param tagId          the id of the tag the alarm watches
 * @param condition      what makes it active
 * @param limit          the limit for conditions that have one, else {@code null}
 * @param deadband       how far back past the limit the value must go to clear (≥ 0)
 * @param severity       the severity
 * @param requiresAck    whether an operator must acknowledge it
 * @param latching       whether it stays active until reset after the condition clears
 * @param onDelayMillis  how long the condition must hold before the alarm activates
 * @param offDelayMillis how long the condition must be gone before the alarm clears
 * @param maxShelveSeconds the longest an operator may shelve it (0: shelving not allowed)
 * @param message        the operator message, or {@code null}
 * @param flags          the alarm's flag byte in the alarm bank
 */
public record AlarmDefinition(long id, String name, long tagId, AlarmCondition condition, Double limit,
        double deadband, Severity severity, boolean requiresAck, boolean latching, long onDelayMillis,
        long offDelayMillis, long maxShelveSeconds, String message, Allocation flags) {

    public AlarmDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(flags, "flags");
    }
}
