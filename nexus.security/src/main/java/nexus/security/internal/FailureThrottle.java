package nexus.security.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down guessing: counts failed authentications per source address, and once an address failed
 * {@code max} times within a window (which starts at its first failure) refuses it until the window
 * ends. The table is bounded: beyond {@code addresses} entries the address whose window started
 * first is forgotten, so a flood of addresses cannot exhaust memory (it can only forget). Thread-safe.
 */
final class FailureThrottle {

    /** The limits, as configured. */
    record Limits(int max, Duration window, int addresses) {
    }

    private static final class Window {
        final Instant start;
        int failures;

        Window(Instant start) {
            this.start = start;
        }
    }

    private final Map<String, Window> windows = new LinkedHashMap<>();

    /**
     * @return how long the address must wait, at least one second, when it failed too often in its
     *         current window; empty when it may try
     */
    synchronized Optional<Duration> blocked(String address, Instant now, Limits limits) {
        Window window = windows.get(address);
        if (window == null) {
            return Optional.empty();
        }
        Instant end = window.start.plus(limits.window());
        if (!now.isBefore(end) || now.isBefore(window.start)) {
            windows.remove(address);
            return Optional.empty();
        }
        if (window.failures < limits.max()) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, end);
        long seconds = Math.max(1, (left.toMillis() + 999) / 1000);
        return Optional.of(Duration.ofSeconds(seconds));
    }

    /** Counts a failure of the address. @return its failures in its current window, this one included */
    synchronized int failed(String address, Instant now, Limits limits) {
        Window window = windows.get(address);
        if (window == null || !now.isBefore(window.start.plus(limits.window())) || now.isBefore(window.start)) {
            windows.remove(address); // re-inserted last: the table stays ordered by window start
            window = new Window(now);
            windows.put(address, window);
            while (windows.size() > limits.addresses()) {
                windows.remove(windows.keySet().iterator().next());
            }
        }
        return ++window.failures;
    }

    /** @return how many addresses are tracked now */
    synchronized int size() {
        return windows.size();
    }
}
