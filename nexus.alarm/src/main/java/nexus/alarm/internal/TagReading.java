package nexus.alarm.internal;

import nexus.core.AlarmCondition;
import nexus.query.Quality;
import nexus.registry.AlarmDefinition;
import nexus.rma.BlockRead;
import nexus.rma.RmaType;
import nexus.rma.ValueCodec;

/**
 * What one alarm watches and what the scan last found there: its tag (path, type, bit), where the
 * scan's merged read holds the value, the value, its quality and why it is not GOOD, and the quality
 * last told to those who follow alarms (a {@code QUALITY_CHANGED} event). Part of an
 * {@link AlarmRecord}; mutable, not thread-safe: the engine's lock guards it.
 */
final class TagReading {

    /** {@link #block()} of an alarm the registry version could not resolve: its tag is not read. */
    static final int NO_VALUE = -1;

    private final String tag;
    private final RmaType type;
    private final int bit;
    /** The definition's condition and limits, unpacked for the scan. */
    private final AlarmCondition condition;
    private final double limit;
    private final double clearLimit;
    /** Where the scan finds the value: a block of the scan's plan and the offset in it. */
    private final int block;
    private final int offset;

    /** The value at the last scan (BOOL: 0 or 1); NaN when it could not be read or is not a number. */
    private double value = Double.NaN;
    /**
     * The last value that was known (read, or shown as STALE), NaN before the first, and the type it
     * had (a version that lacks the tag has none).
     */
    private double lastKnown = Double.NaN;
    private RmaType lastKnownType;
    /** The value's quality at the last scan, and why it is not GOOD (null when it is). */
    private Quality quality = Quality.GOOD;
    private String detail;
    /** The quality the last {@code QUALITY_CHANGED} event told (GOOD before any: an alarm starts evaluated). */
    private Quality told = Quality.GOOD;
    /** For how many scans in a row {@link #quality} has been what it is (at most {@link #SETTLED}). */
    private int held;

    /**
     * Scans a quality must hold before it is told: a contended read that passes at the next scan,
     * or a backend swap, is not news for the journal and every sink.
     */
    static final int SETTLED = 3;

    /**
     * @param tag    the watched tag's path
     * @param type   its type; null when the registry version has no such tag
     * @param block  the block of the scan's plan holding the value, and its offset there;
     *               {@link #NO_VALUE} when the alarm is not resolved in the version (nothing is read)
     */
    TagReading(AlarmDefinition definition, String tag, RmaType type, int bit, int block, int offset) {
        this.tag = tag;
        this.type = type;
        this.bit = bit;
        this.block = block;
        this.offset = offset;
        this.condition = definition.condition();
        this.limit = definition.limit() == null ? Double.NaN : definition.limit();
        this.clearLimit = switch (condition) {
            case HI, HIHI -> limit - definition.deadband();
            case LO, LOLO -> limit + definition.deadband();
            default -> limit;
        };
    }

    private TagReading(TagReading same) {
        this.tag = same.tag;
        this.type = same.type;
        this.bit = same.bit;
        this.block = same.block;
        this.offset = same.offset;
        this.condition = same.condition;
        this.limit = same.limit;
        this.clearLimit = same.clearLimit;
        takeStateOf(same);
    }

    String tag() {
        return tag;
    }

    RmaType type() {
        return type;
    }

    int bit() {
        return bit;
    }

    int block() {
        return block;
    }

    int offset() {
        return offset;
    }

    /** @return whether the scan reads the tag's value: the registry version resolved the alarm */
    boolean hasValue() {
        return block != NO_VALUE;
    }

    /** @return what the value says about the condition ({@link Condition}) */
    int condition(double value) {
        return Condition.evaluate(condition, limit, clearLimit, value);
    }

    double value() {
        return value;
    }

    Quality quality() {
        return quality;
    }

    String detail() {
        return detail;
    }

    Quality told() {
        return told;
    }

    /**
     * Takes the value and its quality from this scan's reads. Only a GOOD value says anything about
     * the condition: an alarm the registry version did not resolve reads nothing (the registry says
     * why), a STALE value is shown but not evaluated, an unreadable one is unknown.
     *
     * @param reads   the scan's reads, by block of its plan
     * @param quality says why a block's read is not OK
     * @return what the value says about the condition ({@link Condition})
     */
    int read(AlarmDefinition definition, BlockRead[] reads, TagQuality quality) {
        if (block == NO_VALUE) {
            value = Double.NaN;
            quality(TagQuality.unresolved(definition), definition.tagProblem());
            return Condition.UNKNOWN;
        }
        BlockRead read = reads[block];
        value(read.hasData() ? decode(read) : Double.NaN);
        if (read.ok()) {
            quality(Quality.GOOD, null);
            return condition(value);
        }
        quality(Quality.of(read.status()), quality.detail(block));
        return Condition.UNKNOWN;
    }

    /** The scan saw the value (NaN: unreadable or not a number). */
    void value(double value) {
        this.value = value;
        if (!Double.isNaN(value)) {
            lastKnown = value;
            lastKnownType = type;
        }
    }

    /**
     * The scan saw the value's quality, and why it is not GOOD (null when it is).
     *
     * @return whether the quality differs from the last scan's
     */
    boolean quality(Quality quality, String detail) {
        boolean changed = quality != this.quality;
        this.quality = quality;
        this.detail = detail;
        held = changed ? 1 : Math.min(SETTLED, held + 1);
        return changed;
    }

    /** @return whether the quality has held for {@link #SETTLED} scans: another scan with it changes nothing */
    boolean settled() {
        return held >= SETTLED;
    }

    /** @return whether the quality differs from the last one told and has held for {@link #SETTLED} scans */
    boolean toTell() {
        return quality != told && held >= SETTLED;
    }

    /** The quality now is told (a {@code QUALITY_CHANGED} event). */
    void tell() {
        told = quality;
    }

    /** The value as clients see it: Boolean, Long, Float (FLOAT32) or Double; null when unknown. */
    Object valueObject() {
        return object(value, type);
    }

    /** @return the last value known, as {@link #valueObject()} gives it; null when none ever was */
    Object lastKnownObject() {
        return object(lastKnown, lastKnownType);
    }

    private static Object object(double v, RmaType type) {
        if (Double.isNaN(v) || type == null) {
            return null;
        }
        return switch (type) {
            case BOOL -> (Object) (v != 0);
            case FLOAT32 -> (Object) (float) v;
            case FLOAT64 -> (Object) v;
            default -> (Object) (long) v;
        };
    }

    /** Takes over another reading's runtime state: the same alarm in a new registry version, or an undo. */
    void takeStateOf(TagReading other) {
        value = other.value;
        lastKnown = other.lastKnown;
        lastKnownType = other.lastKnownType;
        quality = other.quality;
        detail = other.detail;
        told = other.told;
        held = other.held;
    }

    /** @return a copy, runtime state included */
    TagReading copy() {
        return new TagReading(this);
    }

    private double decode(BlockRead read) {
        return switch (type) {
            case BOOL -> ValueCodec.getBool(read.buffer(), offset, bit) ? 1 : 0;
            case FLOAT32, FLOAT64 -> ValueCodec.getDouble(read.buffer(), offset, type);
            case STRING -> Double.NaN;
            default -> ValueCodec.getLong(read.buffer(), offset, type);
        };
    }
}
