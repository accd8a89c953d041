package nexus.query;

/**
 * Per-query options; each may only tighten what the query service is configured with.
 *
 * @param limit         the most rows to return; 0 for the configured default. A limit above the
 *                      configured maximum is lowered to it.
 * @param timeoutMillis how long SQLite may run; 0 for the configured time limit, which is also the
 *                      most a caller may ask for
 */
public record QueryOptions(int limit, long timeoutMillis) {

    /** The configured defaults. */
    public static final QueryOptions DEFAULT = new QueryOptions(0, 0);

    public QueryOptions {
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit + " is negative");
        }
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeout " + timeoutMillis + " is negative");
        }
    }

    /** @return options with this row limit and the configured time limit */
    public static QueryOptions limit(int limit) {
        return new QueryOptions(limit, 0);
    }
}
