package nexus.sparkplug.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which causes were logged, so that a broker or a host sending the same bad thing again
 * and again fills no log: each cause once, up to {@value #MAX} causes. Thread-safe.
 */
final class OnceLog {

    static final int MAX = 10_000;

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** @return whether this cause is new and should be logged now */
    boolean first(String cause) {
        return seen.size() < MAX && seen.add(cause);
    }

    /**
     * @return text a remote node chose (metric names, node ids), fit for one log line: control
     *         characters (a newline would forge a line) shown as {@code ?}
     */
    static String printable(String text) {
        if (text == null || text.codePoints().noneMatch(Character::isISOControl)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    /** Forgets every cause: after a recovery the next failure is news again. */
    void reset() {
        seen.clear();
    }
}
