package nexus.registry.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import nexus.registry.Problem;
import nexus.registry.Problem.Kind;

/**
 * The public views ({@link Schema#PUBLIC_VIEWS}) a registry is queried through are SQL, and a file
 * may carry any SQL under their names: {@code drop view alarms; create view alarms as select …}
 * would make every query answer what the file's author chose, and the scoped views, which filter
 * the public ones by id, would let a forged id through. So every private copy RMA Nexus serves gets
 * the standard views of its schema version ({@link Schema#views}) in place of the file's own, and its
 * triggers dropped (a registry has none; one would run on the contributions written into the copy).
 * The user's file is never written. Stateless.
 */
final class StandardViews {

    private StandardViews() {
    }

    /**
     * Replaces the public views of a private copy by the standard ones and drops its triggers. A file
     * that is no RMA Nexus registry of a version this node reads is left as it is: the loader refuses it.
     *
     * @throws SQLException when the copy cannot be written, or the standard views cannot be created
     *                      on its tables (the file lacks a table or column they read)
     */
    static void replace(Connection db) throws SQLException {
        int version = version(db);
        if (version == 0) {
            return;
        }
        db.setAutoCommit(false);
        try (Statement statement = db.createStatement()) {
            List<String> drop = new ArrayList<>();
            try (ResultSet row = statement.executeQuery("SELECT type, name FROM sqlite_schema WHERE type = 'trigger'"
                    + " OR (type IN ('view', 'table', 'index') AND lower(name) IN ('banks', 'tags', 'tag_properties', 'alarms'))")) {
                while (row.next()) {
                    drop.add("DROP " + row.getString(1).toUpperCase(java.util.Locale.ROOT) + " IF EXISTS \""
                            + row.getString(2).replace("\"", "\"\"") + "\"");
                }
            }
            for (String sql : drop) {
                statement.execute(sql);
            }
            for (String view : Schema.views(version)) {
                statement.execute(view);
            }
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    /**
     * The public views of a file (the user's, when it is validated) that are not the standard ones of
     * its version, compared with whitespace runs made one space (SQLite keeps a view's SQL as it was
     * written, and RMA Nexus writes the standard text). A missing view is no problem: a file made by
     * hand from the tables is served with the standard views as any other.
     *
     * @return one problem per view that differs, or per name that holds something else than a view
     */
    static List<Problem> differing(Connection db, int version, String source) throws SQLException {
        List<Problem> problems = new ArrayList<>();
        List<String> standard = Schema.views(version);
        try (PreparedStatement query = db.prepareStatement(
                "SELECT type, sql FROM sqlite_schema WHERE lower(name) = ? ORDER BY type = 'view' DESC LIMIT 1")) {
            for (int i = 0; i < Schema.PUBLIC_VIEWS.size(); i++) {
                String name = Schema.PUBLIC_VIEWS.get(i);
                query.setString(1, name);
                try (ResultSet row = query.executeQuery()) {
                    String why = !row.next() ? null
                            : !"view".equals(row.getString(1)) ? "is a " + row.getString(1) + ", not a view"
                            : normal(row.getString(2)).equals(normal(standard.get(i))) ? null
                            : "is not the standard view of schema version " + version;
                    if (why != null) {
                        problems.add(new Problem(Kind.INTEGRITY, "the view " + name + " " + why + ": RMA Nexus serves"
                                + " the standard views whatever the file holds; re-import the tag list (or export and"
                                + " import it) to write them", List.of(source + " view " + name)));
                    }
                }
            }
        }
        return problems;
    }

    private static String normal(String sql) {
        return sql == null ? "" : sql.strip().replaceAll("\\s+", " ");
    }

    /** @return the file's schema version when it is an RMA Nexus registry this node reads, else 0 */
    private static int version(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            try (ResultSet row = statement.executeQuery("PRAGMA application_id")) {
                if (!row.next() || row.getInt(1) != Schema.APPLICATION_ID) {
                    return 0;
                }
            }
            try (ResultSet row = statement.executeQuery("PRAGMA user_version")) {
                int version = row.next() ? row.getInt(1) : 0;
                return version >= Schema.OLDEST && version <= Schema.VERSION ? version : 0;
            }
        }
    }
}
