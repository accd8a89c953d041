package nexus.loki.internal;

import java.util.Map;
import java.util.function.Supplier;

/**
 * One Loki log entry: the stream it belongs to, its timestamp and its line, and the structured
 * metadata (alarm name or tag path). Immutable and thread-safe.
 *
 * <p>An entry made from an event or record builds its JSON line lazily, once, on the first call of
 * {@link #line()} or {@link #size()} — on the sink's own threads (the push thread when it takes a
 * batch, the spool thread when it writes one), never on the thread that published: the alarm scan
 * and the audit trail only pay for capturing the event. Until then the entry's queue accounting uses
 * {@link #estimate()}, which never builds the line.
 */
final class Entry {

    /** What the sink takes in; each kind has its own sent and drop counters. */
    enum Input {
        /** an {@code AlarmEvent} from the alarm manager */
        ALARM_EVENT,
        /** an {@code AuditRecord} from the audit trail */
        AUDIT_RECORD
    }

    private final long number;
    private final Map<String, String> stream;
    private final String streamKey;
    private final long nanos;
    private final String alarm;
    private final String tag;
    private final Input input;
    private final int estimate;
    /** Builds the line; null once it is built. Guarded by this. */
    private Supplier<String> encoder;
    private volatile String line;

    /**
     * An entry whose line is known (read from the spool).
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
    Entry(long number, Map<String, String> stream, String streamKey, long nanos, String line, String alarm, String tag,
            Input input) {
        this(number, stream, streamKey, nanos, null, line.length(), alarm, tag, input);
        this.line = line;
    }

    /**
     * An entry whose line is built when first needed.
     *
     * @param encoder       builds the line; called at most once, on whichever thread first needs it
     * @param lineEstimate  the line's length, roughly, without building it
     */
    Entry(long number, Map<String, String> stream, String streamKey, long nanos, Supplier<String> encoder,
            int lineEstimate, String alarm, String tag, Input input) {
        this.number = number;
        this.stream = stream;
        this.streamKey = streamKey;
        this.nanos = nanos;
        this.encoder = encoder;
        this.alarm = alarm;
        this.tag = tag;
        this.input = input;
        this.estimate = size(lineEstimate);
    }

    /** @return the one text a stream's labels have, whatever their order: the key entries are grouped by */
    static String key(Map<String, String> stream) {
        return new java.util.TreeMap<>(stream).toString();
    }

    long number() {
        return number;
    }

    Map<String, String> stream() {
        return stream;
    }

    String streamKey() {
        return streamKey;
    }

    long nanos() {
        return nanos;
    }

    String alarm() {
        return alarm;
    }

    String tag() {
        return tag;
    }

    Input input() {
        return input;
    }

    /** @return the event or record as one JSON line; built on the first call */
    String line() {
        String built = line;
        if (built == null) {
            synchronized (this) {
                built = line;
                if (built == null) {
                    built = encoder.get();
                    line = built;
                    encoder = null;
                }
            }
        }
        return built;
    }

    /** @return whether the line is built already (for tests and for the push thread's look-ahead) */
    boolean encoded() {
        return line != null;
    }

    /** @return the bytes the entry adds to a batch, roughly: for the batch size limit (builds the line) */
    int size() {
        return size(line().length());
    }

    /**
     * @return {@link #size()} as guessed when the entry was made, without building the line: what the
     *         queue's byte count (which wakes the push thread for a full batch) adds and takes away;
     *         the real size decides where a batch ends
     */
    int estimate() {
        return estimate;
    }

    private int size(int lineLength) {
        return lineLength + streamKey.length() + (alarm == null ? 0 : alarm.length())
                + (tag == null ? 0 : tag.length()) + 32;
    }

    /** @return this entry with another running number (sharing the line, built or not) */
    Entry numbered(long next) {
        String built = line;
        return built != null ? new Entry(next, stream, streamKey, nanos, built, alarm, tag, input)
                : new Entry(next, stream, streamKey, nanos, this::line, estimate - size(0), alarm, tag, input);
    }

    /** Entries are equal when all they carry is (the line is built to compare: for tests, never on a hot path). */
    @Override
    public boolean equals(Object other) {
        return other instanceof Entry e && number == e.number && nanos == e.nanos && input == e.input
                && stream.equals(e.stream) && streamKey.equals(e.streamKey) && java.util.Objects.equals(alarm, e.alarm)
                && java.util.Objects.equals(tag, e.tag) && line().equals(e.line());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(number, streamKey, nanos, alarm, tag, input);
    }

    @Override
    public String toString() {
        return "Entry[number=" + number + ", stream=" + stream + ", nanos=" + nanos + ", line="
                + (encoded() ? line : "(not built yet)") + ", alarm=" + alarm + ", tag=" + tag + ", input=" + input + "]";
    }
}
