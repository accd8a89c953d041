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
        String[] segments = path.split("/", -1);
        for (String glob : globs) {
            if (matchSegments(glob.split("/", -1), 0, segments, 0)) {
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

    private static boolean matchSegments(String[] glob, int g, String[] path, int p) {
        while (g < glob.length) {
            if (glob[g].equals("**")) {
                if (g == glob.length - 1) {
                    return true;
                }
                for (int skip = p; skip <= path.length; skip++) {
                    if (matchSegments(glob, g + 1, path, skip)) {
                        return true;
                    }
                }
                return false;
            }
            if (p >= path.length || !matchSegment(glob[g], path[p])) {
                return false;
            }
            g++;
            p++;
        }
        return p == path.length;
    }

    /** One segment against a pattern of {@code *}, {@code ?} and literals (greedy with backtracking). */
    private static boolean matchSegment(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
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
