package nexus.sparkplug.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which causes were logged, so that an edge node that sends the same bad thing again and
 * again fills no log: each cause once, up to {@value #MAX} causes (then nothing more). Thread-safe.
 */
final class OncePerCause {

    static final int MAX = 1_000;

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** @return whether this cause is new and should be logged now */
    boolean first(String cause) {
        return seen.size() < MAX && seen.add(cause);
    }
}
