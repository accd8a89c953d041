package nexus.query;

/**
 * What a query cost.
 *
 * @param rows       rows returned
 * @param tags       rows that carry a tag value
 * @param banks      banks read
 * @param blocks     block reads
 * @param bytesRead  bytes copied from RMA
 * @param tagBytes   bytes of the tags themselves (bytesRead − tagBytes are gaps merged over)
 * @param planCached whether the read plan came from the cache
 * @param guardNanos time spent parsing and checking the SQL
 * @param sqlNanos   time spent in SQLite
 * @param planNanos  time spent planning the reads
 * @param readNanos  time spent reading RMA
 * @param decodeNanos time spent decoding values
 */
public record QueryStats(int rows, int tags, int banks, int blocks, long bytesRead, long tagBytes, boolean planCached,
        long guardNanos, long sqlNanos, long planNanos, long readNanos, long decodeNanos) {

    /** @return bytes read that belong to no requested tag */
    public long gapBytes() {
        return bytesRead - tagBytes;
    }
}
