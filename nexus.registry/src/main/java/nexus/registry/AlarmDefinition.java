package nexus.registry;

import java.util.Objects;

import nexus.core.AlarmCondition;
import nexus.core.Severity;
import nexus.rma.Allocation;

/**
 * An alarm definition (metadata only; the alarm's state lives in RMA and in memory).
 *
 * <p>An alarm watches a tag of the registry file, named by id, or a <em>contributed</em> tag (a
 * federation mirror's), named by path and resolved in each registry version: the version that has
 * no such tag, or one whose type the alarm cannot watch, is still served; the alarm's
 * {@link #tagProblem} says why it cannot be evaluated there, and the alarm manager shows it BAD
 * (since 2.3).
 *
 * @param id             the alarm's id
 * @param name           the unique name
 * @param tagId          the id of the tag the alarm watches in this version; -1 when a contributed
 *                       tag is not in it
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
 * @param tagPath        the watched tag's path; {@code null} only when a caller of the 2.2
 *                       constructor did not give it
 * @param contributed    whether the watched tag is a contributed one, named by path
 * @param tagProblem     {@code null} when the watched tag is in this version and the alarm can
 *                       watch it; else why the alarm cannot be evaluated in this version (only a
 *                       contributed tag's alarm has one: a file tag's problem makes the version invalid)
 */
public record AlarmDefinition(long id, String name, long tagId, AlarmCondition condition, Double limit,
        double deadband, Severity severity, boolean requiresAck, boolean latching, long onDelayMillis,
        long offDelayMillis, long maxShelveSeconds, String message, Allocation flags, String tagPath,
        boolean contributed, String tagProblem) {

    /** The id {@link #tagId} has when the version has no tag for a contributed alarm. */
    public static final long NO_TAG = -1;

    public AlarmDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(flags, "flags");
        if (contributed && tagPath == null) {
            throw new IllegalArgumentException("alarm " + name + " watches a contributed tag: it needs the tag's path");
        }
        if (!contributed && tagProblem != null) {
            throw new IllegalArgumentException("alarm " + name + " watches a tag of the registry file: a problem with it"
                    + " makes the version invalid, it is not the alarm's to carry");
        }
    }

    /** An alarm on a tag of the registry file, as in 2.2 (no path given). */
    public AlarmDefinition(long id, String name, long tagId, AlarmCondition condition, Double limit, double deadband,
            Severity severity, boolean requiresAck, boolean latching, long onDelayMillis, long offDelayMillis,
            long maxShelveSeconds, String message, Allocation flags) {
        this(id, name, tagId, condition, limit, deadband, severity, requiresAck, latching, onDelayMillis, offDelayMillis,
                maxShelveSeconds, message, flags, null, false, null);
    }

    /**
     * Why an alarm that is not {@link #resolved()} cannot be evaluated, as a type: its contributed tag
     * is absent from this version (the alarm manager shows it {@code BAD_NOT_IN_REGISTRY}), rather
     * than present with a type the alarm cannot watch ({@code BAD_CONFIGURATION}). {@link #tagProblem}
     * says it in words either way. Derived from the components, so it adds none (since 2.3).
     *
     * @return whether the alarm watches a contributed tag that this version does not have
     */
    public boolean tagAbsent() {
        return contributed && tagId == NO_TAG;
    }

    /** @return whether the alarm can be evaluated in this version: its tag is there and fits it */
    public boolean resolved() {
        return tagProblem == null && tagId != NO_TAG;
    }
}
