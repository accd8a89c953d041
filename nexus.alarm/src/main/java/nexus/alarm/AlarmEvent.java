package nexus.alarm;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import nexus.core.Severity;

/**
 * One transition of one alarm, or one operator action on it. Immutable.
 *
 * @param sequence    the alarm's own event counter: 1, 2, 3, … without gaps while RMA Nexus runs
 *                    (carried on from the journal after a restart, crash or not: never backwards)
 * @param time        when it happened (the scan's time for transitions)
 * @param type        what happened
 * @param kind        {@link Kind#ALARM} for what the process or a timer did, {@link Kind#AUDIT} for
 *                    what an operator did
 * @param alarm       the alarm's name
 * @param tag         the watched tag's path
 * @param value       the tag's value at that moment (Boolean, Long, Float or Double, as in
 *                    {@link Alarm#value()}), or {@code null} if unknown
 * @param severity    the alarm's severity
 * @param before      the state before
 * @param after       the state after
 * @param user        the operator, for audit events; {@code null} otherwise
 * @param comment     the operator's comment or reason, or what ended a shelve; may be {@code null}
 * @param timeToAck   for an acknowledgement: how long after the activation, if known
 * @param timeInAlarm for a clearing or a reset: how long the occurrence was in alarm, if known
 * @param message     the alarm's operator message, or {@code null}
 */
public record AlarmEvent(long sequence, Instant time, AlarmEventType type, Kind kind, String alarm, String tag,
        Object value, Severity severity, AlarmState before, AlarmState after, String user, String comment,
        Duration timeToAck, Duration timeInAlarm, String message) {

    /** Whether an event is a process transition or an operator's action. */
    public enum Kind {
        ALARM, AUDIT
    }

    public AlarmEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(alarm, "alarm");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }
}
