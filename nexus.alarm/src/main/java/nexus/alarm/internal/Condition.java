package nexus.alarm.internal;

import nexus.core.AlarmCondition;

/**
 * What a value says about an alarm's condition: present, absent, inside the deadband (no change:
 * the alarm keeps what it is), or unknown (NaN, or the value could not be read: no change either).
 */
final class Condition {

    static final int ABSENT = 0;
    static final int PRESENT = 1;
    static final int DEADBAND = 2;
    static final int UNKNOWN = 3;

    private Condition() {
    }

    /**
     * HI/HIHI: present above the limit, absent at or below limit − deadband; LO/LOLO the mirror
     * image; EQ/NE compare with the limit; TRUE/FALSE test a BOOL (value 1 or 0).
     *
     * @param clearLimit limit − deadband for HI/HIHI, limit + deadband for LO/LOLO
     */
    static int evaluate(AlarmCondition condition, double limit, double clearLimit, double value) {
        if (Double.isNaN(value)) {
            return UNKNOWN;
        }
        return switch (condition) {
            case HI, HIHI -> value > limit ? PRESENT : value <= clearLimit ? ABSENT : DEADBAND;
            case LO, LOLO -> value < limit ? PRESENT : value >= clearLimit ? ABSENT : DEADBAND;
            case EQ -> value == limit ? PRESENT : ABSENT;
            case NE -> value != limit ? PRESENT : ABSENT;
            case TRUE -> value != 0 ? PRESENT : ABSENT;
            case FALSE -> value == 0 ? PRESENT : ABSENT;
        };
    }
}
