package nexus.query.internal;

import nexus.core.Access;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.query.QueryOptions;

/**
 * What a caller's access does to one query, said once: the part of the namespace its SQL sees, and
 * its row limit and time limit — the request's, the engine's and the role's, whichever is tightest.
 *
 * @param scope         {@link PathScope#ALL} for a caller who sees everything (unscoped connections),
 *                      its read scope, or nothing for a caller without the read permission
 * @param rows          the most rows to return
 * @param timeoutMillis how long SQLite may run
 */
record CallerBounds(PathScope scope, int rows, long timeoutMillis) {

    /** The bounds of a select: the request's row limit (or the engine's default), tightened. */
    static CallerBounds select(Access access, QueryOptions options, Limits limits) {
        int rows = options.limit() == QueryOptions.DEFAULT_LIMIT ? limits.defaultRows()
                : Math.min(options.limit(), limits.maxRows());
        return of(access, options, limits, rows);
    }

    /** The bounds of an explain: every row the caller sees, up to the engine's and the role's caps. */
    static CallerBounds explain(Access access, QueryOptions options, Limits limits) {
        return of(access, options, limits, limits.maxRows());
    }

    /** @return the part of the namespace a caller with this access sees through SQL */
    static PathScope scope(Access access) {
        if (access.seesAll()) {
            return PathScope.ALL;
        }
        return access.may(Permission.READ) ? access.read() : PathScope.NONE;
    }

    private static CallerBounds of(Access access, QueryOptions options, Limits limits, int rows) {
        long engine = options.timeoutMillis() == 0 ? limits.timeoutMillis()
                : Math.min(options.timeoutMillis(), limits.timeoutMillis());
        return new CallerBounds(scope(access), access.maxRows() == 0 ? rows : Math.min(rows, access.maxRows()),
                access.timeoutMillis() == 0 ? engine : Math.min(engine, access.timeoutMillis()));
    }
}
