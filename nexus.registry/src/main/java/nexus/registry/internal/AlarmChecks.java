package nexus.registry.internal;

import nexus.core.AlarmCondition;
import nexus.registry.AlarmDefinition;
import nexus.rma.RmaType;

/** The consistency rules of an alarm definition against itself and its tag's type. */
final class AlarmChecks {

    private AlarmChecks() {
    }

    /**
     * @param tagType the watched tag's type, or null when it is not known (a contributed tag, before a
     *                version has it): then only what does not depend on the type is checked
     * @return what is inconsistent, or null when the definition is consistent
     */
    static String inconsistency(AlarmDefinition alarm, RmaType tagType) {
        String name = "alarm " + alarm.name();
        AlarmCondition condition = alarm.condition();
        if (tagType == null) {
            return untyped(alarm, name, condition);
        }
        if (tagType == RmaType.STRING) {
            return name + " watches a STRING tag: alarms watch numbers and BOOLs";
        }
        if (tagType == RmaType.BOOL && condition != AlarmCondition.TRUE && condition != AlarmCondition.FALSE) {
            return name + " watches a BOOL tag with " + condition + ": use TRUE or FALSE";
        }
        if (tagType != RmaType.BOOL && !condition.hasLimit()) {
            return name + " uses " + condition + " on a " + tagType + " tag: TRUE and FALSE are for BOOL tags";
        }
        String untyped = untyped(alarm, name, condition);
        if (untyped != null) {
            return untyped;
        }
        if (condition.hasLimit() && tagType != RmaType.BOOL && !tagType.isFloat()) {
            return range(name, condition, alarm.limit(), alarm.deadband(), tagType);
        }
        return null;
    }

    /** The checks that hold whatever the tag's type. */
    private static String untyped(AlarmDefinition alarm, String name, AlarmCondition condition) {
        if (condition.hasLimit() && (alarm.limit() == null || !Double.isFinite(alarm.limit()))) {
            return name + " has condition " + condition + " but no numeric limit";
        }
        if (!condition.hasLimit() && alarm.limit() != null) {
            return name + " has condition " + condition + ", which takes no limit";
        }
        if (alarm.deadband() < 0 || !Double.isFinite(alarm.deadband())) {
            return name + " has deadband " + alarm.deadband() + ": a deadband is 0 or more";
        }
        if (alarm.deadband() > 0 && !condition.isLimit()) {
            return name + " has a deadband with " + condition + ": deadbands apply to HI, HIHI, LO and LOLO";
        }
        if (alarm.onDelayMillis() < 0 || alarm.offDelayMillis() < 0 || alarm.maxShelveSeconds() < 0) {
            return name + " has a negative delay or shelve time";
        }
        return null;
    }

    /**
     * On an integer tag a limit must be one the value can cross, and a limit alarm's clearing point
     * (limit ∓ deadband) one the value can reach, or the alarm could never activate or never clear.
     */
    private static String range(String name, AlarmCondition condition, double limit, double deadband, RmaType type) {
        double min = type.minValue();
        double max = type.maxValue();
        String holds = type + " tag, which holds " + type.minValue() + " to " + type.maxValue();
        boolean never = switch (condition) {
            case HI, HIHI -> limit >= max;
            case LO, LOLO -> limit <= min;
            case EQ -> limit < min || limit > max || limit != Math.rint(limit);
            default -> false;
        };
        if (never) {
            return name + " has " + condition + " limit " + format(limit) + " on a " + holds + ": it could never activate";
        }
        if (condition == AlarmCondition.NE && (limit < min || limit > max || limit != Math.rint(limit))) {
            return name + " has NE limit " + format(limit) + " on a " + holds + ": it would never clear";
        }
        double clearAt = switch (condition) {
            case HI, HIHI -> limit - deadband;
            case LO, LOLO -> limit + deadband;
            default -> limit;
        };
        if (clearAt < min || clearAt > max) {
            return name + " clears at " + format(clearAt) + " (limit " + format(limit) + ", deadband " + format(deadband)
                    + ") on a " + holds + ": it would never clear; make the deadband smaller";
        }
        return null;
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
