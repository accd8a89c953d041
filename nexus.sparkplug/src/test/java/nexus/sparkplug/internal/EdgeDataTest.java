package nexus.sparkplug.internal;

import static nexus.sparkplug.internal.EdgeFixture.alias;
import static nexus.sparkplug.internal.EdgeFixture.metric;
import static nexus.sparkplug.internal.EdgeFixture.property;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import nexus.alarm.AlarmState;
import nexus.core.Severity;
import nexus.query.Quality;
import nexus.query.TagInfo;

class EdgeDataTest {

    private final EdgeFixture edge = new EdgeFixture();

    @BeforeEach
    void namespace() {
        edge.tags.tag(new TagInfo(3, "plant/boiler/temp", "FLOAT32", "b", 0, 0, 4, "degC", null, true, 0.0, 200.0,
                Map.of()), 71.5f);
        edge.tags.tag(5, "plant/line/count", "INT32", 42L);
        edge.tags.tag(9, "plant/line/name", "STRING", "L1");
        edge.alarmService.alarm("boiler-high", "plant/boiler/temp", Severity.HIGH, AlarmState.NORMAL);
    }

    @Test
    void dataCarriesOnlyTheChangedTagsByAliasWithTheirValueAndTimestamp() {
        EdgeNode node = edge.online();
        edge.tags.set("plant/line/count", 43L);
        node.tick();

        assertThat(edge.transport.of("NDATA")).hasSize(1);
        assertThat(edge.transport.of("NDATA").get(0).topic()).isEqualTo("spBv1.0/plant/NDATA/nexus1");
        SparkplugBPayload data = edge.transport.last("NDATA");
        assertThat(data.getSeq()).isEqualTo(1L);
        assertThat(data.getMetrics()).hasSize(1);
        Metric count = data.getMetrics().get(0);
        assertThat(count.getAlias()).isEqualTo(5L);
        assertThat(count.hasName()).as("data carries aliases only").isFalse();
        assertThat(count.getValue()).isEqualTo(43);
        long valueMs = edge.tags.value("plant/line/count").timestamp() / 1_000_000;
        assertThat(count.getTimestamp()).isEqualTo(new Date(valueMs));
    }

    @Test
    void nothingChangedIsNothingPublished() {
        EdgeNode node = edge.online();
        node.tick();
        node.tick();

        assertThat(edge.transport.of("NDATA")).isEmpty();
    }

    @Test
    void theChangesOfOnePollGoInOneDataMessage() {
        EdgeNode node = edge.online();
        edge.tags.set("plant/line/count", 43L);
        edge.tags.set("plant/line/name", "L2");
        node.tick();

        SparkplugBPayload data = edge.transport.last("NDATA");
        assertThat(edge.transport.of("NDATA")).hasSize(1);
        assertThat(data.getMetrics()).extracting(Metric::getAlias).containsExactly(5L, 9L);
        assertThat(alias(data, 9).getValue()).isEqualTo("L2");
    }

    @Test
    void seqCountsOnePerMessageAndWrapsFrom255ToZero() {
        EdgeNode node = edge.online();
        List<Long> seqs = new ArrayList<>();
        for (int i = 1; i <= 257; i++) {
            edge.tags.set("plant/line/count", 42L + i);
            node.tick();
            seqs.add(edge.transport.last("NDATA").getSeq());
        }

        assertThat(seqs.get(0)).isEqualTo(1L);
        assertThat(seqs.get(253)).isEqualTo(254L);
        assertThat(seqs.get(254)).isEqualTo(255L);
        assertThat(seqs.get(255)).isEqualTo(0L);
        assertThat(seqs.get(256)).isEqualTo(1L);
        assertThat(node.status().seq()).isEqualTo(1);
    }

    @Test
    void anAbsoluteDeadbandHoldsSmallChangesMeasuredFromTheLastPublishedValue() {
        edge.deadbandAbsolute = 1.0;
        EdgeNode node = edge.online();

        edge.tags.set("plant/boiler/temp", 72.0f);
        node.tick();
        assertThat(edge.transport.of("NDATA")).as("0.5 from 71.5").isEmpty();
        edge.tags.set("plant/boiler/temp", 72.6f);
        node.tick();
        assertThat(edge.transport.of("NDATA")).as("1.1 from the published 71.5, in two steps").hasSize(1);
        assertThat(alias(edge.transport.last("NDATA"), 3).getValue()).isEqualTo(72.6f);
        edge.tags.set("plant/boiler/temp", 73.0f);
        node.tick();
        assertThat(edge.transport.of("NDATA")).as("0.4 from the published 72.6").hasSize(1);
    }

    @Test
    void aPercentDeadbandIsAShareOfTheEngineeringRange() {
        edge.deadbandPercent = 1.0; // 2.0 of the temperature's 0-200
        EdgeNode node = edge.online();

        edge.tags.set("plant/boiler/temp", 73.0f);
        node.tick();
        assertThat(edge.transport.of("NDATA")).as("1.5 is less than 1% of 200").isEmpty();
        edge.tags.set("plant/boiler/temp", 73.6f);
        node.tick();
        assertThat(edge.transport.of("NDATA")).hasSize(1);
        edge.tags.set("plant/line/count", 43L);
        node.tick();
        assertThat(edge.transport.of("NDATA")).as("a tag without a range has no percent deadband").hasSize(2);
        assertThat(alias(edge.transport.last("NDATA"), 5).getValue()).isEqualTo(43);
    }

    @Test
    void aQualityChangePassesAnyDeadbandAndTravelsAsNullWithItsQuality() {
        edge.deadbandAbsolute = 100;
        EdgeNode node = edge.online();

        edge.tags.quality("plant/boiler/temp", Quality.BAD_UNAVAILABLE);
        node.tick();
        Metric bad = alias(edge.transport.last("NDATA"), 3);
        assertThat(bad.isNull()).isTrue();
        assertThat(property(bad, "quality")).isEqualTo("BAD_UNAVAILABLE");

        edge.tags.set("plant/boiler/temp", 71.5f);
        node.tick();
        assertThat(edge.transport.of("NDATA")).hasSize(2);
        Metric good = alias(edge.transport.last("NDATA"), 3);
        assertThat(good.getValue()).isEqualTo(71.5f);
        assertThat(property(good, "quality")).isNull();
    }

    @Test
    void alarmStateChangesGoInTheNextDataByTheAlarmMetricsAlias() {
        EdgeNode node = edge.online();
        long alarmAlias = metric(edge.transport.last("NBIRTH"), "_nexus/alarms/boiler-high/state").getAlias();
        Instant at = Instant.ofEpochMilli(1_800_000_000_500L);
        node.alarmEvent(FakeAlarmService.event("boiler-high", AlarmState.NORMAL, AlarmState.UNACK_ALARM, at));
        node.alarmEvent(FakeAlarmService.event("not-born", AlarmState.NORMAL, AlarmState.UNACK_ALARM, at));
        edge.tags.set("plant/line/count", 43L);
        node.tick();

        SparkplugBPayload data = edge.transport.last("NDATA");
        assertThat(edge.transport.of("NDATA")).hasSize(1);
        assertThat(data.getMetrics()).extracting(Metric::getAlias).containsExactly(5L, alarmAlias);
        Metric state = alias(data, alarmAlias);
        assertThat(state.getValue()).isEqualTo("UNACK_ALARM");
        assertThat(state.getTimestamp()).isEqualTo(Date.from(at));

        node.alarmEvent(FakeAlarmService.event("not-born", AlarmState.NORMAL, AlarmState.UNACK_ALARM, at));
        node.tick();
        assertThat(edge.transport.of("NDATA")).as("an alarm the birth does not carry is ignored").hasSize(1);
    }

    @Test
    void moreAlarmEventsThanTheQueueHoldsAreANewBirth() {
        EdgeNode node = edge.online();
        edge.alarmService.alarms.clear();
        edge.alarmService.alarm("boiler-high", "plant/boiler/temp", Severity.HIGH, AlarmState.ACKED_ALARM);
        Instant at = Instant.ofEpochMilli(1_800_000_000_500L);
        for (int i = 0; i <= AlarmQueue.CAPACITY; i++) {
            node.alarmEvent(FakeAlarmService.event("boiler-high", AlarmState.NORMAL, AlarmState.ACKED_ALARM, at));
        }
        node.tick();

        assertThat(edge.transport.of("NDATA")).isEmpty();
        assertThat(edge.transport.of("NBIRTH")).hasSize(2);
        assertThat(metric(edge.transport.last("NBIRTH"), "_nexus/alarms/boiler-high/state").getValue())
                .isEqualTo("ACKED_ALARM");
        node.tick();
        assertThat(edge.transport.of("NDATA")).as("the events the birth carries are not sent again").isEmpty();
    }

    @Test
    void noDataIsPublishedOutsideABornConnectedSession() {
        EdgeNode node = edge.node();
        node.newSession();
        edge.tags.set("plant/line/count", 43L);
        node.tick();
        assertThat(edge.transport.sent).as("before online()").isEmpty();

        node.online();
        node.offline();
        edge.tags.set("plant/line/count", 44L);
        node.alarmEvent(FakeAlarmService.event("boiler-high", AlarmState.NORMAL, AlarmState.UNACK_ALARM, Instant.now()));
        node.tick();
        assertThat(edge.transport.of("NDATA")).as("after offline()").isEmpty();
        assertThat(node.status().born()).isFalse();
        assertThat(edge.tags.openWatches).isZero();
    }
}
