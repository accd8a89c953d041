package nexus.alarm;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

import nexus.query.Quality;

/**
 * One alarm as it is now: its definition, its flags and derived state, and its lifecycle in memory.
 * Timestamps are {@code null} when there is none (an alarm never acknowledged has no
 * {@code ackedAt}) and also when it could not be recovered after a restart; those are named in
 * {@link #unknown()}, so that "none" and "unknown" are never confused.
 *
 * @param definition   the alarm's definition, as the registry version served now gives it
 * @param tag          the watched tag's path
 * @param state        the ISA-18.2 state, derived from {@code flags}
 * @param flags        the flag byte as written to RMA ({@link AlarmFlags})
 * @param value        the watched tag's value at the last scan: a Boolean for BOOL tags, a Long
 *                     for integers, a Float or a Double for FLOAT32 or FLOAT64; {@code null} before
 *                     the first good read
 * @param activatedAt  when the current (or last) occurrence activated
 * @param ackedAt      when it was acknowledged
 * @param ackUser      who acknowledged it
 * @param ackComment   the acknowledgement's comment
 * @param clearedAt    when its condition last cleared
 * @param shelvedUntil when the shelve ends, while shelved
 * @param oneShot      whether the shelve ends when the condition clears (one-shot shelving)
 * @param shelveUser   who shelved it, while shelved
 * @param shelveReason why, while shelved
 * @param sequence     the sequence number of the alarm's last event (0: none yet)
 * @param unknown      the names of the timestamps that could not be recovered after a restart
 *                     ({@code activatedAt}, {@code ackedAt}, {@code clearedAt}, {@code shelvedUntil})
 * @param quality      the watched tag's quality at the last scan. Only a GOOD value is evaluated:
 *                     while it is not GOOD the alarm keeps its state (nothing activates or clears on
 *                     a value that is not current or not there), and {@code qualityDetail} says
 *                     why. An alarm on a contributed tag (a federation mirror's) that the registry
 *                     version served now does not have is {@link Quality#BAD_NOT_IN_REGISTRY}; one
 *                     whose tag has a type it cannot watch, {@link Quality#BAD_CONFIGURATION}; a
 *                     mirror that is no longer current, {@link Quality#STALE} (since 3.1)
 * @param qualityDetail why the quality is not GOOD, in words; {@code null} when it is (since 3.1)
 */
public record Alarm(AlarmSpec definition, String tag, AlarmState state, int flags, Object value,
        Instant activatedAt, Instant ackedAt, String ackUser, String ackComment, Instant clearedAt,
        Instant shelvedUntil, boolean oneShot, String shelveUser, String shelveReason, long sequence,
        Set<String> unknown, Quality quality, String qualityDetail) {

    public Alarm {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(quality, "quality");
        unknown = unknown == null ? Set.of() : Set.copyOf(unknown);
    }

    /** An alarm as in 3.0, whose tag's quality is not said: GOOD. */
    public Alarm(AlarmSpec definition, String tag, AlarmState state, int flags, Object value, Instant activatedAt,
            Instant ackedAt, String ackUser, String ackComment, Instant clearedAt, Instant shelvedUntil, boolean oneShot,
            String shelveUser, String shelveReason, long sequence, Set<String> unknown) {
        this(definition, tag, state, flags, value, activatedAt, ackedAt, ackUser, ackComment, clearedAt, shelvedUntil,
                oneShot, shelveUser, shelveReason, sequence, unknown, Quality.GOOD, null);
    }

    public String name() {
        return definition.name();
    }

    public boolean enabled() {
        return (flags & AlarmFlags.ENABLED) != 0;
    }

    public boolean active() {
        return (flags & AlarmFlags.ACTIVE) != 0;
    }

    public boolean acked() {
        return (flags & AlarmFlags.ACKED) != 0;
    }

    public boolean latched() {
        return (flags & AlarmFlags.LATCHED) != 0;
    }

    public boolean shelved() {
        return (flags & AlarmFlags.SHELVED) != 0;
    }

    public boolean suppressed() {
        return (flags & AlarmFlags.SUPPRESSED) != 0;
    }

    public boolean outOfService() {
        return (flags & AlarmFlags.OUT_OF_SERVICE) != 0;
    }

    /** @return how long the operator took to acknowledge the occurrence, if known and acknowledged */
    public Duration timeToAck() {
        return activatedAt != null && ackedAt != null && !ackedAt.isBefore(activatedAt)
                ? Duration.between(activatedAt, ackedAt) : null;
    }

    /**
     * @param now the time to measure an ongoing occurrence to
     * @return how long the occurrence has been (or was) in alarm, if known
     */
    public Duration timeInAlarm(Instant now) {
        if (activatedAt == null) {
            return null;
        }
        Instant end = AlarmFlags.inAlarm(flags) || clearedAt == null || clearedAt.isBefore(activatedAt) ? now : clearedAt;
        return end.isBefore(activatedAt) ? Duration.ZERO : Duration.between(activatedAt, end);
    }
}
