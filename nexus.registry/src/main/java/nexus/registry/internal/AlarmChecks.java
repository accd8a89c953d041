package nexus.registry.internal;

import nexus.registry.AlarmCondition;
import nexus.registry.AlarmDefinition;
import nexus.rma.RmaType;

/** The consistency rules of an alarm definition against itself and its tag's type. */
final class AlarmChecks {

    private AlarmChecks() {
    }

    /** @return what is inconsistent, or null when the definition is consistent */
    static String inconsistency(AlarmDefinition alarm, RmaType tagType) {
        String name = "alarm " + alarm.name();
        AlarmCondition condition = alarm.condition();
        if (tagType == RmaType.STRING) {
            return name + " watches a STRING tag: alarms watch numbers and BOOLs";
        }
        if (tagType == RmaType.BOOL && condition != AlarmCondition.TRUE && condition != AlarmCondition.FALSE) {
            return name + " watches a BOOL tag with " + condition + ": use TRUE or FALSE";
        }
        if (tagType != RmaType.BOOL && !condition.hasLimit()) {
            return name + " uses " + condition + " on a " + tagType + " tag: TRUE and FALSE are for BOOL tags";
        }
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
}
