package nexus.query;

import java.util.Map;
import java.util.Objects;

/**
 * A tag's metadata as front-ends show it: its path, where its value lives and what may be written
 * to it. Immutable.
 *
 * @param id          the tag's id in the registry version it came from
 * @param path        the unique, slash-separated path
 * @param type        the RMA type's name: {@code BOOL}, {@code INT16}, … {@code STRING}
 * @param bank        the name of the bank the value lives in
 * @param byteOffset  the value's first byte in the bank
 * @param bitOffset   the bit within that byte for BOOL tags (0–7), else 0
 * @param length      the value's length in bytes
 * @param unit        the engineering unit, or {@code null}
 * @param description a description, or {@code null}
 * @param writable    whether clients may write it
 * @param engLow      the engineering range's low end, or {@code null}
 * @param engHigh     the engineering range's high end, or {@code null}
 * @param properties  free-form properties; empty where a listing leaves them out
 * @since 1.2
 */
public record TagInfo(long id, String path, String type, String bank, int byteOffset, int bitOffset, int length,
        String unit, String description, boolean writable, Double engLow, Double engHigh,
        Map<String, String> properties) {

    public TagInfo {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
