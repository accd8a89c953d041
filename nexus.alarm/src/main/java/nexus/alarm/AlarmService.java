package nexus.alarm;

import java.time.Duration;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The alarm manager: lists alarms and carries out operator actions. Thread-safe. Every action that
 * succeeds changes the alarm's flags in RMA at once, publishes one event naming the user and the
 * comment, and returns the alarm as it is afterwards.
 *
 * <p>Errors, each thrown before anything changes:
 * <ul>
 * <li>{@code INVALID_ARGUMENT}: a missing or blank user (every action names who did it), a user
 * longer than 128 characters or a comment longer than 1,024, a shelve time that is not positive or
 * longer than the alarm's maximum (the message names the maximum);</li>
 * <li>{@code ALARM_NOT_FOUND}: no alarm has that name;</li>
 * <li>{@code CONFLICT}: the action is not valid in the alarm's current state (the message names the
 * state), for example acknowledging an acknowledged alarm or resetting one whose condition is
 * still present;</li>
 * <li>{@code BACKEND_UNAVAILABLE}: no registry or no RMA backend, so alarm flags cannot be kept; or the
 * journal cannot be written, so the action would not survive a crash (nothing changed).</li>
 * </ul>
 */
@ProviderType
public interface AlarmService {

    /** @return the alarms that match, in name order */
    List<Alarm> list(AlarmFilter filter);

    /** @throws nexus.core.NexusException ALARM_NOT_FOUND when no alarm has that name */
    Alarm get(String name);

    /**
     * Carries out an operator action: the one entry every front-end uses. The caller's user is the
     * event's user; the request's comment its comment (for a shelve, its reason).
     *
     * @since 2.0
     */
    default Alarm act(String name, AlarmAction action, ActionRequest request) {
        String user = request.caller().user();
        String comment = request.comment();
        return switch (action) {
        case ACKNOWLEDGE -> acknowledge(name, user, comment);
        case SHELVE -> request.oneShot() ? shelveOneShot(name, user, comment)
                : shelve(name, request.shelveFor(), user, comment);
        case UNSHELVE -> unshelve(name, user, comment);
        case RESET -> reset(name, user, comment);
        case SUPPRESS -> suppress(name, user, comment);
        case UNSUPPRESS -> unsuppress(name, user, comment);
        case REMOVE_FROM_SERVICE -> removeFromService(name, user, comment);
        case RETURN_TO_SERVICE -> returnToService(name, user, comment);
        case DISABLE -> disable(name, user, comment);
        case ENABLE -> enable(name, user, comment);
        };
    }

    /** UNACK_ALARM → ACKED_ALARM, RTN_UNACK → NORMAL. */
    Alarm acknowledge(String name, String user, String comment);

    /**
     * Shelves the alarm for a time, at most its definition's maximum shelve time; it is evaluated
     * but not annunciated. When the time runs out it returns unacknowledged if it is in alarm
     * (IEC 62682 §11.7.3).
     */
    Alarm shelve(String name, Duration duration, String user, String reason);

    /**
     * One-shot shelving, for an alarm in alarm: the shelve ends when its condition clears, and at
     * the latest after the definition's maximum shelve time.
     */
    Alarm shelveOneShot(String name, String user, String reason);

    /** Ends a shelve; an alarm still in alarm returns acknowledged (IEC 62682 §11.7.3). */
    Alarm unshelve(String name, String user, String comment);

    /** Resets a latched alarm whose condition has cleared and that is acknowledged: → NORMAL. */
    Alarm reset(String name, String user, String comment);

    /** Suppresses by design: evaluated, not annunciated. */
    Alarm suppress(String name, String user, String comment);

    /** Ends a suppression; the alarm shows its state as evaluated meanwhile. */
    Alarm unsuppress(String name, String user, String comment);

    /** Removes from service: no longer evaluated; its occurrence and any shelve end. */
    Alarm removeFromService(String name, String user, String comment);

    /** Returns to service: NORMAL, then evaluated again (with its on-delay). */
    Alarm returnToService(String name, String user, String comment);

    /** Disables: like removal from service, as an engineering setting rather than maintenance. */
    Alarm disable(String name, String user, String comment);

    /** Enables a disabled alarm: NORMAL, then evaluated again. */
    Alarm enable(String name, String user, String comment);

    /** @return the alarm KPIs now */
    AlarmSummary summary();
}
