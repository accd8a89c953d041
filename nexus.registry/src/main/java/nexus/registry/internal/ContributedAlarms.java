package nexus.registry.internal;

import nexus.registry.AlarmDefinition;
import nexus.rma.RmaType;

/**
 * Resolves an alarm on a contributed tag in one registry version. The tag comes and goes with its
 * contributor (a federation mirror follows its edge node's births), so neither its absence nor a type
 * the alarm cannot watch makes the version invalid: the definition carries why the alarm cannot be
 * evaluated in this version, and the alarm manager shows the alarm BAD with that reason.
 */
final class ContributedAlarms {

    private ContributedAlarms() {
    }

    /**
     * @param alarm   a contributed alarm whose type-independent rules hold, with the tag's id in this
     *                version ({@link AlarmDefinition#NO_TAG} when it has none)
     * @param type    the tag's type in this version, or null when the version has no such tag
     * @param version the version, for the reason
     * @return the definition, with {@link AlarmDefinition#tagProblem} set when it cannot be evaluated
     */
    static AlarmDefinition resolve(AlarmDefinition alarm, RmaType type, long version) {
        String problem;
        if (type == null || alarm.tagId() == AlarmDefinition.NO_TAG) {
            problem = "tag " + alarm.tagPath() + " is not in registry version " + version + ": no contribution has it"
                    + " now (a federation host mirrors it while its edge node's last birth has it); the alarm keeps its"
                    + " state and is evaluated again once a version has the tag";
        } else {
            String why = AlarmChecks.inconsistency(alarm, type);
            problem = why == null ? null : why + " (the contributed tag is a " + type + " in registry version " + version
                    + "); the alarm keeps its state and is evaluated again once a version gives the tag a type it can watch";
        }
        return problem == null ? alarm : new AlarmDefinition(alarm.id(), alarm.name(), alarm.tagId(), alarm.condition(),
                alarm.limit(), alarm.deadband(), alarm.severity(), alarm.requiresAck(), alarm.latching(),
                alarm.onDelayMillis(), alarm.offDelayMillis(), alarm.maxShelveSeconds(), alarm.message(), alarm.flags(),
                alarm.tagPath(), true, problem);
    }
}
