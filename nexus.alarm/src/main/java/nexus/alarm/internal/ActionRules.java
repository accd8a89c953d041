package nexus.alarm.internal;

import java.time.Duration;

import nexus.alarm.ActionRequest;
import nexus.alarm.AlarmAction;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * What each {@link AlarmAction} does to an alarm and what it takes, said once: the one switch over
 * the actions, the request's limits (comment length, shelve times) and the state machine step each
 * action is. Everything is checked before anything changes. Not thread-safe: called under the
 * engine's lock (except {@link #check}, which looks at the request only).
 */
final class ActionRules {

    /** The longest comment, in characters. */
    static final int MAX_COMMENT = 1024;

    private final AlarmStateMachine machine;

    ActionRules(AlarmStateMachine machine) {
        this.machine = machine;
    }

    /**
     * What can be checked before the alarm is looked at.
     *
     * @throws NexusException INVALID_ARGUMENT for a comment over {@value #MAX_COMMENT} characters
     */
    static void check(ActionRequest request) {
        String comment = request.comment();
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw invalid("the comment is " + comment.length() + " characters long; the most is " + MAX_COMMENT);
        }
    }

    /**
     * Carries the action out on the alarm (its events go to the state machine's consumer).
     *
     * @param now  wall-clock time, for timestamps
     * @param mono monotonic milliseconds, for shelve ends
     * @throws NexusException INVALID_ARGUMENT (a shelve time the alarm does not allow), CONFLICT (the
     *                        action is not valid in the alarm's state); nothing changed then
     */
    void apply(AlarmRecord r, AlarmAction action, ActionRequest request, long now, long mono) {
        String user = request.caller().user();
        String comment = request.comment();
        switch (action) {
            case ACKNOWLEDGE -> machine.acknowledge(r, user, comment, now);
            case SHELVE -> {
                if (request.oneShot()) {
                    requireShelving(r);
                    machine.shelveOneShot(r, user, comment, now, mono);
                } else {
                    machine.shelve(r, shelveMillis(r, request.shelveFor()), user, comment, now, mono);
                }
            }
            case UNSHELVE -> machine.unshelve(r, user, comment, now);
            case RESET -> machine.reset(r, user, comment, now);
            case SUPPRESS -> machine.suppress(r, user, comment, now);
            case UNSUPPRESS -> machine.unsuppress(r, user, comment, now);
            case REMOVE_FROM_SERVICE -> machine.removeFromService(r, user, comment, now);
            case RETURN_TO_SERVICE -> machine.returnToService(r, user, comment, now);
            case DISABLE -> machine.disable(r, user, comment, now);
            case ENABLE -> machine.enable(r, user, comment, now);
        }
    }

    private static long shelveMillis(AlarmRecord r, Duration duration) {
        requireShelving(r);
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw invalid("a shelve needs a positive duration (or one-shot), not " + (duration == null ? "none"
                    : duration.isZero() ? "0 minutes" : describe(duration)));
        }
        Duration max = Duration.ofSeconds(r.definition().maxShelveSeconds());
        if (duration.compareTo(max) > 0) {
            throw invalid("cannot shelve alarm '" + r.name() + "' for " + describe(duration)
                    + ": its maximum shelve time is " + describe(max));
        }
        return duration.toMillis();
    }

    private static void requireShelving(AlarmRecord r) {
        if (r.definition().maxShelveSeconds() <= 0) {
            throw invalid("alarm '" + r.name() + "' cannot be shelved: its maximum shelve time is 0"
                    + " (max_shelve_s in the registry)");
        }
    }

    /** @return the duration in the largest whole unit: {@code 1 hour}, {@code 61 minutes}, {@code 90 seconds} */
    static String describe(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + (seconds == 3600 ? " hour" : " hours");
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + (seconds == 60 ? " minute" : " minutes");
        }
        return seconds + (seconds == 1 ? " second" : " seconds");
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
