package nexus.core;

/** What makes an alarm active. */
public enum AlarmCondition {
    /** value &gt; limit (clears below limit − deadband) */
    HI,
    /** value &gt; limit, the higher of two high limits */
    HIHI,
    /** value &lt; limit (clears above limit + deadband) */
    LO,
    /** value &lt; limit, the lower of two low limits */
    LOLO,
    /** value = limit */
    EQ,
    /** value ≠ limit */
    NE,
    /** a BOOL tag is true */
    TRUE,
    /** a BOOL tag is false */
    FALSE;

    /** @return whether the condition compares against a numeric limit */
    public boolean hasLimit() {
        return this != TRUE && this != FALSE;
    }

    /** @return whether the condition is a high or low limit, where a deadband applies */
    public boolean isLimit() {
        return this == HI || this == HIHI || this == LO || this == LOLO;
    }
}
