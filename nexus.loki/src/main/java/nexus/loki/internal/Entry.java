package nexus.loki.internal;

import java.util.Map;

/**
 * One Loki log entry: the stream it belongs to, its timestamp and its line, and the structured
 * metadata (alarm name or tag path). Immutable.
 *
 * @param number    the sink's own running number (orders the spool)
 * @param stream    the stream's labels
 * @param streamKey the labels as one string, for grouping
 * @param nanos     nanoseconds since the epoch, distinct within the stream
 * @param line      the event or record as one JSON line
 * @param alarm     the alarm's name (structured metadata), or null (an audit record of a tag write)
 * @param tag       the tag's path (structured metadata), or null
 * @param input     what the entry was made from: an alarm event or an audit record
 */
record Entry(long number, Map<String, String> stream, String streamKey, long nanos, String line, String alarm,
        String tag, Input input) {

    /** What the sink takes in; each kind has its own sent and drop counters. */
    enum Input {
        /** an {@code AlarmEvent} from the alarm manager */
        ALARM_EVENT,
        /** an {@code AuditRecord} from the audit trail */
        AUDIT_RECORD
    }

    /** An entry made from an alarm event. */
    Entry(long number, Map<String, String> stream, String streamKey, long nanos, String line, String alarm, String tag) {
        this(number, stream, streamKey, nanos, line, alarm, tag, Input.ALARM_EVENT);
    }

    /** @return the one text a stream's labels have, whatever their order: the key entries are grouped by */
    static String key(Map<String, String> stream) {
        return new java.util.TreeMap<>(stream).toString();
    }

    /** @return the bytes the entry adds to a batch, roughly: for the batch size limit */
    int size() {
        return line.length() + streamKey.length() + (alarm == null ? 0 : alarm.length())
                + (tag == null ? 0 : tag.length()) + 32;
    }

    /** @return this entry with another running number */
    Entry numbered(long next) {
        return new Entry(next, stream, streamKey, nanos, line, alarm, tag, input);
    }
}
