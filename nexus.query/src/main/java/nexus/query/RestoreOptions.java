package nexus.query;

/**
 * How {@link SnapshotService#restore} runs.
 *
 * @param dryRun    {@code true}: check everything, write nothing, answer the diff and a confirmation;
 *                  {@code false}: write, presenting the confirmation of a dry run
 * @param confirmation the {@link RestoreResult#confirmation()} of the dry run of the same snapshot; required
 *                  when writing, ignored in a dry run
 * @param mapByPath {@code true}: take a snapshot of another layout (its layout hash differs from the
 *                  tags' layout now), matching its tags by path; a tag no longer there is skipped
 * @since 2.4
 */
public record RestoreOptions(boolean dryRun, String confirmation, boolean mapByPath) {

    /** A dry run. */
    public static RestoreOptions dryRun(boolean mapByPath) {
        return new RestoreOptions(true, null, mapByPath);
    }

    /** The real run of a dry run that answered this confirmation. */
    public static RestoreOptions confirmed(String confirmation, boolean mapByPath) {
        return new RestoreOptions(false, confirmation, mapByPath);
    }
}
