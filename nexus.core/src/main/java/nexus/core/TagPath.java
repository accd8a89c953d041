package nexus.core;

import java.nio.charset.StandardCharsets;

/**
 * The one rule a tag path follows, wherever a path enters RMA Nexus (a tag list, a registry file, a
 * contribution, a mirrored Sparkplug metric): non-empty, at most {@link #MAX_BYTES} UTF-8 bytes,
 * segments separated by single {@code /} with no empty segment (so no leading or trailing
 * {@code /}), no {@code .} or {@code ..} segment (a path never reads as another), no control
 * character (U+0000–U+001F, U+007F), and valid Unicode (no half of a surrogate pair, which UTF-8
 * cannot carry). Stateless and thread-safe.
 */
public final class TagPath {

    /** The longest tag path, in UTF-8 bytes: far beyond any real namespace, short enough for every record. */
    public static final int MAX_BYTES = 1024;

    private TagPath() {
    }

    /**
     * @param path a candidate tag path; may be {@code null}
     * @return why it is no tag path, in words for the person who wrote it, or {@code null} when it is one
     */
    public static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "the path is empty";
        }
        // a UTF-16 char is at most 3 UTF-8 bytes: only long strings need encoding
        if (path.length() > MAX_BYTES / 3 && path.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "the path is longer than " + MAX_BYTES + " UTF-8 bytes";
        }
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            char c = i < path.length() ? path.charAt(i) : '/';
            if (c < 0x20 || c == 0x7F) {
                return "the path holds a control character (U+" + String.format("%04X", (int) c) + ")";
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < path.length()
                    && Character.isLowSurrogate(path.charAt(i + 1)) || Character.isLowSurrogate(c) && i > 0
                    && Character.isHighSurrogate(path.charAt(i - 1)))) {
                return "the path holds half of a surrogate pair (U+" + String.format("%04X", (int) c) + "): it is not valid"
                        + " Unicode text";
            }
            if (c == '/') {
                String segment = path.substring(start, i);
                if (segment.isEmpty()) {
                    return "the path has an empty segment (a leading or trailing '/', or '//')";
                }
                if (segment.equals(".") || segment.equals("..")) {
                    return "the path has a '" + segment + "' segment, which would read as another path";
                }
                start = i + 1;
            }
        }
        return null;
    }
}
