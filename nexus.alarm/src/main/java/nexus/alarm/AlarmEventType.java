package nexus.alarm;

/** What happened to an alarm. */
public enum AlarmEventType {
    /** The condition became present (after the on-delay): a new occurrence, or a re-alarm. */
    ACTIVATED,
    /** The condition cleared (after the off-delay, outside the deadband); a latching alarm stays latched. */
    CLEARED,
    /** An operator acknowledged it. */
    ACKNOWLEDGED,
    /** An operator reset a latched alarm whose condition had cleared. */
    RESET,
    /** An operator shelved it, for a time or one-shot. */
    SHELVED,
    /** The shelve ended: by an operator, when its time ran out, or (one-shot) when the condition cleared. */
    UNSHELVED,
    /** Suppressed by design. */
    SUPPRESSED,
    /** No longer suppressed. */
    UNSUPPRESSED,
    /** Removed from service. */
    REMOVED_FROM_SERVICE,
    /** Returned to service. */
    RETURNED_TO_SERVICE,
    /** Enabled. */
    ENABLED,
    /** Disabled. */
    DISABLED,
    /**
     * An alarm that is enabled and in service stopped being evaluated, or is evaluated again: its
     * tag's quality went from GOOD to another, back to GOOD, or from one quality that is not GOOD to
     * another ({@link Alarm#quality()}). The state does not change ({@code before == after}); the
     * value is the last one known; the comment is the new quality and why, e.g.
     * {@code "BAD_NOT_IN_REGISTRY: tag … is not in registry version 7 …"} or
     * {@code "GOOD: evaluated again"}. Kind {@link AlarmEvent.Kind#ALARM}. An alarm whose tag is GOOD
     * at its first scan has none.
     *
     * @since 3.2
     */
    QUALITY_CHANGED
}
