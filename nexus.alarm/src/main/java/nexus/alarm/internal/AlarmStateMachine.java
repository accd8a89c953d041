package nexus.alarm.internal;

import static nexus.alarm.AlarmFlags.ACKED;
import static nexus.alarm.AlarmFlags.ACTIVE;
import static nexus.alarm.AlarmFlags.ENABLED;
import static nexus.alarm.AlarmFlags.LATCHED;
import static nexus.alarm.AlarmFlags.OUT_OF_SERVICE;
import static nexus.alarm.AlarmFlags.SHELVED;
import static nexus.alarm.AlarmFlags.SUPPRESSED;
import static nexus.alarm.internal.AlarmRecord.NONE;
import static nexus.alarm.internal.AlarmRecord.UNKNOWN;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmState;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The ISA-18.2 lifecycle of one alarm at a time: the scan's transitions (delays, deadband, latch,
 * shelve timers) and the operator actions. Plain Java; time comes in as epoch milliseconds, so tests
 * drive delays and timers with a clock of their own. Every change emits exactly one event; an
 * action that is not valid throws before it changes anything. It decides; the record
 * ({@link AlarmRecord}) carries each step out. Not thread-safe: the engine calls it under its lock.
 *
 * <p>The transition table, by flags ({@link nexus.alarm.AlarmFlags}):
 * <ul>
 * <li>condition present for the on-delay → ACTIVE; unacknowledged if the alarm requires an
 * acknowledgement (NORMAL → UNACK_ALARM; RTN_UNACK → UNACK_ALARM is a re-alarm; a latched alarm
 * whose condition returns is a new occurrence);</li>
 * <li>condition absent (outside the deadband) for the off-delay → not ACTIVE; a latching alarm
 * becomes LATCHED and stays in alarm; otherwise UNACK_ALARM → RTN_UNACK, ACKED_ALARM → NORMAL;</li>
 * <li>inside the deadband, or an unknown value: no change, and a running delay starts over;</li>
 * <li>acknowledge: UNACK_ALARM → ACKED_ALARM, RTN_UNACK → NORMAL;</li>
 * <li>reset: a LATCHED, acknowledged alarm → NORMAL;</li>
 * <li>shelve (timed, or one-shot while in alarm) → SHELVED; a timer or one-shot end → unacknowledged
 * if in alarm (and an acknowledgement is required), NORMAL otherwise; a manual unshelve →
 * acknowledged (IEC 62682 §11.7.3);</li>
 * <li>suppress → SUPPRESSED and back, flags otherwise as evaluated meanwhile;</li>
 * <li>remove from service or disable → OUT_OF_SERVICE, the occurrence and any shelve end; return or
 * enable → NORMAL, evaluated again from the next scan;</li>
 * <li>the tag's quality of an alarm evaluated differs from the one last told (GOOD ↔ not GOOD, or
 * one BAD quality → another) → the state stays, {@code QUALITY_CHANGED} tells it; a value that is
 * not GOOD is not evaluated (as an unknown one).</li>
 * </ul>
 */
final class AlarmStateMachine {

    private final Consumer<AlarmEvent> events;
    private int chatterCount;
    /** The last event's time: the events of one scan (a storm: thousands) share one Instant. */
    private long lastMillis = Long.MIN_VALUE;
    private Instant lastInstant;

    /**
     * @param events       takes every event, in order
     * @param chatterCount how many recent activation times each alarm keeps for the chattering KPI
     */
    AlarmStateMachine(Consumer<AlarmEvent> events, int chatterCount) {
        this.events = events;
        this.chatterCount = Math.max(1, chatterCount);
    }

    /** Recent activations each alarm keeps from its next activation on. */
    void chatterCount(int count) {
        this.chatterCount = Math.max(1, count);
    }

    // ---- the scan ----

    /**
     * One scan step for an alarm that is enabled and in service.
     *
     * @param condition what the value says ({@link Condition})
     * @param now       wall-clock time, for timestamps
     * @param mono      monotonic milliseconds, for the delays
     * @return whether the alarm activated
     */
    boolean evaluate(AlarmRecord a, int condition, long now, long mono) {
        if (condition == Condition.DEADBAND || condition == Condition.UNKNOWN) {
            a.notPending();
            return false;
        }
        boolean present = condition == Condition.PRESENT;
        if (present == a.has(ACTIVE)) {
            a.notPending();
            return false;
        }
        a.pending(mono);
        long delay = present ? a.definition().onDelayMillis() : a.definition().offDelayMillis();
        if (mono - a.pendingSince() < delay) {
            return false;
        }
        a.notPending();
        if (present) {
            activate(a, now);
        } else {
            clear(a, now);
        }
        return present;
    }

    /**
     * Tells that an alarm that is enabled and in service stops or starts being evaluated, or cannot be
     * evaluated for another reason now: its tag's quality differs from the one last told (GOOD before
     * any, so an alarm whose tag is GOOD at its first scan tells nothing). One {@code QUALITY_CHANGED}
     * event, kind ALARM: the state stays as it is, the value is the last one known, the comment the
     * quality and why ({@code "STALE: the value is …"}, {@code "GOOD: evaluated again"}). A quality is told
     * once it has held for {@link TagReading#SETTLED} scans: a read that fails once is not news.
     *
     * @return whether it was told
     */
    boolean qualityChanged(AlarmRecord a, long now) {
        TagReading reading = a.reading();
        if (!reading.toTell()) {
            return false;
        }
        reading.tell();
        String why = reading.quality().isGood() ? "evaluated again" : reading.detail();
        AlarmState state = a.state();
        emit(a, AlarmEventType.QUALITY_CHANGED, reading.lastKnownObject(), state, null,
                reading.quality() + (why == null ? "" : ": " + why), now, null, null);
        return true;
    }

    /** Ends a shelve whose time has run out (on the monotonic clock). @return whether it ended */
    boolean expireShelve(AlarmRecord a, long now, long mono) {
        if (!a.has(SHELVED) || a.shelvedUntil() != UNKNOWN && mono < a.shelveDeadline()) {
            return false;
        }
        String why = a.shelvedUntil() == UNKNOWN ? "shelve end unknown after a restart" : "shelve time expired";
        endShelve(a, false, null, why, now);
        return true;
    }

    private void activate(AlarmRecord a, long now) {
        AlarmState before = a.state();
        a.activate(now, chatterCount);
        emit(a, AlarmEventType.ACTIVATED, before, null, null, now, null, null);
    }

    private void clear(AlarmRecord a, long now) {
        AlarmState before = a.state();
        a.clear(now);
        emit(a, AlarmEventType.CLEARED, before, null, null, now, null, between(a.activatedAt(), now));
        if (a.has(SHELVED) && a.oneShot()) {
            endShelve(a, false, null, "one-shot shelve: the condition cleared", now);
        }
    }

    // ---- operator actions ----

    void acknowledge(AlarmRecord a, String user, String comment, long now) {
        AlarmState before = a.state();
        if (!before.unacknowledged()) {
            throw conflict(a, "only an unacknowledged alarm (UNACK_ALARM or RTN_UNACK) can be acknowledged");
        }
        a.acknowledge(user, comment, now);
        emit(a, AlarmEventType.ACKNOWLEDGED, before, user, comment, now, between(a.activatedAt(), now), null);
    }

    void reset(AlarmRecord a, String user, String comment, long now) {
        AlarmState before = a.state();
        if (before != AlarmState.UNACK_ALARM && before != AlarmState.ACKED_ALARM) {
            throw conflict(a, "only a latched alarm whose condition has cleared can be reset");
        }
        if (a.has(ACTIVE)) {
            throw conflict(a, "its condition is still present; reset it once the condition has cleared");
        }
        if (!a.has(LATCHED)) {
            throw conflict(a, "only a latched alarm whose condition has cleared can be reset");
        }
        if (!a.has(ACKED)) {
            throw conflict(a, "acknowledge it before the reset");
        }
        a.unlatch();
        emit(a, AlarmEventType.RESET, before, user, comment, now, null, between(a.activatedAt(), now));
    }

    /** @param millis how long, already checked against the maximum */
    void shelve(AlarmRecord a, long millis, String user, String reason, long now, long mono) {
        requireShelvable(a);
        startShelve(a, millis, false, user, reason, now, mono);
    }

    /** Until the condition clears; only while it is present (a latched alarm has nothing left to clear). */
    void shelveOneShot(AlarmRecord a, String user, String reason, long now, long mono) {
        requireShelvable(a);
        if (!a.has(ACTIVE)) {
            throw conflict(a, "one-shot shelving is for an alarm whose condition is present; shelve it for a time instead");
        }
        startShelve(a, a.definition().maxShelveSeconds() * 1000, true, user, reason, now, mono);
    }

    void unshelve(AlarmRecord a, String user, String comment, long now) {
        if (!a.has(SHELVED)) {
            throw conflict(a, "it is not shelved");
        }
        endShelve(a, true, user, comment, now);
    }

    void suppress(AlarmRecord a, String user, String comment, long now) {
        requireInService(a);
        if (a.has(SUPPRESSED)) {
            throw conflict(a, "it is already suppressed");
        }
        switchFlag(a, SUPPRESSED, true, AlarmEventType.SUPPRESSED, user, comment, now);
    }

    void unsuppress(AlarmRecord a, String user, String comment, long now) {
        if (!a.has(SUPPRESSED)) {
            throw conflict(a, "it is not suppressed");
        }
        switchFlag(a, SUPPRESSED, false, AlarmEventType.UNSUPPRESSED, user, comment, now);
    }

    void removeFromService(AlarmRecord a, String user, String comment, long now) {
        if (a.has(OUT_OF_SERVICE)) {
            throw conflict(a, "it is already out of service");
        }
        switchFlag(a, OUT_OF_SERVICE, true, AlarmEventType.REMOVED_FROM_SERVICE, user, comment, now);
    }

    void returnToService(AlarmRecord a, String user, String comment, long now) {
        if (!a.has(OUT_OF_SERVICE)) {
            throw conflict(a, "it is in service");
        }
        switchFlag(a, OUT_OF_SERVICE, false, AlarmEventType.RETURNED_TO_SERVICE, user, comment, now);
    }

    void disable(AlarmRecord a, String user, String comment, long now) {
        if (!a.has(ENABLED)) {
            throw conflict(a, "it is already disabled");
        }
        switchFlag(a, ENABLED, false, AlarmEventType.DISABLED, user, comment, now);
    }

    void enable(AlarmRecord a, String user, String comment, long now) {
        if (a.has(ENABLED)) {
            throw conflict(a, "it is already enabled");
        }
        switchFlag(a, ENABLED, true, AlarmEventType.ENABLED, user, comment, now);
    }

    // ---- helpers ----

    private void requireShelvable(AlarmRecord a) {
        requireInService(a);
        if (a.has(SHELVED)) {
            throw conflict(a, "it is already shelved; unshelve it first to shelve it again");
        }
    }

    private static void requireInService(AlarmRecord a) {
        if (!a.evaluated()) {
            throw conflict(a, a.has(ENABLED) ? "it is out of service" : "it is disabled");
        }
    }

    private void startShelve(AlarmRecord a, long millis, boolean oneShot, String user, String reason, long now,
            long mono) {
        AlarmState before = a.state();
        a.shelve(millis, oneShot, user, reason, now, mono);
        emit(a, AlarmEventType.SHELVED, before, user, reason, now, null, null);
    }

    /**
     * IEC 62682 §11.7.3: a manual unshelve returns an alarm still in alarm acknowledged (the
     * operator who unshelves it has seen it); a timer (or a one-shot end) returns it unacknowledged.
     */
    private void endShelve(AlarmRecord a, boolean manual, String user, String comment, long now) {
        AlarmState before = a.state();
        a.unshelve();
        Duration toAck = null;
        if (!a.inAlarm()) {
            // Back to normal meanwhile: nothing is left to annunciate. An operator who unshelves
            // an occurrence nobody acknowledged is recorded as acknowledging it.
            if (manual && !a.has(ACKED)) {
                a.acknowledge(user, comment, now);
                toAck = between(a.activatedAt(), now);
            } else {
                a.markAcknowledged();
            }
        } else if (manual) {
            if (!a.has(ACKED)) {
                a.acknowledge(user, comment, now);
                toAck = between(a.activatedAt(), now);
            }
        } else if (a.definition().requiresAck()) {
            a.unacknowledge();
        }
        emit(a, AlarmEventType.UNSHELVED, before, user, comment, now, toAck, null);
    }

    /**
     * Sets or clears a flag the operator controls. Taking an alarm out of evaluation (out of service,
     * disabled) ends its occurrence; bringing it back starts its delays afresh.
     */
    private void switchFlag(AlarmRecord a, int flag, boolean on, AlarmEventType type, String user, String comment,
            long now) {
        AlarmState before = a.state();
        boolean wasEvaluated = a.evaluated();
        Duration inAlarm = null;
        a.operatorFlag(flag, on);
        if (wasEvaluated && !a.evaluated()) {
            inAlarm = a.inAlarm() ? between(a.activatedAt(), now) : null;
            a.endOccurrence(now);
        } else if (!wasEvaluated && a.evaluated()) {
            a.notPending();
        }
        emit(a, type, before, user, comment, now, null, inAlarm);
    }

    private void emit(AlarmRecord a, AlarmEventType type, AlarmState before, String user, String comment, long now,
            Duration timeToAck, Duration timeInAlarm) {
        emit(a, type, a.valueObject(), before, user, comment, now, timeToAck, timeInAlarm);
    }

    private void emit(AlarmRecord a, AlarmEventType type, Object value, AlarmState before, String user, String comment,
            long now, Duration timeToAck, Duration timeInAlarm) {
        long sequence = a.nextSequence();
        if (now != lastMillis) {
            lastInstant = Instant.ofEpochMilli(now);
            lastMillis = now;
        }
        events.accept(new AlarmEvent(sequence, lastInstant, type,
                user == null ? AlarmEvent.Kind.ALARM : AlarmEvent.Kind.AUDIT, a.name(), a.tag(), value,
                a.definition().severity(), before, a.state(), user, comment, timeToAck, timeInAlarm, a.definition().message()));
    }

    private static Duration between(long from, long to) {
        return from == NONE || from == UNKNOWN ? null : Duration.ofMillis(Math.max(0, to - from));
    }

    private static NexusException conflict(AlarmRecord a, String why) {
        return new NexusException(ErrorCode.CONFLICT, "alarm '" + a.name() + "' is " + a.state() + ": " + why);
    }
}
