package nexus.query;

import java.util.Objects;

/**
 * A tag and its value as read now; in a read of many, also the answer for a path or id no tag has.
 *
 * @param path  the path asked for (the tag's path); {@code null} only for an id no tag has
 * @param tag   the tag's metadata; {@code null} when no tag has the path or id in the registry
 *              served now, and then the value's quality is {@link Quality#BAD_NOT_IN_REGISTRY}
 * @param value its value, quality and timestamp
 * @since 1.2
 */
public record TagReading(String path, TagInfo tag, TagValue value) {

    public TagReading {
        Objects.requireNonNull(value, "value");
        if (tag == null && value.quality() != Quality.BAD_NOT_IN_REGISTRY) {
            throw new IllegalArgumentException("a reading without a tag has the quality BAD_NOT_IN_REGISTRY");
        }
    }

    /** A reading of a tag. */
    public TagReading(TagInfo tag, TagValue value) {
        this(Objects.requireNonNull(tag, "tag").path(), tag, value);
    }

    /** @return the answer for a path (or, with {@code null}, an id) no tag has */
    public static TagReading notInRegistry(String path) {
        return new TagReading(path, null, new TagValue(null, Quality.BAD_NOT_IN_REGISTRY, 0));
    }
}
