package nexus.query;

import java.util.List;
import java.util.Objects;

import nexus.core.NexusException;

/**
 * What a restore found (a dry run) or did (a real run). Immutable.
 *
 * <p>A real run that stops part-way is answered, not thrown: {@code written} names exactly the tags
 * whose write was carried out, {@code failed} the one that failed and why, {@code notWritten} every
 * change not attempted after it.
 *
 * @param dryRun          whether nothing was written
 * @param registryVersion the registry version the restore was checked against
 * @param layoutHash      the layout hash of the snapshot's tags now ({@code sha256:} and 64 hex digits)
 * @param confirmation    what the real run presents (a dry run's, opaque); {@code null} in a real run's answer
 * @param tags            how many tags the snapshot holds
 * @param unchanged       how many of them already hold the snapshot's value
 * @param changes         the values that differ, in the snapshot's order: every one a real run writes
 *                        (writable), and the first {@value #LISTED} of those it does not (not writable)
 * @param skipped         the first {@value #LISTED} tags of the snapshot that are not written, and why:
 *                        not writable and differing, no value in the snapshot, no tag with the path now
 *                        (only with map by path)
 * @param skippedTags     how many tags are skipped in all (a live plant's read-only values all differ)
 * @param written         the paths written, in order (empty in a dry run)
 * @param failed          the writes that failed, with the reason; empty when none did
 * @param notWritten      the changes not attempted because a write before them failed
 * @since 2.4
 */
public record RestoreResult(boolean dryRun, long registryVersion, String layoutHash, String confirmation, int tags,
        int unchanged, List<Change> changes, List<Skip> skipped, int skippedTags, List<String> written, List<Failure> failed,
        List<String> notWritten) {

    /** The most skipped tags, and changes to tags that are not writable, a result lists (the rest are counted). */
    public static final int LISTED = 100;

    /**
     * One value the snapshot would change.
     *
     * @param current  the value now, as read; {@code null} when it cannot be read (its quality is bad)
     * @param snapshot the snapshot's value, as the tag's type holds it
     * @param unit     the tag's engineering unit, or {@code null}
     * @param writable whether the tag is writable (a change to a tag that is not is also a skip)
     */
    public record Change(String path, Object current, Object snapshot, String unit, boolean writable) {
        public Change {
            Objects.requireNonNull(path, "path");
        }
    }

    /** A tag of the snapshot that is not written, and why (a sentence). */
    public record Skip(String path, String reason) {
        public Skip {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A write that failed, with the code and message a single write would have thrown. */
    public record Failure(String path, NexusException error) {
        public Failure {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(error, "error");
        }
    }

    public RestoreResult {
        changes = List.copyOf(changes);
        skipped = List.copyOf(skipped);
        written = List.copyOf(written);
        failed = List.copyOf(failed);
        notWritten = List.copyOf(notWritten);
    }

    /** @return whether every change to a writable tag was written (a dry run: whether none failed, trivially) */
    public boolean complete() {
        return failed.isEmpty() && notWritten.isEmpty();
    }
}
