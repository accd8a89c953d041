package nexus.alarm;

import java.time.Duration;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import nexus.core.Caller;

/**
 * The alarm manager: lists alarms and carries out operator actions. Thread-safe. Every action that
 * succeeds changes the alarm's flags in RMA at once, publishes one event naming the user and the
 * comment, and returns the alarm as it is afterwards.
 */
@ProviderType
public interface AlarmService {

    /** @return the alarms that match, in name order */
    List<Alarm> list(AlarmFilter filter);

    /** @throws nexus.core.NexusException ALARM_NOT_FOUND when no alarm has that name */
    Alarm get(String name);

    /**
     * Carries out an operator action: the one entry every front-end uses ({@link AlarmAction} lists
     * them and what each does). The caller's user is the event's user; the request's comment its
     * comment (for a shelve, its reason).
     *
     * <p>Every action, carried out or refused, becomes one {@link nexus.core.AuditRecord} (target
     * {@code ALARM}, action {@link AlarmAction#wireName()}, the alarm's state before and after by
     * name, the comment or the error message) appended to the {@link nexus.core.AuditTrail} before
     * the answer: an action is carried out only once its record is on disk. The
     * {@link nexus.core.AccessPolicy}, when one is registered, is asked first.
     *
     * <p>Errors, each thrown before anything changes:
     * <ul>
     * <li>{@code INVALID_ARGUMENT}: a comment longer than 1,024 characters, a shelve time that is not
     * positive or longer than the alarm's maximum (the message names the maximum), a shelve of an
     * alarm whose maximum is 0 (the user's rules are {@link Caller}'s, checked when it is built);</li>
     * <li>{@code FORBIDDEN}: the access policy refuses the caller this action (its reason in the message);</li>
     * <li>{@code ALARM_NOT_FOUND}: no alarm has that name;</li>
     * <li>{@code CONFLICT}: the action is not valid in the alarm's current state (the message names the
     * state), for example acknowledging an acknowledged alarm or resetting one whose condition is
     * still present;</li>
     * <li>{@code BACKEND_UNAVAILABLE}: no audit trail runs, or it cannot take the record; no registry
     * or no RMA backend, so alarm flags cannot be kept; alarms are paused; or the journal cannot be
     * written, so the action would not survive a crash.</li>
     * </ul>
     *
     * @param name    the alarm's name
     * @param action  what to do
     * @param request who does it, with what comment (and for a shelve, for how long or one-shot)
     * @return the alarm as it is after the action
     * @throws nexus.core.NexusException as listed above
     * @since 2.0
     */
    Alarm act(String name, AlarmAction action, ActionRequest request);

    /** @return the alarm KPIs now */
    AlarmSummary summary();

    // ---- transitional (issue 12): the front-ends move to act(); these go once they have ----

    /** Transitional: {@code act(name, ACKNOWLEDGE, …)}. */
    default Alarm acknowledge(String name, String user, String comment) {
        return act(name, AlarmAction.ACKNOWLEDGE, ActionRequest.of(Caller.of(user, "transitional"), comment));
    }

    /** Transitional: {@code act(name, SHELVE, …)} for a time. */
    default Alarm shelve(String name, Duration duration, String user, String reason) {
        return act(name, AlarmAction.SHELVE, new ActionRequest(Caller.of(user, "transitional"), reason, duration, false));
    }

    /** Transitional: {@code act(name, SHELVE, …)} one-shot. */
    default Alarm shelveOneShot(String name, String user, String reason) {
        return act(name, AlarmAction.SHELVE, new ActionRequest(Caller.of(user, "transitional"), reason, null, true));
    }

    /** Transitional: {@code act(name, UNSHELVE, …)}. */
    default Alarm unshelve(String name, String user, String comment) {
        return act(name, AlarmAction.UNSHELVE, ActionRequest.of(Caller.of(user, "transitional"), comment));
    }

    /** Transitional: {@code act(name, RESET, …)}. */
    default Alarm reset(String name, String user, String comment) {
        return act(name, AlarmAction.RESET, ActionRequest.of(Caller.of(user, "transitional"), comment));
    }

    /** Transitional: {@code act(name, SUPPRESS, …)}. */
    default Alarm suppress(String name, String user, String comment) {
        return act(name, AlarmAction.SUPPRESS, ActionRequest.of(Caller.of(user, "transitional"), comment));
    }

    /** Transitional: {@code act(name, UNSUPPRESS, …)}. */
    default Alarm unsuppress(String name, String user, String comment) {
        return act(name, AlarmAction.UNSUPPRESS, ActionRequest.of(Caller.of(user, "transitional"), comment));
    }

    /** Transitional: {@code act(name, REMOVE_FROM_SERVICE, …)}. */
    default Alarm removeFromService(String name, String user, String comment) {
        return act(name, AlarmAction.REMOVE_FROM_SERVICE, ActionRequest.of(Caller.of(user, "transitional"), comment));
    }

    /** Transitional: {@code act(name, RETURN_TO_SERVICE, …)}. */
    default Alarm returnToService(String name, String user, String comment) {
        return act(name, AlarmAction.RETURN_TO_SERVICE, ActionRequest.of(Caller.of(user, "transitional"), comment));
    }

    /** Transitional: {@code act(name, DISABLE, …)}. */
    default Alarm disable(String name, String user, String comment) {
        return act(name, AlarmAction.DISABLE, ActionRequest.of(Caller.of(user, "transitional"), comment));
    }

    /** Transitional: {@code act(name, ENABLE, …)}. */
    default Alarm enable(String name, String user, String comment) {
        return act(name, AlarmAction.ENABLE, ActionRequest.of(Caller.of(user, "transitional"), comment));
    }
}
