package nexus.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Per-query options; the limits may only tighten what the query service is configured with.
 *
 * <p>{@code params} are the values of the SQL's placeholders, by position: {@code ?} takes the
 * next one, {@code ?NNN} the NNN-th (1-based), as in SQLite. A value is a {@link String}, a whole
 * number ({@link Long}, {@link Integer}, {@link Short}, {@link Byte}, or a
 * {@link java.math.BigInteger} within 64 bits), a finite floating-point number ({@link Double},
 * {@link Float}, {@link java.math.BigDecimal}), a {@link Boolean} (bound as 1 or 0, as SQLite
 * stores booleans) or {@code null}. The query service refuses anything else, and a count that
 * does not match the placeholders, with {@code INVALID_ARGUMENT} naming the index; named
 * placeholders ({@code :name}, {@code @name}, {@code $name}) with {@code QUERY_REJECTED}.
 *
 * @param limit         the most rows to return, or {@link #DEFAULT_LIMIT} for the configured default.
 *                      0 returns no rows, like SQL's {@code LIMIT 0}: the columns, and
 *                      {@code truncated} when any row matched (1.1; before, 0 meant the default).
 *                      A limit above the configured maximum is lowered to it.
 * @param timeoutMillis how long SQLite may run; 0 for the configured time limit, which is also the
 *                      most a caller may ask for
 * @param params        the placeholder values in order, never null (empty: the SQL has no
 *                      placeholders); an unmodifiable copy that may hold nulls
 * @since 1.1
 */
public record QueryOptions(int limit, long timeoutMillis, List<Object> params) {

    /**
     * The {@code limit} that asks for the configured default number of rows.
     *
     * @since 1.1
     */
    public static final int DEFAULT_LIMIT = -1;

    /** The configured defaults, no parameters. */
    public static final QueryOptions DEFAULT = new QueryOptions(DEFAULT_LIMIT, 0);

    public QueryOptions {
        if (limit < DEFAULT_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " is negative");
        }
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeout " + timeoutMillis + " is negative");
        }
        // List.copyOf refuses nulls, and SQL NULL is a legitimate parameter.
        params = params == null || params.isEmpty() ? List.of() : Collections.unmodifiableList(new ArrayList<>(params));
    }

    /** Options without parameters. */
    public QueryOptions(int limit, long timeoutMillis) {
        this(limit, timeoutMillis, List.of());
    }

    /** @return options with this row limit (0: no rows) and the configured time limit */
    public static QueryOptions limit(int limit) {
        return new QueryOptions(limit, 0);
    }

    /**
     * @return these options with these placeholder values
     * @since 1.1
     */
    public QueryOptions withParams(List<?> values) {
        return new QueryOptions(limit, timeoutMillis, values == null ? List.of() : new ArrayList<>(values));
    }
}
