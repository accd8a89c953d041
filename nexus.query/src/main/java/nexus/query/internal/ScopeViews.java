package nexus.query.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import nexus.core.PathScope;

/**
 * The part of one registry version a read scope sees, laid over a query connection so that users'
 * SQL runs unchanged: TEMP objects shadow the public views of the same name (SQLite resolves an
 * unqualified name in {@code temp} before {@code main}), and the query guard refuses every schema
 * name, so SQL can reach neither {@code main} nor {@code temp} directly.
 *
 * <table>
 * <caption>What a scoped connection's views hold</caption>
 * <tr><th>View</th><th>Rows</th></tr>
 * <tr><td>{@code tags}</td><td>the tags whose path the scope matches ({@link PathScope#matches})</td></tr>
 * <tr><td>{@code tag_properties}</td><td>the properties of those tags</td></tr>
 * <tr><td>{@code alarms}</td><td>the alarms that watch those tags</td></tr>
 * <tr><td>{@code banks}</td><td>the banks that hold one of those tags or the flag byte of one of those alarms</td></tr>
 * </table>
 *
 * The ids the scope sees are computed once per registry version and scope (by path, in Java, with
 * the same glob rule as every other check) and filled into {@code temp.scope} on each connection;
 * the views filter by it. Each row of a scoped view is the row of the public view, columns and
 * values unchanged, so an answer is what the same SQL answers over a registry that holds only the
 * visible part. Not thread-safe: used while a pool opens its connections, one after the other.
 */
final class ScopeViews {

    /** The TEMP objects, in order; the views name {@code main.} objects explicitly (inside, temp would shadow them). */
    static final List<String> DDL = List.of(
            "CREATE TEMP TABLE scope (id INTEGER PRIMARY KEY)",
            "CREATE TEMP TABLE scope_bank (id INTEGER PRIMARY KEY)",
            "CREATE TEMP TABLE scope_alarm (id INTEGER PRIMARY KEY)",
            "CREATE TEMP VIEW tags AS SELECT * FROM main.tags WHERE id IN (SELECT id FROM temp.scope)",
            "CREATE TEMP VIEW tag_properties AS SELECT * FROM main.tag_properties WHERE tag_id IN (SELECT id FROM temp.scope)",
            "CREATE TEMP VIEW alarms AS SELECT * FROM main.alarms WHERE id IN (SELECT id FROM temp.scope_alarm)",
            "CREATE TEMP VIEW banks AS SELECT * FROM main.banks WHERE id IN (SELECT id FROM temp.scope_bank)",
            // The tables behind the views, shadowed too: the query guard refuses their names, and should a
            // construct slip past it, SQL still reads the scope's part. (The public views in main keep
            // reading main's tables: SQLite resolves a view's own names in the view's schema.)
            "CREATE TEMP VIEW tag AS SELECT * FROM main.tag WHERE id IN (SELECT id FROM temp.scope)",
            "CREATE TEMP VIEW tag_property AS SELECT * FROM main.tag_property WHERE tag_id IN (SELECT id FROM temp.scope)",
            "CREATE TEMP VIEW alarm AS SELECT * FROM main.alarm WHERE id IN (SELECT id FROM temp.scope_alarm)",
            "CREATE TEMP VIEW bank AS SELECT * FROM main.bank WHERE id IN (SELECT id FROM temp.scope_bank)");

    /** Tables of main shadowed above; any other table of main (a later registry format's) is shadowed empty. */
    private static final Set<String> SHADOWED = Set.of("tag", "tag_property", "alarm", "bank");

    private static final String BANKS = "INSERT INTO temp.scope_bank SELECT bank_id FROM main.tag WHERE id IN"
            + " (SELECT id FROM temp.scope) UNION SELECT flag_bank_id FROM main.alarm WHERE id IN (SELECT id FROM temp.scope_alarm)";

    /** Ids per insert: at most 20 digits and a comma each, far below the connections' 10 MB value limit. */
    private static final int CHUNK = 50_000;

    private final PathScope scope;
    /** The visible tag ids in ascending order, once the first connection computed them. */
    private long[] ids;
    /** The visible alarm ids: those whose tag's path the scope matches (a contributed tag's, by the path it names). */
    private long[] alarmIds;

    /** @param scope what the caller reads; {@link PathScope#NONE} for a caller that reads nothing */
    ScopeViews(PathScope scope) {
        this.scope = scope;
    }

    /** @return how many tags the scope sees in the version, once a connection was prepared */
    int visible() {
        return ids == null ? 0 : ids.length;
    }

    /**
     * Lays the scope over a fresh query connection: lifts {@code query_only} for the TEMP schema
     * only while it is built, and sets it again before the connection is lent to any query.
     */
    void prepare(Connection db) throws SQLException {
        if (ids == null) {
            ids = visibleIds(db, scope);
            alarmIds = visibleAlarms(db, scope);
        }
        try (Statement statement = db.createStatement()) {
            statement.execute("PRAGMA temp_store = MEMORY");
            statement.execute("PRAGMA query_only = 0");
            try {
                for (String ddl : DDL) {
                    statement.execute(ddl);
                }
                for (String table : otherTables(db)) {
                    statement.execute("CREATE TEMP VIEW \"" + table + "\" AS SELECT * FROM main.\"" + table + "\" WHERE 0");
                }
                boolean auto = db.getAutoCommit();
                db.setAutoCommit(false);
                try {
                    fill(db, "temp.scope", ids);
                    fill(db, "temp.scope_alarm", alarmIds);
                    statement.execute(BANKS);
                    db.commit();
                } catch (SQLException e) {
                    db.rollback();
                    throw e;
                } finally {
                    db.setAutoCommit(auto);
                }
            } finally {
                statement.execute("PRAGMA query_only = 1");
            }
        }
    }

    /** Fills a TEMP id table: a JSON array per statement, unpacked inside SQLite (one call per chunk, not per id). */
    private static void fill(Connection db, String table, long[] values) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + table + " (id) SELECT value FROM json_each(?)")) {
            for (int from = 0; from < values.length; from += CHUNK) {
                insert.setString(1, json(values, from, Math.min(values.length, from + CHUNK)));
                insert.executeUpdate();
            }
        }
    }

    private static String json(long[] ids, int from, int to) {
        StringBuilder array = new StringBuilder(2 + (to - from) * 8).append('[');
        for (int i = from; i < to; i++) {
            if (i > from) {
                array.append(',');
            }
            array.append(ids[i]);
        }
        return array.append(']').toString();
    }

    /** @return main's tables that no view above shadows, {@code sqlite_} ones aside (SQLite reserves the name) */
    private static List<String> otherTables(Connection db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name FROM main.sqlite_master WHERE type = 'table'"
                        + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")) {
            while (rows.next()) {
                String name = rows.getString(1);
                if (!SHADOWED.contains(name) && name.indexOf('"') < 0) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /**
     * @return the ids of the alarms whose tag's path the scope matches: an alarm on a contributed tag
     *         by the path it names, whether this version has that tag or not (as the alarm service
     *         shows it)
     */
    static long[] visibleAlarms(Connection db, PathScope scope) throws SQLException {
        if (scope.isEmpty()) {
            return new long[0];
        }
        boolean byPath;
        try (Statement statement = db.createStatement(); ResultSet column = statement.executeQuery(
                "SELECT count(*) FROM pragma_table_info('alarm', 'main') WHERE name = 'tag_path'")) {
            byPath = column.next() && column.getInt(1) > 0;
        }
        long[] found = new long[64];
        int n = 0;
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery("SELECT a.id, "
                + (byPath ? "coalesce(a.tag_path, t.path)" : "t.path")
                + " FROM main.alarm a LEFT JOIN main.tag t ON t.id = a.tag_id ORDER BY a.id")) {
            while (rows.next()) {
                String path = rows.getString(2);
                if (path != null && scope.matches(path)) {
                    if (n == found.length) {
                        found = Arrays.copyOf(found, n * 2);
                    }
                    found[n++] = rows.getLong(1);
                }
            }
        }
        return Arrays.copyOf(found, n);
    }

    /** @return the ids of the tags whose path the scope matches, ascending */
    static long[] visibleIds(Connection db, PathScope scope) throws SQLException {
        if (scope.isEmpty()) {
            return new long[0];
        }
        long[] found = new long[1024];
        int n = 0;
        try (Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, path FROM main.tag ORDER BY id")) {
            while (rows.next()) {
                if (scope.matches(rows.getString(2))) {
                    if (n == found.length) {
                        found = Arrays.copyOf(found, n * 2);
                    }
                    found[n++] = rows.getLong(1);
                }
            }
        }
        return Arrays.copyOf(found, n);
    }
}
