package nexus.query;

import java.util.Objects;

/**
 * Which value changes are worth passing on: the one deadband rule of streams
 * ({@code docs/streams.md}) and of the Sparkplug edge node ({@code docs/federation.md}), as OPC UA's
 * data change filter has it. A number passes when it moved MORE than the band from the last value
 * passed on (so a slow drift passes once it adds up); the band is absolute, in the tag's unit, or a
 * percentage of the tag's engineering range ({@code engHigh − engLow}; a tag without a range is not
 * deadbanded). A change of quality always passes, and so does any change of a Boolean or a text.
 * Immutable; thread-safe.
 *
 * @param absolute the band in the tag's unit, or 0
 * @param percent  the band in percent of the tag's engineering range, or 0; at most one of the two
 *                 is set
 * @since 2.3
 */
public record Deadband(double absolute, double percent) {

    /** No deadband: every change passes. */
    public static final Deadband NONE = new Deadband(0, 0);

    /**
     * The rules of a deadband, said here only: callers put their own field names in front of the
     * message.
     *
     * @throws IllegalArgumentException an absolute band that is not a finite number of 0 or more, a
     *                                  percentage outside 0 to 100, or both set
     */
    public Deadband {
        if (!(absolute >= 0) || Double.isInfinite(absolute)) {
            throw new IllegalArgumentException("an absolute deadband is a finite number of 0 or more, not " + absolute);
        }
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("a deadband in percent of the engineering range is 0 to 100, not " + percent);
        }
        if (absolute > 0 && percent > 0) {
            throw new IllegalArgumentException("a deadband is absolute or a percentage of the engineering range, not"
                    + " both: set one and leave the other 0");
        }
    }

    /**
     * @param tag the tag, for its engineering range; {@code null} when unknown (no percent band)
     * @return the band for this tag, in its unit; 0 when there is none
     */
    public double band(TagInfo tag) {
        if (absolute > 0) {
            return absolute;
        }
        if (percent > 0 && tag != null && tag.engLow() != null && tag.engHigh() != null) {
            return percent / 100 * Math.abs(tag.engHigh() - tag.engLow());
        }
        return 0;
    }

    /**
     * @param tag  the tag, for its engineering range; {@code null} when unknown (no percent band)
     * @param last the number passed on last (NaN: none, or not a number)
     * @param now  the number now (NaN: not a number)
     * @return whether a numeric change from {@code last} to {@code now} passes
     */
    public boolean passes(TagInfo tag, double last, double now) {
        if (Double.isNaN(last) || Double.isNaN(now)) {
            return true;
        }
        double band = band(tag);
        return band > 0 ? Math.abs(now - last) > band : Double.compare(now, last) != 0;
    }

    /**
     * @param tag  the tag, for its engineering range; {@code null} when unknown (no percent band)
     * @param last the value passed on last, or {@code null} when none was
     * @param now  the value now, not {@code null}
     * @return whether {@code now} passes: a first value, a quality change, a changed Boolean or text,
     *         or a number that moved more than the band
     */
    public boolean passes(TagInfo tag, TagValue last, TagValue now) {
        if (last == null || last.quality() != now.quality()) {
            return true;
        }
        double band = band(tag);
        if (band > 0 && last.value() instanceof Number before && now.value() instanceof Number after) {
            return passes(tag, before.doubleValue(), after.doubleValue());
        }
        // No band: any change passes, compared exactly (two INT64 values above 2^53 may be one double).
        return !same(last.value(), now.value());
    }

    /** @return whether two values are equal, numbers as numbers: integers exactly, others as doubles */
    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            boolean integers = !(x instanceof Float || x instanceof Double) && !(y instanceof Float || y instanceof Double);
            return integers ? x.longValue() == y.longValue() : Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        return Objects.equals(a, b);
    }
}
