package nexus.alarm;

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

    /**
     * @return the alarms that match and whose tags the caller sees, in name order
     * @since 3.0
     */
    List<Alarm> list(Caller caller, AlarmFilter filter);

    /**
     * @throws nexus.core.NexusException ALARM_NOT_FOUND when no alarm has that name, or the caller does
     *                                   not see its tag (exactly as if it had none)
     * @since 3.0
     */
    Alarm get(Caller caller, String name);

    /**
     * Carries out an operator action: the one entry every front-end uses ({@link AlarmAction} lists
     * them and what each does). The caller's user is the event's user; the request's comment its
     * comment (for a shelve, its reason).
     *
     * <p>Every action, carried out or refused, becomes one {@link nexus.core.AuditRecord} (target
     * {@code ALARM}, action {@link AlarmAction#wireName()}, the alarm's state before and after by
     * name, the comment or the error message) appended to the {@link nexus.core.AuditTrail} before
     * the answer: an action is carried out only once its record is on disk. The caller's
     * {@link nexus.core.Access} decides ({@link nexus.core.Access#refuseAction}, with
     * {@link AlarmAction#permission()}); an alarm whose tag the caller does not see is not found.
     *
     * <p>Errors, each thrown before anything changes:
     * <ul>
     * <li>{@code INVALID_ARGUMENT}: a comment longer than 1,024 characters, a shelve time that is not
     * positive or longer than the alarm's maximum (the message names the maximum), a shelve of an
     * alarm whose maximum is 0 (the user's rules are {@link Caller}'s, checked when it is built);</li>
     * <li>{@code ALARM_NOT_FOUND}: no alarm has that name, or the caller does not see its tag;</li>
     * <li>{@code FORBIDDEN}: the caller's roles do not grant the action's permission, or the alarm's
     * tag is outside their write scope (the message names which);</li>
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
}
