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
    DISABLED
}
