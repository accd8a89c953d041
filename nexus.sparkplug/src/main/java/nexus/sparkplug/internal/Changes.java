package nexus.sparkplug.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmEventType;
import nexus.query.Deadband;
import nexus.query.TagInfo;
import nexus.query.TagReading;
import nexus.query.TagValue;

/**
 * Report by exception, for one birth: turns what the watch says changed into NDATA metrics, by
 * alias only (the host knows the names and datatypes from the birth). A tag's change passes the
 * {@link Deadband} measured from the value last published for it (the birth's value at first);
 * a value that is not GOOD travels as {@code is_null} with the property {@code quality}. Not
 * thread-safe: the Sparkplug thread owns it.
 */
final class Changes {

    private final MetricTable table;
    private final Deadband deadband;
    private final Map<String, Integer> index;
    private final TagInfo[] tags;
    /** Per tag: the value last published. */
    private final TagValue[] published;

    Changes(Births.Birth birth, Deadband deadband) {
        this.table = birth.table();
        this.deadband = deadband;
        this.tags = birth.tags().toArray(TagInfo[]::new);
        this.published = birth.values().toArray(TagValue[]::new);
        this.index = new HashMap<>(tags.length * 2);
        for (int i = 0; i < tags.length; i++) {
            index.put(tags[i].path(), i);
        }
    }

    /** @return the birth's metrics */
    MetricTable table() {
        return table;
    }

    /**
     * Adds a metric for each reading that passes the deadband, and takes its value as published.
     *
     * @param readings what a poll of the birth's watch answered
     * @param data     the NDATA being built
     * @param now      the NDATA's time, ms: the timestamp of a value that has none
     */
    void tags(List<TagReading> readings, Payload.Builder data, long now) {
        for (TagReading reading : readings) {
            Integer i = index.get(reading.path());
            if (i == null || !deadband.passes(tags[i], published[i], reading.value())) {
                continue;
            }
            published[i] = reading.value();
            MetricTable.Entry entry = table.byAlias(tags[i].id());
            TagValue value = reading.value();
            Metric.Builder metric = Metric.newBuilder().setAlias(entry.alias())
                    .setTimestamp(Payloads.millis(value.timestamp(), now));
            Payloads.value(metric, entry.type(), value);
            if (!value.quality().isGood()) {
                new Payloads.Properties().string("quality", value.quality().name()).on(metric);
            }
            data.addMetrics(metric);
        }
    }

    /**
     * Adds an alarm's new state, when the alarm is one of the birth's. A {@code QUALITY_CHANGED} event
     * (the alarm stops or resumes being evaluated) leaves the state as it is: the metric is the
     * state, so nothing is added for it.
     *
     * @return whether it was added ({@code false}: the birth does not publish that alarm, or the
     *         event does not change its state)
     */
    boolean alarm(AlarmEvent event, Payload.Builder data) {
        if (event.type() == AlarmEventType.QUALITY_CHANGED) {
            return false;
        }
        MetricTable.Entry entry = table.byName(Payloads.alarmState(event.alarm()));
        if (entry == null || entry.tag() != null) {
            return false;
        }
        data.addMetrics(Metric.newBuilder().setAlias(entry.alias()).setTimestamp(event.time().toEpochMilli())
                .setStringValue(event.after().name()));
        return true;
    }
}
