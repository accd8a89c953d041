package nexus.loki.internal;

import java.util.Map;

/**
 * One Loki log entry: the stream it belongs to, its timestamp and its line, and the structured
 * metadata (alarm name and tag path). Immutable.
 *
 * @param number    the sink's own running number (orders the spool)
 * @param stream    the stream's labels
 * @param streamKey the labels as one string, for grouping
 * @param nanos     nanoseconds since the epoch, distinct within the stream
 * @param line      the event as one JSON line
 * @param alarm     the alarm's name (structured metadata)
 * @param tag       the tag's path (structured metadata), or null
 */
record Entry(long number, Map<String, String> stream, String streamKey, long nanos, String line, String alarm,
        String tag) {

    /** @return the one text a stream's labels have, whatever their order: the key entries are grouped by */
    static String key(Map<String, String> stream) {
        return new java.util.TreeMap<>(stream).toString();
    }

    /** @return the bytes the entry adds to a batch, roughly: for the batch size limit */
    int size() {
        return line.length() + streamKey.length() + (alarm == null ? 0 : alarm.length())
                + (tag == null ? 0 : tag.length()) + 32;
    }
}
