package nexus.sparkplug.internal;

import java.util.Objects;

import nexus.query.TagInfo;
import nexus.query.TagValue;

/**
 * Which changes are worth an NDATA ({@code edge.deadband.absolute}, {@code edge.deadband.percent}).
 * A numeric change smaller than the absolute deadband, or smaller than the percentage of the tag's
 * engineering range (for a tag that has one), is held back; it is measured from the last value
 * PUBLISHED, so that a slow drift is published once it adds up. A quality change always passes,
 * and so does any change of a Boolean or String value. Immutable; thread-safe.
 *
 * @param absolute the absolute deadband, in the tag's unit (0: none)
 * @param percent  the deadband in percent of the engineering range (0: none)
 */
record Deadband(double absolute, double percent) {

    /**
     * @param tag       the tag, for its engineering range
     * @param published what was published last for it, or {@code null} when nothing was
     * @param now       its value now
     * @return whether the value now is to be published
     */
    boolean passes(TagInfo tag, TagValue published, TagValue now) {
        if (published == null || published.quality() != now.quality()) {
            return true;
        }
        if (Objects.equals(published.value(), now.value())) {
            return false;
        }
        if (!(published.value() instanceof Number before) || !(now.value() instanceof Number after)) {
            return true;
        }
        double change = Math.abs(after.doubleValue() - before.doubleValue());
        if (absolute > 0 && change < absolute) {
            return false;
        }
        return !(percent > 0 && tag != null && tag.engLow() != null && tag.engHigh() != null
                && change < percent / 100.0 * Math.abs(tag.engHigh() - tag.engLow()));
    }
}
