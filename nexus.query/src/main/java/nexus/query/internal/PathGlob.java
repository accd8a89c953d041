package nexus.query.internal;

import java.sql.Connection;
import java.sql.SQLException;

import org.sqlite.Function;

import nexus.core.PathScope;
import nexus.core.TagPath;

/**
 * The namespace's glob rule ({@link PathScope}: {@code **} any number of segments, {@code *} any run
 * of characters within a segment, {@code ?} one character, everything else itself) for SQL, where
 * SQLite's own {@code GLOB} would let {@code *} cross a {@code /} and take {@code [} as a class.
 * The matching is {@link PathScope#matches(String[], String)}'s, bounded by the product of the glob's
 * and the path's lengths; both are bounded here too (a glob of at most {@value #MAX_GLOB} characters, a
 * path no longer than a tag path can be), which matters because SQLite cannot interrupt a function
 * while it runs and SQL can build a long string (replace, concatenation) to hand it.
 */
final class PathGlob {

    /** The SQL function's name: {@code path_glob(glob, path)}. */
    static final String FUNCTION = "path_glob";

    /** The longest glob the SQL function takes, in characters. */
    static final int MAX_GLOB = 1_024;

    private PathGlob() {
    }

    /**
     * @return whether the path matches the glob, as {@link PathScope#matches} answers it
     * @throws IllegalArgumentException when the glob is not one {@link PathScope} takes
     */
    static boolean matches(String glob, String path) {
        PathScope.of(glob);
        return matches(glob.split("/", -1), path);
    }

    /** For a glob already checked, split into segments: {@link PathScope#matches(String[], String)}. */
    static boolean matches(String[] glob, String path) {
        return PathScope.matches(glob, path);
    }

    /**
     * @return the text every path the glob matches starts with: its literal segments, and the literal
     *         start of the first segment that is not (empty when the glob starts with a wildcard). A
     *         {@code **} may match no segment, so the {@code /} before it is left out
     */
    static String literalPrefix(String glob) {
        StringBuilder prefix = new StringBuilder();
        for (String segment : glob.split("/", -1)) {
            if (segment.equals("**")) {
                break;
            }
            int wild = firstWildcard(segment);
            if (wild >= 0) {
                return prefix.append(segment, 0, wild).toString();
            }
            prefix.append(segment).append('/');
        }
        return prefix.length() == 0 ? "" : prefix.substring(0, prefix.length() - 1);
    }

    /**
     * @return the least text greater than every text that starts with the prefix (its last code point
     *         raised by one, surrogates skipped), so {@code path >= prefix AND path < successor} holds
     *         exactly the paths that start with it in SQLite's byte order of UTF-8, which is code point
     *         order; {@code null} when there is none (an empty prefix, or one of U+10FFFF only)
     */
    static String successor(String prefix) {
        String rest = prefix;
        while (!rest.isEmpty()) {
            int last = rest.codePointBefore(rest.length());
            rest = rest.substring(0, rest.length() - Character.charCount(last));
            if (last < Character.MAX_CODE_POINT) {
                int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
                return rest + new String(Character.toChars(next));
            }
        }
        return null;
    }

    private static int firstWildcard(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            if (segment.charAt(i) == '*' || segment.charAt(i) == '?') {
                return i;
            }
        }
        return -1;
    }

    /** Registers {@code path_glob(glob, path)} on a connection: 1 or 0, NULL when either is NULL. */
    static void register(Connection connection) throws SQLException {
        Function.create(connection, FUNCTION, new SqlFunction(), 2, Function.FLAG_DETERMINISTIC);
    }

    /** One connection's instance: remembers the last glob, which stays the same for a whole statement. */
    private static final class SqlFunction extends Function {

        private String last;
        private String[] segments;

        @Override
        protected void xFunc() throws SQLException {
            String glob = value_text(0);
            String path = value_text(1);
            if (glob == null || path == null) {
                result();
                return;
            }
            if (!glob.equals(last)) {
                int characters = glob.codePointCount(0, glob.length());
                if (characters > MAX_GLOB) {
                    error(FUNCTION + ": the glob is " + characters + " characters; the limit is " + MAX_GLOB);
                    return;
                }
                try {
                    PathScope.of(glob);
                } catch (IllegalArgumentException e) {
                    error(FUNCTION + ": " + e.getMessage());
                    return;
                }
                last = glob;
                segments = glob.split("/", -1);
            }
            if (path.length() > TagPath.MAX_BYTES) {
                error(FUNCTION + ": the path is " + path.length() + " characters; no tag path is longer than "
                        + TagPath.MAX_BYTES + " bytes");
                return;
            }
            result(matches(segments, path) ? 1 : 0);
        }
    }
}
