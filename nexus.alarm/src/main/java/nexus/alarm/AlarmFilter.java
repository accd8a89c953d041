package nexus.alarm;

import java.util.Set;

import nexus.core.Severity;

/**
 * Which alarms to list; an empty set or a {@code null} prefix does not filter.
 *
 * @param states     the states to list
 * @param severities the severities to list
 * @param prefix     a prefix of the watched tag's path or of the alarm's name (both are
 *                   slash-separated): {@code plant1/line2/} lists that line's alarms
 */
public record AlarmFilter(Set<AlarmState> states, Set<Severity> severities, String prefix) {

    /** Every alarm. */
    public static final AlarmFilter ALL = new AlarmFilter(Set.of(), Set.of(), null);

    public AlarmFilter {
        states = states == null ? Set.of() : Set.copyOf(states);
        severities = severities == null ? Set.of() : Set.copyOf(severities);
        prefix = prefix == null || prefix.isEmpty() ? null : prefix;
    }

    /** @return whether an alarm in this state, of this severity, with this name and tag is listed */
    public boolean matches(AlarmState state, Severity severity, String name, String tag) {
        return (states.isEmpty() || states.contains(state)) && (severities.isEmpty() || severities.contains(severity))
                && (prefix == null || name.startsWith(prefix) || tag != null && tag.startsWith(prefix));
    }
}
