package nexus.query;

import java.util.List;
import java.util.Objects;

import nexus.core.Severity;

/**
 * A page of {@link FindService#find}.
 *
 * @param rows            the tags that passed, in the filter's order; unmodifiable
 * @param cursor          continues after the last row examined, for the next page; {@code null} when
 *                        no row is left. Opaque: give it back in {@link FindFilter#cursor()} of the same filter
 * @param examined        rows the SQL gave that were looked at (passed or not)
 * @param matched         rows that passed the live filter (all examined ones without one): {@code rows.size()}
 * @param registryVersion the registry version of the last SQL page
 * @since 2.4
 */
public record FindResult(List<Row> rows, String cursor, int examined, int matched, long registryVersion) {

    public FindResult {
        rows = List.copyOf(rows);
    }

    /**
     * One tag.
     *
     * @param tag    the tag's metadata (properties left out, as in a listing)
     * @param value  its value, quality and timestamp as read
     * @param alarms its alarms with their state, when the filter has live alarm criteria or asked
     *               for them ({@link FindFilter#includeAlarms()}); else {@code null}
     */
    public record Row(TagInfo tag, TagValue value, List<TagAlarm> alarms) {
        public Row {
            Objects.requireNonNull(tag, "tag");
            Objects.requireNonNull(value, "value");
            alarms = alarms == null ? null : List.copyOf(alarms);
        }
    }

    /**
     * One alarm of a tag, as the alarm manager has it now.
     *
     * @param name     the alarm's name
     * @param severity its severity
     * @param state    its ISA-18.2 state, by name ({@code nexus.alarm.AlarmState}: {@code NORMAL},
     *                 {@code UNACK_ALARM}, {@code ACKED_ALARM}, {@code RTN_UNACK}, {@code SHELVED},
     *                 {@code SUPPRESSED}, {@code OUT_OF_SERVICE})
     * @param inAlarm  whether it is in alarm: its condition is present, or it is latched
     * @param acked    whether nothing waits for an acknowledgement
     */
    public record TagAlarm(String name, Severity severity, String state, boolean inAlarm, boolean acked) {
        public TagAlarm {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(state, "state");
        }
    }
}
