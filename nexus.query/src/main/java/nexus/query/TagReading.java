package nexus.query;

import java.util.Objects;

/**
 * A tag and its value as read now.
 *
 * @param tag   the tag's metadata
 * @param value its value, quality and timestamp
 * @since 1.2
 */
public record TagReading(TagInfo tag, TagValue value) {
    public TagReading {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(value, "value");
    }
}
