package nexus.alarm;

import java.time.Duration;
import java.util.Objects;

import nexus.core.Caller;

/**
 * Who asks for an alarm action, and with what.
 *
 * @param caller    who does it; named in the event and the audit record
 * @param comment   the comment or reason, or {@code null}; at most 1,024 characters
 * @param shelveFor for {@link AlarmAction#SHELVE} without {@code oneShot}: how long; else {@code null}
 * @param oneShot   for {@link AlarmAction#SHELVE}: shelve until the condition clears
 * @since 2.0
 */
public record ActionRequest(Caller caller, String comment, Duration shelveFor, boolean oneShot) {

    public ActionRequest {
        Objects.requireNonNull(caller, "caller");
    }

    /** @return a request with a comment only */
    public static ActionRequest of(Caller caller, String comment) {
        return new ActionRequest(caller, comment, null, false);
    }
}
