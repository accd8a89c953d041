package nexus.query;

import java.util.Objects;

/**
 * One value to write.
 *
 * @param path  the tag's path
 * @param value Boolean, a Number (Long, Double, BigInteger, BigDecimal, …) or String, as the
 *              client sent it; the tag service checks it against the tag's type and range
 * @since 1.2
 */
public record TagWrite(String path, Object value) {
    public TagWrite {
        Objects.requireNonNull(path, "path");
    }
}
