package nexus.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A part of the tag namespace, as path globs: a path is inside when any glob matches it. Segments
 * are separated by {@code /}; a segment {@code **} matches any number of segments (none included),
 * {@code *} in a segment any run of characters within it, {@code ?} one character; everything else
 * matches itself. So {@code site1/area2/**} is everything under {@code site1/area2} and
 * {@code site1/*}{@code /line3/**} everything under any {@code line3} of any area of {@code site1}.
 *
 * @param globs the globs, in the order given; empty for nothing
 * @since 2.0
 */
public record PathScope(List<String> globs) {

    /** The whole namespace. */
    public static final PathScope ALL = new PathScope(List.of("**"));

    /** Nothing. */
    public static final PathScope NONE = new PathScope(List.of());

    /**
     * @throws IllegalArgumentException naming the glob and what is wrong with it: empty, an empty
     *                                  segment (a leading, trailing or doubled {@code /}), or
     *                                  {@code **} inside a segment
     */
    public PathScope {
        globs = List.copyOf(globs);
        for (String glob : globs) {
            check(glob);
        }
    }

    /** @return the scope of these globs */
    public static PathScope of(String... globs) {
        return new PathScope(List.of(globs));
    }

    /** @return whether this scope is the whole namespace (some glob is {@code **}) */
    public boolean isAll() {
        return globs.contains("**");
    }

    /** @return whether this scope holds no path */
    public boolean isEmpty() {
        return globs.isEmpty();
    }

    /** @return whether the path is inside */
    public boolean matches(String path) {
        if (isAll()) {
            return true;
        }
        for (String glob : globs) {
            if (matches(glob.split("/", -1), path)) {
                return true;
            }
        }
        return false;
    }

    /** @return the union of both scopes */
    public PathScope or(PathScope other) {
        if (isAll() || other.isEmpty()) {
            return this;
        }
        if (other.isAll() || isEmpty()) {
            return other;
        }
        List<String> union = new ArrayList<>(globs);
        for (String glob : other.globs) {
            if (!union.contains(glob)) {
                union.add(glob);
            }
        }
        return new PathScope(union);
    }

    @Override
    public String toString() {
        return globs.isEmpty() ? "nothing" : String.join(", ", globs);
    }

    /**
     * Whether a path matches one glob, given as its segments (the glob split at {@code /}, checked by
     * this record's rule), in time bounded by the product of the glob's and the path's lengths: a memo
     * over (glob segment, path segment) from the ends, {@code match[g][p]} = glob segments g..
     * match path segments p.., in place of backtracking — no glob (such as
     * {@code **}{@code /*}{@code /**}{@code /*…}) makes one call run for long. Allocates two rows of
     * the memo and the path's segment bounds, nothing per segment: the SQL function
     * {@code path_glob} calls it once per row.
     *
     * @param glob the segments of a glob this record takes
     * @since 2.3
     */
    public static boolean matches(String[] glob, String path) {
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

    /**
     * One segment, {@code text} from {@code from} to {@code to} (exclusive), against {@code *}, {@code ?}
     * and literals: greedy, back to the last star (at most pattern × text steps).
     */
    private static boolean segment(String pattern, String text, int from, int to) {
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

    private static void check(String glob) {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("a path glob is empty: write one such as site1/area2/**");
        }
        for (String segment : glob.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("path glob '" + glob + "' has an empty segment: segments are"
                        + " separated by single slashes, with none at either end");
            }
            if (segment.contains("**") && !segment.equals("**")) {
                throw new IllegalArgumentException("path glob '" + glob + "' has ** inside a segment: ** stands"
                        + " alone between slashes (site1/**), * matches within a segment (line*)");
            }
        }
    }
}
