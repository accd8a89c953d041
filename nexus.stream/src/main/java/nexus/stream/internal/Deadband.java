package nexus.stream.internal;

import nexus.query.TagInfo;

/**
 * A subscription's deadband (docs/streams.md): a numeric value passes when it moved more than the
 * band from the last value the subscription accepted (queued or sent), as OPC UA's data change filter
 * compares with the last value reported. A change of quality always passes; so does any change of a
 * boolean or text. {@link #NONE} passes every change (the watch reports only changes).
 *
 * @param absolute the band in the tag's units, or 0
 * @param percent  the band in percent of the tag's engineering range ({@code engHigh − engLow}), or 0;
 *                 tags without a range are not deadbanded
 */
record Deadband(double absolute, double percent) {

    static final Deadband NONE = new Deadband(0, 0);

    /** @return whether the subscription takes the reading {@code now}, after {@code last} (null: none yet) */
    boolean passes(Fragment last, Fragment now) {
        if (last == null || last.quality() != now.quality() || Double.isNaN(now.number()) || Double.isNaN(last.number())) {
            return true;
        }
        double band = band(now.tag());
        return band <= 0 || Math.abs(now.number() - last.number()) > band;
    }

    private double band(TagInfo tag) {
        if (absolute > 0) {
            return absolute;
        }
        if (percent > 0 && tag != null && tag.engLow() != null && tag.engHigh() != null) {
            return percent / 100 * (tag.engHigh() - tag.engLow());
        }
        return 0;
    }
}
