package nexus.registry.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import nexus.core.TagPath;
import nexus.registry.Problem;
import nexus.registry.Problem.Kind;

/**
 * Holds a registry file's tag paths, and the paths its alarms on contributed tags name, to the one
 * tag path rule ({@link TagPath}). SQL picks the offenders in one scan of each table (a 1,000,000-tag
 * file must still load in seconds); {@link TagPath#problem} then says what is wrong with each. The
 * length is checked with the other lengths by {@link RegistryLoader}. Stateless.
 */
final class PathChecks {

    /** Offenders listed per table, as the loader's other checks do. */
    private static final int LISTED = 100;

    /**
     * Rows whose column {@code %1$s} breaks the rule (bar its length); parameter 1 is {@link #CONTROL}.
     * Cheap tests first: {@code json_quote} escapes every control character but U+007F in one C loop, so
     * the costly character class runs only on the few paths that hold one, a quote or a backslash.
     */
    private static final String BROKEN = "typeof(%1$s) <> 'text' OR instr(CAST(%1$s AS BLOB), X'00') > 0"
            + " OR ('/' || %1$s || '/') GLOB '*//*' OR instr(%1$s, char(127)) > 0"
            + " OR (length(json_quote(%1$s)) > length(%1$s) + 2 AND %1$s GLOB ?)"
            + " OR (instr(%1$s, '.') > 0 AND (('/' || %1$s || '/') GLOB '*/./*' OR ('/' || %1$s || '/') GLOB '*/../*'))";

    /** A GLOB matching text that holds a control character U+0001–U+001F (NUL and U+007F are found above). */
    private static final String CONTROL = "*[\u0001-\u001F]*";

    private PathChecks() {
    }

    static void check(Connection db, int schema, List<Problem> problems) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT id, typeof(path), path,"
                + " instr(CAST(path AS BLOB), X'00') > 0 FROM tag WHERE " + BROKEN.formatted("path") + " LIMIT " + LISTED)) {
            query.setString(1, CONTROL);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    String path = row.getString(3);
                    problems.add(new Problem(Kind.MALFORMED, "tag " + row.getLong(1) + " has a path that is no tag path: "
                            + why(row.getString(2), path, row.getBoolean(4)), List.of(printable(path))));
                }
            }
        }
        if (schema < Schema.CONTRIBUTED_ALARMS) {
            return;
        }
        try (PreparedStatement query = db.prepareStatement("SELECT name, typeof(tag_path), tag_path,"
                + " instr(CAST(tag_path AS BLOB), X'00') > 0 FROM alarm WHERE tag_path IS NOT NULL AND ("
                + BROKEN.formatted("tag_path") + ") LIMIT " + LISTED)) {
            query.setString(1, CONTROL);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    String path = row.getString(3);
                    problems.add(new Problem(Kind.MALFORMED, "alarm " + printable(row.getString(1)) + " watches a"
                            + " contributed tag whose path no tag can have: " + why(row.getString(2), path, row.getBoolean(4)),
                            List.of(printable(path))));
                }
            }
        }
    }

    private static String why(String type, String path, boolean nul) {
        if (!"text".equals(type)) {
            return "it is " + type + ", not text";
        }
        if (nul) {
            return "the path holds a control character (U+0000)";
        }
        String problem = TagPath.problem(path);
        return problem == null ? "the path is malformed" : problem;
    }

    /** The path as a report may show it: control characters as {@code \\uXXXX}, at most 80 characters. */
    static String printable(String path) {
        if (path == null) {
            return "NULL";
        }
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < path.length() && shown.length() < 80; i++) {
            char c = path.charAt(i);
            shown.append(c < 0x20 || c == 0x7F ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return path.length() > 80 ? shown + "…" : shown.toString();
    }
}
