package nexus.sparkplug.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.junit.jupiter.api.Test;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmEventType;
import nexus.alarm.AlarmState;
import nexus.core.Severity;
import nexus.query.Deadband;
import nexus.query.Quality;
import nexus.query.TagInfo;
import nexus.query.TagReading;
import nexus.query.TagValue;

/**
 * How the edge node uses the one deadband rule ({@link Deadband}, tested in nexus.query): each change
 * is measured from the value last PUBLISHED for the tag (the birth's at first), not from the last one
 * seen, so a slow drift is published once it adds up to more than the band, and a value exactly at
 * the band is held.
 */
class ChangesTest {

    /** Born at 4.0; engineering range 0–8, so 25 % of it is 2 (every number here is exact in binary). */
    private static final TagInfo LEVEL = new TagInfo(3, "plant/tank/level", "FLOAT64", "b", 0, 0, 8, "m", null, false,
            0.0, 8.0, Map.of());

    private static Changes born(Deadband deadband) {
        FakeTagService tags = new FakeTagService().tag(LEVEL, 4.0);
        Births.Opened opened = new Births(EdgeFixture.IDENTITY, 10).read(tags, null, 0, 1_000);
        opened.watch().close();
        return new Changes(opened.birth(), deadband);
    }

    /** @return what each reading made the edge publish: its value, "null <quality>", or nothing */
    private static List<String> publish(Changes changes, TagValue... readings) {
        List<String> published = new ArrayList<>();
        for (TagValue reading : readings) {
            Payload.Builder data = Payload.newBuilder();
            changes.tags(List.of(new TagReading(LEVEL.path(), LEVEL, reading)), data, 1_000);
            for (Metric metric : data.getMetricsList()) {
                published.add(metric.getIsNull() ? "null " + metric.getProperties().getValues(0).getStringValue()
                        : String.valueOf(metric.getDoubleValue()));
            }
        }
        return published;
    }

    private static TagValue[] good(double... values) {
        TagValue[] readings = new TagValue[values.length];
        for (int i = 0; i < values.length; i++) {
            readings[i] = new TagValue(values[i], Quality.GOOD, i + 1);
        }
        return readings;
    }

    @Test
    void aChangeIsMeasuredFromTheValueLastPublishedNotTheLastSeen() {
        Changes changes = born(new Deadband(0.5, 0));

        assertThat(publish(changes, good(4.25, 3.75, 4.75, 5.0, 4.5, 5.5)))
                .as("4.75 is more than 0.5 from the birth's 4.0; 5.0 and 4.5 are within 0.5 of 4.75; 5.5 is not")
                .containsExactly("4.75", "5.5");
    }

    @Test
    void aSlowDriftIsPublishedOnceItAddsUpToMoreThanTheBand() {
        Changes changes = born(new Deadband(0.5, 0));

        assertThat(publish(changes, good(4.125, 4.25, 4.375, 4.5, 4.625, 4.75, 4.875, 5.0, 5.125, 5.25)))
                .as("steps of 0.125, each smaller than the band").containsExactly("4.625", "5.25");
    }

    @Test
    void aValueExactlyAtTheBandIsHeld() {
        assertThat(publish(born(new Deadband(0.5, 0)), good(4.5, 3.5, 4.5))).isEmpty();
        assertThat(publish(born(new Deadband(0, 25)), good(6.0, 2.0, 6.0))).as("25 % of the range 0–8").isEmpty();
        assertThat(publish(born(new Deadband(0, 25)), good(6.0, 6.25))).containsExactly("6.25");
    }

    @Test
    void aQualityChangeIsPublishedAndTheNextGoodValueIsMeasuredFromIt() {
        Changes changes = born(new Deadband(1_000, 0));

        assertThat(publish(changes, new TagValue(null, Quality.BAD_CONTENDED, 5),
                new TagValue(null, Quality.BAD_CONTENDED, 6), new TagValue(4.0, Quality.GOOD, 7),
                new TagValue(4.25, Quality.GOOD, 8)))
                .containsExactly("null BAD_CONTENDED", "4.0");
    }

    @Test
    void anAlarmsStateIsPublishedButNotAQualityChangeThatLeavesItAsItIs() {
        FakeTagService tags = new FakeTagService().tag(LEVEL, 4.0);
        FakeAlarmService alarms = new FakeAlarmService().alarm("plant/tank/level/hi", LEVEL.path(), Severity.HIGH,
                AlarmState.UNACK_ALARM);
        Births.Opened opened = new Births(EdgeFixture.IDENTITY, 10).read(tags, alarms, 0, 1_000);
        opened.watch().close();
        Changes changes = new Changes(opened.birth(), Deadband.NONE);
        Instant at = Instant.ofEpochMilli(2_000);
        AlarmEvent stale = new AlarmEvent(2, at, AlarmEventType.QUALITY_CHANGED, AlarmEvent.Kind.ALARM,
                "plant/tank/level/hi", LEVEL.path(), 95.0, Severity.HIGH, AlarmState.UNACK_ALARM, AlarmState.UNACK_ALARM,
                null, "STALE: the value is the last one sparkplug plant/nexus1 sent and is not current", null, null, null);
        Payload.Builder data = Payload.newBuilder();

        assertThat(changes.alarm(stale, data)).isFalse();
        assertThat(data.getMetricsCount()).isZero();
        assertThat(changes.alarm(FakeAlarmService.event("plant/tank/level/hi", AlarmState.UNACK_ALARM,
                AlarmState.ACKED_ALARM, at), data)).as("a transition, for contrast").isTrue();
        assertThat(data.getMetrics(0).getStringValue()).isEqualTo("ACKED_ALARM");
    }

    @Test
    void withoutADeadbandEveryChangeIsPublishedOnce() {
        assertThat(publish(born(Deadband.NONE), good(4.0, 4.125, 4.125, 4.0))).containsExactly("4.125", "4.0");
    }
}
