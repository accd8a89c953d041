package nexus.stream.internal;

import java.util.Objects;

import nexus.query.Deadband;
import nexus.query.Quality;
import nexus.query.TagInfo;
import nexus.query.TagValue;

/**
 * One sampled reading of one tag of a {@link Feed}, encoded once and shared by every subscription of
 * the feed: each puts {@link #valueJson} into its own messages as it is.
 *
 * @param index     the tag's place in the feed's path list
 * @param path      the tag's path
 * @param pathJson  the path as a JSON string literal
 * @param tag       the tag's metadata, {@code null} when no tag had the path yet
 * @param valueJson the fields {@code "value":…,"quality":…,"ts":…} (no braces), as
 *                  {@link nexus.json.NexusJson#value} writes them
 * @param reading   the value as read (for comparisons and deadbands)
 */
record Fragment(int index, String path, String pathJson, TagInfo tag, String valueJson, TagValue reading) {

    /** @return whether the other reading has the same value and quality (as a watch compares them) */
    boolean same(Fragment other) {
        return other != null && same(other.reading);
    }

    /** @return whether the value read has the same value and quality as this reading */
    boolean same(TagValue other) {
        return reading.quality() == other.quality() && Objects.equals(reading.value(), other.value());
    }

    /**
     * @param deadband the subscription's deadband
     * @param last     the reading the subscription accepted last, {@code null} when none
     * @return whether the subscription takes this reading after {@code last} (the one rule of
     *         {@link Deadband}, with this reading's tag for the engineering range)
     */
    boolean passes(Deadband deadband, Fragment last) {
        return deadband.passes(tag, last == null ? null : last.reading, reading);
    }

    /** @return whether a tag has the path (in the registry version and as the caller sees it) */
    boolean present() {
        return reading.quality() != Quality.BAD_NOT_IN_REGISTRY;
    }

    /** Appends the item object of a data message: path and value fields, {@code overflow} when flagged. */
    void appendItem(StringBuilder out, boolean overflow) {
        out.append("{\"path\":").append(pathJson).append(',').append(valueJson);
        if (overflow) {
            out.append(",\"overflow\":true");
        }
        out.append('}');
    }

    /** Appends the item object of a snapshot or a {@code tags} message: path, type, unit and value fields. */
    void appendFullItem(StringBuilder out) {
        out.append("{\"path\":").append(pathJson)
                .append(",\"type\":").append(JsonText.quote(tag == null ? null : tag.type()))
                .append(",\"unit\":").append(JsonText.quote(tag == null ? null : tag.unit()))
                .append(',').append(valueJson).append('}');
    }
}
