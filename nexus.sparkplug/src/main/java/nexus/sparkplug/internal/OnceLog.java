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

    /** Forgets every cause: after a recovery the next failure is news again. */
    void reset() {
        seen.clear();
    }
}
