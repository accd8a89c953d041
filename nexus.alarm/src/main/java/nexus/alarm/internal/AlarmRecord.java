package nexus.alarm.internal;

import static nexus.alarm.AlarmFlags.ACKED;
import static nexus.alarm.AlarmFlags.ACTIVE;
import static nexus.alarm.AlarmFlags.ENABLED;
import static nexus.alarm.AlarmFlags.LATCHED;
import static nexus.alarm.AlarmFlags.OUT_OF_SERVICE;
import static nexus.alarm.AlarmFlags.SHELVED;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmFlags;
import nexus.alarm.AlarmState;
import nexus.query.Quality;
import nexus.registry.AlarmDefinition;
import nexus.rma.Allocation;
import nexus.rma.RmaType;

/**
 * One alarm: what it is (its definition, its tag and where the scan finds it — a {@link TagReading},
 * which also keeps what the scan found there — and where its flag byte is) and its runtime state —
 * the flags (the truth RMA mirrors), the lifecycle in memory, and how far RMA and the journal have
 * caught up with them. This class is the only one that changes that state: every change is one of
 * its named steps below, each keeping the fields that belong together consistent (an
 * acknowledgement's time, user and comment; a shelve's end, deadline, kind, user and reason). The
 * rules that decide which step happens when live in {@link AlarmStateMachine} (the lifecycle) and
 * {@link Recovery} (taking a flag byte over after a restart). Every step also takes away the alarm's
 * quiet mark in its table ({@link QuietAlarms}), so the next scan visits it: a scan skips only alarms
 * nothing touched since their last visit. Mutable, not thread-safe: the engine's lock guards every record.
 */
final class AlarmRecord {

    /** A timestamp that does not exist (the alarm was never acknowledged, …). */
    static final long NONE = Long.MIN_VALUE;
    /** A timestamp that exists but could not be recovered after a restart. */
    static final long UNKNOWN = Long.MIN_VALUE + 1;
    /** {@link #flagsWritten()} when RMA does not hold the flags: they must be written. */
    static final int UNWRITTEN = -1;
    /** The value block of an alarm the registry version could not resolve: its tag is not read. */
    static final int NO_VALUE = TagReading.NO_VALUE;

    /**
     * The registry's definition (its {@link nexus.alarm.AlarmSpec} lives in the {@link AlarmTable}):
     * a record points to no object of its own that a collection would copy beside it, so the
     * records a scan walks stay close in memory. With a spec per record, the median scan of the
     * 100,000-alarm load run under storms went from 3.4–3.6 ms to 4.7–5.1 ms.
     */
    private final AlarmDefinition definition;
    /** Its tag, where the scan finds the value, and what it found there. */
    private final TagReading reading;
    /** Where the scan finds the flag byte: a block of the scan's plan and the offset in it. */
    private final int flagBlock;
    private final int flagOffset;
    /** The table's quiet marks and this record's index there; null for a copy (an undo) or before a table holds it. */
    private QuietAlarms quiet;
    private int index;

    private int flags = AlarmFlags.INITIAL;
    private int flagsWritten = UNWRITTEN;

    private long activatedAt = NONE;
    private long ackedAt = NONE;
    private long clearedAt = NONE;
    private long shelvedUntil = NONE;
    /** When the shelve ends on the monotonic clock (wall-clock steps neither stretch nor cut a shelve). */
    private long shelveDeadline = NONE;
    private boolean oneShot;
    private String ackUser;
    private String ackComment;
    private String shelveUser;
    private String shelveReason;

    /** Since when (monotonic ms) the condition has asked for the opposite of {@code ACTIVE} (a delay running), or NONE. */
    private long pendingSince = NONE;
    /** Started from INITIAL because RMA held nothing for it, and nothing has happened since. */
    private boolean pristine;
    private long sequence;
    /** The sequence of the last state committed to the journal (or recovered from it). */
    private long journaled;
    /** The most recent activation times, a ring for the chattering KPI; null until the first one. */
    private long[] activations;
    private int activationCount;

    /**
     * @param definition     the registry's definition
     * @param tag            the watched tag's path
     * @param tagType        the watched tag's type; null when the registry version has no such tag
     * @param valueBlock     the block of the scan's plan holding the tag's value, and its offset there;
     *                       {@link #NO_VALUE} when the alarm is not resolved in the version (nothing is read)
     * @param flagBlock      the block holding the flag byte, and its offset there
     */
    AlarmRecord(AlarmDefinition definition, String tag, RmaType tagType, int tagBit, int valueBlock, int valueOffset,
            int flagBlock, int flagOffset) {
        this(definition, new TagReading(definition, tag, tagType, tagBit, valueBlock, valueOffset), flagBlock,
                flagOffset);
    }

    private AlarmRecord(AlarmDefinition definition, TagReading reading, int flagBlock, int flagOffset) {
        this.definition = definition;
        this.reading = reading;
        this.flagBlock = flagBlock;
        this.flagOffset = flagOffset;
    }

    /** The record is alarm {@code index} of the table whose quiet marks these are: every step below takes its mark away. */
    void quietMarks(QuietAlarms quiet, int index) {
        this.quiet = quiet;
        this.index = index;
        quiet.written(index, flagsWritten);
    }

    /** A step changed the state: a scan that would skip this alarm as quiet must visit it ({@link ScanPass}). */
    private void touched() {
        if (quiet != null) {
            quiet.touched(index);
        }
    }

    /** RMA holds {@code written} for it now (or {@link #UNWRITTEN}): kept in the table's arrays too, for the flag writer. */
    private void written(int written) {
        flagsWritten = written;
        if (quiet != null) {
            quiet.written(index, written);
        }
    }

    // ---- what it is ----

    String name() {
        return definition.name();
    }

    AlarmDefinition definition() {
        return definition;
    }

    /** @return the alarm's flag byte in RMA */
    Allocation flagAllocation() {
        return definition.flags();
    }

    /** @return where the flag byte is, as one number ({@link Snapshot.Entry#place(int, int)}) */
    long place() {
        return Snapshot.Entry.place(definition.flags().bank(), definition.flags().byteOffset());
    }

    String tag() {
        return reading.tag();
    }

    /** @return its tag, where the scan finds the value, and what it found there */
    TagReading reading() {
        return reading;
    }

    int flagBlock() {
        return flagBlock;
    }

    int flagOffset() {
        return flagOffset;
    }

    /** @return what the value says about the condition ({@link Condition}) */
    int condition(double value) {
        return reading.condition(value);
    }

    // ---- its state, read ----

    int flags() {
        return flags;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    AlarmState state() {
        return AlarmFlags.state(flags);
    }

    boolean inAlarm() {
        return AlarmFlags.inAlarm(flags);
    }

    /** Whether the scan evaluates the condition: enabled and in service. */
    boolean evaluated() {
        return (flags & (ENABLED | OUT_OF_SERVICE)) == ENABLED;
    }

    /** @return the flags last written to RMA, or {@link #UNWRITTEN} */
    int flagsWritten() {
        return flagsWritten;
    }

    long activatedAt() {
        return activatedAt;
    }

    long ackedAt() {
        return ackedAt;
    }

    long clearedAt() {
        return clearedAt;
    }

    long shelvedUntil() {
        return shelvedUntil;
    }

    long shelveDeadline() {
        return shelveDeadline;
    }

    boolean oneShot() {
        return oneShot;
    }

    String ackUser() {
        return ackUser;
    }

    String ackComment() {
        return ackComment;
    }

    long pendingSince() {
        return pendingSince;
    }

    boolean pristine() {
        return pristine;
    }

    Quality quality() {
        return reading.quality();
    }

    String qualityDetail() {
        return reading.detail();
    }

    long sequence() {
        return sequence;
    }

    /** @return whether a change is not committed to the journal yet */
    boolean uncommitted() {
        return sequence != journaled;
    }

    /** @return whether any of its timestamps could not be recovered */
    boolean timestampsUnknown() {
        return activatedAt == UNKNOWN || ackedAt == UNKNOWN || clearedAt == UNKNOWN || shelvedUntil == UNKNOWN;
    }

    /** @return activations so far (of this run, since the chattering count last changed) */
    int activationCount() {
        return activationCount;
    }

    /** @return a copy of the ring of recent activation times (empty before the first) */
    long[] activations() {
        return activations == null ? new long[0] : activations.clone();
    }

    /**
     * @return whether at least {@code count} activations happened within {@code windowMillis} before
     *         {@code now} (the chattering KPI)
     */
    boolean chatters(long now, int count, long windowMillis) {
        int n = activations == null ? 0 : activations.length;
        if (n == 0 || activationCount < count || count > n) {
            return false;
        }
        long oldest = activations[(activationCount - count) % n]; // the oldest of the last `count`
        return now - oldest <= windowMillis;
    }

    /** The value as clients see it: Boolean, Long, Float (FLOAT32) or Double; null when unknown. */
    Object valueObject() {
        return reading.valueObject();
    }

    /**
     * @param spec its definition as clients see it ({@link AlarmTable#alarm})
     * @return the alarm as clients see it; timestamps that could not be recovered are named as unknown
     */
    Alarm toAlarm(nexus.alarm.AlarmSpec spec) {
        Set<String> unknown = new LinkedHashSet<>();
        return new Alarm(spec, tag(), state(), flags, valueObject(), instant(activatedAt, "activatedAt", unknown),
                instant(ackedAt, "ackedAt", unknown), ackUser, ackComment, instant(clearedAt, "clearedAt", unknown),
                instant(shelvedUntil, "shelvedUntil", unknown), oneShot, shelveUser, shelveReason, sequence, unknown,
                quality(), qualityDetail());
    }

    private static Instant instant(long millis, String name, Set<String> unknown) {
        if (millis == UNKNOWN) {
            unknown.add(name);
            return null;
        }
        return millis == NONE ? null : Instant.ofEpochMilli(millis);
    }

    /** @return the whole state, as the journal and the snapshot keep it */
    Snapshot.Entry entry() {
        return new Snapshot.Entry(name(), flags, definition.flags().bank(), definition.flags().byteOffset(), activatedAt, ackedAt,
                clearedAt, shelvedUntil, oneShot, ackUser, ackComment, shelveUser, shelveReason, sequence);
    }

    // ---- lifecycle steps (AlarmStateMachine decides when) ----

    /** The scan saw its tag's value (NaN: unreadable or not a number). */
    void value(double value) {
        touched();
        reading.value(value);
    }

    /**
     * The scan saw the value's quality, and why it is not GOOD (null when it is).
     *
     * @return whether the quality differs from the last scan's
     */
    boolean quality(Quality quality, String detail) {
        touched();
        return reading.quality(quality, detail);
    }

    /** A delay starts (the condition asks for the opposite of ACTIVE since {@code mono}), unless one runs. */
    void pending(long mono) {
        touched();
        if (pendingSince == NONE) {
            pendingSince = mono;
        }
    }

    /** No delay runs. */
    void notPending() {
        touched();
        pendingSince = NONE;
    }

    /** A new occurrence: active, unacknowledged if it requires an acknowledgement; kept in the chattering ring. */
    void activate(long now, int chatterCount) {
        touched();
        set(ACTIVE, true);
        set(LATCHED, false);
        set(ACKED, !definition.requiresAck());
        activatedAt = now;
        clearedAt = NONE;
        forgetAcknowledgement();
        if (activations == null || activations.length != chatterCount) {
            activations = new long[chatterCount];
            activationCount = 0;
        }
        activations[activationCount++ % chatterCount] = now;
    }

    /** The condition cleared: no longer active; a latching alarm stays latched. */
    void clear(long now) {
        touched();
        set(ACTIVE, false);
        set(LATCHED, definition.latching());
        clearedAt = now;
    }

    /** Acknowledged now, by whom (null: by a rule, not an operator) and why. */
    void acknowledge(String user, String comment, long now) {
        touched();
        set(ACKED, true);
        ackedAt = now;
        ackUser = user;
        ackComment = comment;
    }

    /** Acknowledged without an acknowledgement of its own (nothing was left to acknowledge). */
    void markAcknowledged() {
        touched();
        set(ACKED, true);
    }

    /** Waits for an acknowledgement again; the previous one is forgotten. */
    void unacknowledge() {
        touched();
        set(ACKED, false);
        forgetAcknowledgement();
    }

    private void forgetAcknowledgement() {
        ackedAt = NONE;
        ackUser = null;
        ackComment = null;
    }

    /** A latched alarm is reset. */
    void unlatch() {
        touched();
        set(LATCHED, false);
    }

    /** Shelved for {@code millis} from now (wall clock) and {@code mono} (the monotonic deadline). */
    void shelve(long millis, boolean oneShot, String user, String reason, long now, long mono) {
        touched();
        set(SHELVED, true);
        shelvedUntil = now + millis;
        shelveDeadline = mono + millis;
        this.oneShot = oneShot;
        shelveUser = user;
        shelveReason = reason;
    }

    /** The shelve ends (acknowledgement rules aside: those are the state machine's). */
    void unshelve() {
        touched();
        set(SHELVED, false);
        shelvedUntil = NONE;
        shelveDeadline = NONE;
        oneShot = false;
        shelveUser = null;
        shelveReason = null;
    }

    /** Sets or clears a flag the operator controls (SUPPRESSED, OUT_OF_SERVICE, ENABLED). */
    void operatorFlag(int flag, boolean on) {
        touched();
        set(flag, on);
    }

    /** Out of service or disabled: the occurrence, its delays and any shelve end; nothing waits for an operator. */
    void endOccurrence(long now) {
        touched();
        if (inAlarm() && !has(LATCHED)) {
            clearedAt = now;
        }
        set(ACTIVE, false);
        set(LATCHED, false);
        set(ACKED, true);
        unshelve();
        pendingSince = NONE;
    }

    /** @return the next event's sequence number: something happened, so the alarm is no longer pristine */
    long nextSequence() {
        touched();
        pristine = false;
        return ++sequence;
    }

    private void set(int flag, boolean on) {
        flags = on ? flags | flag : flags & ~flag;
    }

    // ---- taking over after a restart (Recovery decides which) ----

    /** Starts NORMAL: RMA held nothing that is this alarm's. Its flags are to be written. */
    void startFresh() {
        touched();
        flags = AlarmFlags.INITIAL;
        written(UNWRITTEN);
        pristine = true;
    }

    /** Takes the flag byte RMA holds; its timestamps are for the caller to restore or mark unknown. */
    void takeFlags(int stored) {
        touched();
        flags = stored;
        written(stored);
        pristine = false;
    }

    /** Takes the journal's last state of this alarm whole; a shelve keeps its remaining time on the monotonic clock. */
    void restore(Snapshot.Entry entry, long now, long mono) {
        touched();
        flags = entry.flags();
        activatedAt = entry.activatedAt();
        ackedAt = entry.ackedAt();
        clearedAt = entry.clearedAt();
        shelvedUntil = entry.shelvedUntil();
        shelveDeadline = shelvedUntil == NONE || shelvedUntil == UNKNOWN ? shelvedUntil
                : mono + Math.max(0, shelvedUntil - now);
        oneShot = entry.oneShot();
        ackUser = entry.ackUser();
        ackComment = entry.ackComment();
        shelveUser = entry.shelveUser();
        shelveReason = entry.shelveReason();
    }

    /** Every timestamp its flags imply is unknown (none is invented); the others do not exist. */
    void timestampsFromFlagsOnly() {
        touched();
        boolean acked = has(ACKED);
        activatedAt = inAlarm() || !acked ? UNKNOWN : NONE;
        clearedAt = has(LATCHED) || !has(ACTIVE) && !acked ? UNKNOWN : NONE;
        ackedAt = acked && inAlarm() ? UNKNOWN : NONE;
        shelvedUntil = has(SHELVED) ? UNKNOWN : NONE;
    }

    /** Sequence numbers carry on from {@code sequence} (never backwards); that state is committed. */
    void carryOnFrom(long sequence) {
        touched();
        this.sequence = Math.max(this.sequence, sequence);
        this.journaled = this.sequence;
    }

    // ---- how far RMA and the journal caught up (the engine's parts record it) ----

    /** The flags must be written to RMA (someone else's byte is there, a new backend, a new place). */
    void flagsToWrite() {
        touched();
        written(UNWRITTEN);
    }

    /** RMA holds {@code written} for this alarm. */
    void flagsWritten(int written) {
        touched();
        written(written);
    }

    /** Its state is committed to the journal. */
    void committed() {
        touched();
        journaled = sequence;
    }

    /** Its state must be committed again, whatever its sequence (a move the journal could not take). */
    void commitAgain() {
        touched();
        journaled = Long.MIN_VALUE;
    }

    /** Takes over another record's runtime state: the same alarm in a new registry version, or an undo. */
    void takeStateOf(AlarmRecord other) {
        touched();
        flags = other.flags;
        activatedAt = other.activatedAt;
        ackedAt = other.ackedAt;
        clearedAt = other.clearedAt;
        shelvedUntil = other.shelvedUntil;
        shelveDeadline = other.shelveDeadline;
        oneShot = other.oneShot;
        ackUser = other.ackUser;
        ackComment = other.ackComment;
        shelveUser = other.shelveUser;
        shelveReason = other.shelveReason;
        pendingSince = other.pendingSince;
        reading.takeStateOf(other.reading);
        sequence = other.sequence;
        journaled = other.journaled;
        activations = other.activations;
        activationCount = other.activationCount;
        pristine = other.pristine;
    }

    /** @return a copy of the runtime state, to undo an action that could not be made durable */
    AlarmRecord copy() {
        AlarmRecord copy = new AlarmRecord(definition, reading.copy(), flagBlock, flagOffset);
        copy.takeStateOf(this);
        return copy;
    }
}
