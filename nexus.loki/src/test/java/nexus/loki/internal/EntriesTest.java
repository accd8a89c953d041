package nexus.loki.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.core.Severity;

class EntriesTest {

    private final Entries entries = new Entries(Configs.settings(Map.of("url", "http://loki", "node", "n1")));

    @Test
    void anEventIsOneJsonLineInAStreamOfFewBoundedLabels() throws Exception {
        Entry entry = entries.of(Events.acknowledged(7, "site1/tank2/level_hi", Events.T0), 1);

        assertThat(entry.stream()).containsOnly(Map.entry("job", "rma-nexus"), Map.entry("node", "n1"),
                Map.entry("kind", "audit"), Map.entry("severity", "high"));
        assertThat(entry.nanos()).isEqualTo(Events.T0.getEpochSecond() * 1_000_000_000L + 123_000_000L);
        assertThat(entry.alarm()).isEqualTo("site1/tank2/level_hi");
        assertThat(entry.tag()).isEqualTo("site1/tank2/level_hi/pv");
        JsonNode line = new ObjectMapper().readTree(entry.line());
        assertThat(line.path("event").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(line.path("kind").asText()).isEqualTo("audit");
        assertThat(line.path("alarm").asText()).isEqualTo("site1/tank2/level_hi");
        assertThat(line.path("tag").asText()).isEqualTo("site1/tank2/level_hi/pv");
        assertThat(line.path("value").asDouble()).isEqualTo(95.5);
        assertThat(line.path("severity").asText()).isEqualTo("HIGH");
        assertThat(line.path("before").asText()).isEqualTo("UNACK_ALARM");
        assertThat(line.path("after").asText()).isEqualTo("ACKED_ALARM");
        assertThat(line.path("user").asText()).isEqualTo("alice");
        assertThat(line.path("comment").asText()).isEqualTo("on \"it\"");
        assertThat(line.path("timeToAckMs").asLong()).isEqualTo(4200);
        assertThat(line.has("timeInAlarmMs")).isFalse();
        assertThat(line.path("sequence").asLong()).isEqualTo(7);
        assertThat(line.path("message").asText()).isEqualTo("level high");
    }

    @Test
    void anAlarmThatIsNoLongerEvaluatedIsALineInTheAlarmStreamWithItsQualityAsComment() throws Exception {
        Entry entry = entries.of(Events.qualityChanged(9, "site1/tank2/level_hi", Events.T0), 4);

        assertThat(entry.stream()).containsOnly(Map.entry("job", "rma-nexus"), Map.entry("node", "n1"),
                Map.entry("kind", "alarm"), Map.entry("severity", "high"));
        assertThat(entry.alarm()).isEqualTo("site1/tank2/level_hi");
        JsonNode line = new ObjectMapper().readTree(entry.line());
        assertThat(line.path("event").asText()).isEqualTo("QUALITY_CHANGED");
        assertThat(line.path("kind").asText()).isEqualTo("alarm");
        assertThat(line.path("before").asText()).isEqualTo("ACKED_ALARM");
        assertThat(line.path("after").asText()).isEqualTo("ACKED_ALARM");
        assertThat(line.path("value").asDouble()).isEqualTo(95.5);
        assertThat(line.path("comment").asText()).isEqualTo("STALE: the value is the last one sparkplug plant/nexus1"
                + " sent and is not current");
        assertThat(line.path("sequence").asLong()).isEqualTo(9);
        assertThat(line.has("user")).isFalse();
    }

    @Test
    void eventsOfOneMillisecondGetDistinctTimestampsWithinTheirStream() {
        Set<Long> highAlarm = new HashSet<>();
        for (var event : Events.storm(1000)) {
            Entry entry = entries.of(event, 1);
            assertThat(highAlarm.add(entry.nanos())).as("distinct in the stream").isTrue();
        }
        Entry low = entries.of(Events.activated(1, "x", Severity.LOW, Events.T0), 1);

        assertThat(highAlarm).hasSize(1000);
        assertThat(low.nanos()).as("another stream starts at the event's own time")
                .isEqualTo(Events.T0.getEpochSecond() * 1_000_000_000L + 123_000_000L);
    }

    @Test
    void entriesAfterARestartComeAfterTheSpooledOnes() {
        Entry first = entries.of(Events.activated(1, "a", Severity.HIGH, Events.T0), 1);
        Entries restarted = new Entries(Configs.settings(Map.of("url", "http://loki", "node", "n1")));
        restarted.seen(first.streamKey(), first.nanos() + 5);

        Entry next = restarted.of(Events.activated(2, "a", Severity.HIGH, Events.T0), 2);

        assertThat(next.nanos()).isEqualTo(first.nanos() + 6);
    }

    @Test
    void anAuditRecordGoesToTheAuditStreamWithoutSeverityAndSaysItIsARecord() throws Exception {
        Entry entry = entries.of(Audits.write(12, "site1/line9/tank2/setpoint", 21.5, 22L, Events.T0), 3);

        assertThat(entry.stream()).containsOnly(Map.entry("job", "rma-nexus"), Map.entry("node", "n1"),
                Map.entry("kind", "audit"));
        assertThat(entry.input()).isEqualTo(Entry.Input.AUDIT_RECORD);
        assertThat(entry.number()).isEqualTo(3);
        assertThat(entry.nanos()).isEqualTo(Events.T0.getEpochSecond() * 1_000_000_000L + 123_000_000L);
        assertThat(entry.tag()).isEqualTo("site1/line9/tank2/setpoint");
        assertThat(entry.alarm()).isNull();
        assertThat(entry.line()).isEqualTo("{\"record\":\"audit\",\"kind\":\"audit\",\"sequence\":12,\"user\":\"alice\","
                + "\"roles\":[\"operator\"],\"source\":\"http 127.0.0.1\",\"target\":\"TAG\","
                + "\"name\":\"site1/line9/tank2/setpoint\",\"action\":\"write\",\"before\":21.5,\"after\":22,"
                + "\"result\":\"OK\",\"refused\":false}");
    }

    @Test
    void anAlarmActionsRecordNamesTheAlarmInTheMetadata() throws Exception {
        Entry entry = entries.of(Audits.acknowledge(13, "site1/tank2/level_hi", Events.T0), 4);

        assertThat(entry.alarm()).isEqualTo("site1/tank2/level_hi");
        assertThat(entry.tag()).isNull();
        JsonNode line = new ObjectMapper().readTree(entry.line());
        assertThat(line.path("record").asText()).isEqualTo("audit");
        assertThat(line.has("event")).as("not to be taken for an alarm event").isFalse();
        assertThat(line.path("before").asText()).isEqualTo("UNACK_ALARM");
        assertThat(line.path("detail").asText()).isEqualTo("on the way");
        assertThat(line.has("role")).isFalse();
    }

    @Test
    void withoutTheKindLabelAnAuditRecordHasOnlyTheStaticLabels() {
        Entries plain = new Entries(Configs.settings(Map.of("url", "http://loki", "node", "n1", "stream_labels", "")));

        assertThat(plain.of(Audits.acknowledge(1, "a", Events.T0), 1).stream()).containsOnlyKeys("job", "node");
    }

    @Test
    void aValueThatCannotBeEncodedLeavesALineSayingSoOnTheSinksThread() throws Exception {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no text");
            }
        };
        Entry entry = entries.of(Audits.write(14, "site1/tank2/setpoint", hostile, 1L, Events.T0), 5);

        assertThat(entry.encoded()).as("nothing built while queueing").isFalse();
        JsonNode line = new ObjectMapper().readTree(entry.line());
        assertThat(line.path("unencodable").asText()).isEqualTo("audit record 14");
        assertThat(line.path("error").asText()).contains("no text");
    }
}
