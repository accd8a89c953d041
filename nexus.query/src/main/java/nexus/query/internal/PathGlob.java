package nexus.query.internal;

import java.sql.Connection;
import java.sql.SQLException;

import org.sqlite.Function;

import nexus.core.PathScope;

/**
 * The namespace's glob rule ({@link PathScope}: {@code **} any number of segments, {@code *} any run
 * of characters within a segment, {@code ?} one character, everything else itself) for SQL, where
 * SQLite's own {@code GLOB} would let {@code *} cross a {@code /} and take {@code [} as a class.
 * The same answers as {@link PathScope#matches}, in time bounded by the product of the glob's and the
 * path's lengths: a memo over (glob segment, path segment) replaces the backtracking, so no glob
 * (such as {@code **}{@code /*}{@code /**}{@code /*…}) can make one call run for long, which
 * matters because SQLite cannot interrupt a function while it runs.
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

    /**
     * For a glob already checked, split into segments, and a path: a memo over (glob segment, path
     * segment) from the ends, {@code match[g][p]} = glob segments g.. match path segments p...
     * Allocates two rows of the memo and the path's segment bounds, nothing per segment.
     */
    static boolean matches(String[] glob, String path) {
        int segments = 1;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                segments++;
            }
        }
        int[] start = new int[segments + 1];
        for (int i = 0, s = 1; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                start[s++] = i + 1;
            }
        }
        start[segments] = path.length() + 1; // so segment p ends at start[p + 1] - 1
        boolean[] next = new boolean[segments + 1];
        boolean[] here = new boolean[segments + 1];
        next[segments] = true;
        for (int g = glob.length - 1; g >= 0; g--) {
            boolean any = glob[g].equals("**");
            for (int p = segments; p >= 0; p--) {
                here[p] = any ? next[p] || p < segments && here[p + 1]
                        : p < segments && next[p + 1] && segment(glob[g], path, start[p], start[p + 1] - 1);
            }
            boolean[] swap = next;
            next = here;
            here = swap;
        }
        return next[0];
    }

    /** One segment against {@code *}, {@code ?} and literals. */
    static boolean segment(String pattern, String text) {
        return segment(pattern, text, 0, text.length());
    }

    /**
     * One segment, {@code text} from {@code from} to {@code to} (exclusive), against {@code *}, {@code ?}
     * and literals: greedy, back to the last star (at most pattern × text steps).
     */
    static boolean segment(String pattern, String text, int from, int to) {
        int p = 0;
        int t = from;
        int star = -1;
        int resume = 0;
        while (t < to) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
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
                if (glob.length() > MAX_GLOB) {
                    error(FUNCTION + ": the glob is " + glob.length() + " characters; the limit is " + MAX_GLOB);
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
            result(matches(segments, path) ? 1 : 0);
        }
    }
}
