package nexus.audit.internal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the journal lives and how much of it is kept.
 *
 * @param dir          the journal's folder (absolute)
 * @param fileMaxBytes a file that reaches this size is closed and the next record starts a new one
 * @param filesKeep    how many files are kept, the one being written included; older ones are deleted
 */
record JournalSettings(Path dir, long fileMaxBytes, int filesKeep) {

    JournalSettings {
        Objects.requireNonNull(dir, "dir");
        if (fileMaxBytes < 1 || filesKeep < 1) {
            throw new IllegalArgumentException("fileMaxBytes and filesKeep must be positive");
        }
    }
}
