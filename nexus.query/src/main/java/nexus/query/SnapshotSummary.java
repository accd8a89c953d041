package nexus.query;

/**
 * What an export wrote: the same figures its trailer holds.
 *
 * @param registryVersion the registry version the tags were taken from
 * @param tags            how many tags the snapshot holds
 * @param layoutHash      {@code sha256:} and 64 hex digits, over the layout of those tags
 * @since 2.4
 */
public record SnapshotSummary(long registryVersion, long tags, String layoutHash) {
}
