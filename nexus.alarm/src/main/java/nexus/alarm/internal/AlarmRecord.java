package nexus.alarm.internal;

import nexus.alarm.AlarmFlags;
import nexus.alarm.AlarmState;
import nexus.core.AlarmCondition;
import nexus.registry.AlarmDefinition;
import nexus.rma.RmaType;

/**
 * One alarm's runtime state: its flags (the truth RMA mirrors) and its lifecycle in memory.
 * Mutable, not thread-safe: the engine's lock guards every record.
 */
final class AlarmRecord {

    /** A timestamp that does not exist (the alarm was never acknowledged, …). */
    static final long NONE = Long.MIN_VALUE;
    /** A timestamp that exists but could not be recovered after a restart. */
    static final long UNKNOWN = Long.MIN_VALUE + 1;

    final AlarmDefinition definition;
    final String tag;
    final RmaType tagType;
    final int tagBit;
    /** The definition's condition and limits, unpacked for the scan. */
    final AlarmCondition condition;
    final double limit;
    final double clearLimit;

    /** Where the scan finds the tag's value and the flag byte: a block of the scan's plan and the offset in it. */
    int valueBlock;
    int valueOffset;
    int flagBlock;
    int flagOffset;

    int flags = AlarmFlags.INITIAL;
    /** The flags last written to RMA, or -1 when they must be written. */
    int flagsWritten = -1;

    long activatedAt = NONE;
    long ackedAt = NONE;
    long clearedAt = NONE;
    long shelvedUntil = NONE;
    /** When the shelve ends on the monotonic clock (wall-clock steps neither stretch nor cut a shelve). */
    long shelveDeadline = NONE;
    boolean oneShot;
    String ackUser;
    String ackComment;
    String shelveUser;
    String shelveReason;

    /**
     * Since when (monotonic milliseconds) the condition has asked for the opposite of {@code ACTIVE}
     * (a delay running), or NONE.
     */
    long pendingSince = NONE;
    /** Started from INITIAL because RMA held nothing for it, and nothing has happened since. */
    boolean pristine;
    /** The tag's value at the last scan (BOOL: 0 or 1); NaN when it could not be read or is not a number. */
    double value = Double.NaN;

    long sequence;
    /** The sequence of the last state committed to the journal (or recovered from it). */
    long journaled;
    /** The most recent activation times, a ring for the chattering KPI; null until the first one. */
    long[] activations;
    int activationCount;

    AlarmRecord(AlarmDefinition definition, String tag, RmaType tagType, int tagBit) {
        this.definition = definition;
        this.tag = tag;
        this.tagType = tagType;
        this.tagBit = tagBit;
        this.condition = definition.condition();
        this.limit = definition.limit() == null ? Double.NaN : definition.limit();
        this.clearLimit = switch (condition) {
            case HI, HIHI -> limit - definition.deadband();
            case LO, LOLO -> limit + definition.deadband();
            default -> limit;
        };
    }

    String name() {
        return definition.name();
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    void set(int flag, boolean on) {
        flags = on ? flags | flag : flags & ~flag;
    }

    AlarmState state() {
        return AlarmFlags.state(flags);
    }

    boolean inAlarm() {
        return AlarmFlags.inAlarm(flags);
    }

    /** Whether the scan evaluates the condition: enabled and in service. */
    boolean evaluated() {
        return (flags & (AlarmFlags.ENABLED | AlarmFlags.OUT_OF_SERVICE)) == AlarmFlags.ENABLED;
    }

    /** Takes over another record's runtime state (the same alarm in a new registry version). */
    void takeStateOf(AlarmRecord other) {
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
        value = other.value;
        sequence = other.sequence;
        journaled = other.journaled;
        activations = other.activations;
        activationCount = other.activationCount;
        pristine = other.pristine;
    }

    /** @return a copy of the runtime state, to undo an action that could not be made durable */
    AlarmRecord copy() {
        AlarmRecord copy = new AlarmRecord(definition, tag, tagType, tagBit);
        copy.takeStateOf(this);
        return copy;
    }

    /** The value as clients see it: Boolean, Long, Float (FLOAT32) or Double; null when unknown. */
    Object valueObject() {
        if (Double.isNaN(value)) {
            return null;
        }
        if (tagType == RmaType.BOOL) {
            return value != 0;
        }
        return switch (tagType) {
            case FLOAT32 -> (Object) (float) value;
            case FLOAT64 -> (Object) value;
            default -> (Object) (long) value;
        };
    }
}
