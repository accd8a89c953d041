package nexus.alarm;

/**
 * The ISA-18.2 alarm states, derived from the flags by {@link AlarmFlags#state(int)}. The letters
 * are those of the ISA-18.2 state diagram.
 */
public enum AlarmState {
    /** A: the condition is absent and nothing waits for an operator. */
    NORMAL,
    /** B: in alarm, not acknowledged. */
    UNACK_ALARM,
    /** C: in alarm, acknowledged. */
    ACKED_ALARM,
    /** D: the condition returned to normal before anyone acknowledged it. */
    RTN_UNACK,
    /** E: an operator shelved it; it is evaluated but not annunciated until unshelved. */
    SHELVED,
    /** F: suppressed by design (plant state logic); evaluated but not annunciated. */
    SUPPRESSED,
    /** G: removed from service for maintenance, or disabled; not evaluated. */
    OUT_OF_SERVICE;

    /** @return whether the state waits for an acknowledgement (UNACK_ALARM or RTN_UNACK) */
    public boolean unacknowledged() {
        return this == UNACK_ALARM || this == RTN_UNACK;
    }
}
