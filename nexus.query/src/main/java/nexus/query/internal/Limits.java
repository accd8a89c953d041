package nexus.query.internal;

/**
 * The query engine's limits.
 *
 * @param defaultRows  rows returned when the caller gives no limit
 * @param maxRows      the most rows any query returns
 * @param timeoutMillis how long SQLite may run before it is interrupted
 * @param maxSql       the longest SQL text accepted
 * @param maxGap       the largest gap, in bytes, a block read merges over
 * @param maxBlock     the longest merged block, in bytes
 * @param planCache    how many read plans to keep
 */
record Limits(int defaultRows, int maxRows, long timeoutMillis, int maxSql, int maxGap, int maxBlock, int planCache) {

    static final Limits DEFAULT = new Limits(10_000, 100_000, 5_000, 65_536, 256, 4_096, 256);

    Limits {
        if (defaultRows < 1 || maxRows < 1 || timeoutMillis < 1 || maxSql < 1 || maxGap < 0 || maxBlock < 1 || planCache < 0) {
            throw new IllegalArgumentException("query limits must be positive");
        }
        defaultRows = Math.min(defaultRows, maxRows);
    }
}
