package nexus.query;

/**
 * Per-query options.
 *
 * @param limit the most rows to return; 0 for the configured default. A limit above the configured
 *              maximum is lowered to it.
 */
public record QueryOptions(int limit) {

    /** The configured defaults. */
    public static final QueryOptions DEFAULT = new QueryOptions(0);

    public QueryOptions {
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit + " is negative");
        }
    }
}
