package nexus.query;

import java.util.Objects;

import nexus.core.NexusException;

/**
 * What became of one write of a batch.
 *
 * @param path    the tag's path as given
 * @param reading the tag with its value read back after the write; {@code null} when refused
 * @param error   why the write was refused or failed (code and message exactly as a single write
 *                would throw them); {@code null} when written
 * @since 1.2
 */
public record WriteResult(String path, TagReading reading, NexusException error) {
    public WriteResult {
        Objects.requireNonNull(path, "path");
        if ((reading == null) == (error == null)) {
            throw new IllegalArgumentException("a write result has a reading or an error, not both or neither");
        }
    }

    public boolean ok() {
        return error == null;
    }
}
