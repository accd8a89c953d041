package nexus.platform.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Components that DS could not activate — a configuration value of the wrong type, a constructor
 * that threw — described for an operator. Such a component is simply absent: without this its
 * health indicator, its service and its work vanish while the node still looks UP.
 */
final class ComponentFailures {

    /** One component that failed to activate, copied out of DS's runtime DTOs. */
    record Failure(String component, List<String> pids, String failure) {
    }

    private ComponentFailures() {
    }

    /** @return one line per failure, e.g. {@code nexus.alarm.internal.AlarmComponent: For input string: "abc" (check etc/nexus.alarm.cfg)} */
    static List<String> describe(List<Failure> failures) {
        List<String> lines = new ArrayList<>();
        for (Failure failure : failures) {
            String files = failure.pids().isEmpty() ? "" : " (check etc/" + String.join(".cfg, etc/", failure.pids()) + ".cfg)";
            lines.add(failure.component() + ": " + reason(failure.failure()) + files);
        }
        return lines;
    }

    /** @return the innermost message of DS's failure text (the last cause that has one), without class names or stack frames */
    static String reason(String failure) {
        String found = null;
        if (failure != null) {
            for (String line : failure.strip().lines().toList()) {
                String text = line.strip();
                if (text.startsWith("at ") || text.startsWith("...")) {
                    continue;
                }
                if (text.startsWith("Caused by: ")) {
                    text = text.substring("Caused by: ".length());
                }
                String message = message(text);
                if (message != null) {
                    found = message;
                }
            }
        }
        return found == null ? "it failed to start (see the log)" : found;
    }

    private static String message(String line) {
        for (String marker : new String[] { "Exception: ", "Error: " }) {
            int at = line.lastIndexOf(marker);
            if (at >= 0) {
                String message = line.substring(at + marker.length()).strip();
                // "ComponentException: java.lang.reflect.InvocationTargetException" names a class, says nothing
                return message.isEmpty() || message.matches("[\\w.$]+(Exception|Error)") ? null : message;
            }
        }
        return null;
    }
}
