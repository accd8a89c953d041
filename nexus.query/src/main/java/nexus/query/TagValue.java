package nexus.query;

import java.util.Objects;

/**
 * A tag's value as read from RMA.
 *
 * @param value     Boolean, Long, Float, Double or String; {@code null} when the quality is BAD
 * @param quality   how far the value can be trusted
 * @param timestamp the bank's last write in nanoseconds since the Unix epoch, 0 when never written
 *                  or unknown
 */
public record TagValue(Object value, Quality quality, long timestamp) {
    public TagValue {
        Objects.requireNonNull(quality, "quality");
    }
}
