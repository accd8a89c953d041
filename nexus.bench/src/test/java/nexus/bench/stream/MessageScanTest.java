package nexus.bench.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class MessageScanTest {

    private final MessageScan scan = new MessageScan();

    @Test
    void readsADataMessageAsDocumented() throws IOException {
        scan.read("""
                {"type": "data", "subscription": "s1", "seq": 2, "items": [
                  {"path": "site1/area1/line1/tank1/temp", "value": 21.7, "quality": "GOOD", "ts": "2026-12-06T15:04:17.220Z", "overflow": true},
                  {"path": "site1/area1/line1/tank1/level", "value": {"odd": [1, 2]}, "quality": "GOOD", "ts": null}]}""");

        assertThat(scan.type).isEqualTo("data");
        assertThat(scan.subscription).isEqualTo("s1");
        assertThat(scan.seq).isEqualTo(2);
        assertThat(scan.snapshot).isFalse();
        assertThat(scan.items).isEqualTo(2);
        assertThat(scan.overflows).isEqualTo(1);
        assertThat(scan.stamped).isEqualTo(1);
        Instant ts = Instant.parse("2026-12-06T15:04:17.220Z");
        assertThat(scan.ts[0]).isEqualTo(ts.getEpochSecond() * 1_000_000_000L + ts.getNano());
    }

    @Test
    void forgetsThePreviousMessageAndGrowsForLargeOnes() throws IOException {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            items.append(i == 0 ? "" : ",").append("{\"path\":\"t").append(i).append("\",\"value\":").append(i)
                    .append(",\"quality\":\"GOOD\",\"ts\":\"2026-12-06T15:04:17Z\"}");
        }
        scan.read("{\"type\":\"data\",\"id\":\"1\",\"subscription\":\"s1\",\"seq\":1,\"snapshot\":true,\"registryVersion\":3,"
                + "\"items\":[" + items + "]}");
        assertThat(scan.snapshot).isTrue();
        assertThat(scan.stamped).isEqualTo(3000);

        scan.read("{\"type\": \"heartbeat\", \"time\": \"2026-12-06T15:04:32.000Z\", \"subscriptions\": {\"s1\": 7, \"s2\": 3}}");
        assertThat(scan.type).isEqualTo("heartbeat");
        assertThat(scan.snapshot).isFalse();
        assertThat(scan.stamped).isZero();
        assertThat(scan.heartbeat).containsEntry("s1", 7L).containsEntry("s2", 3L);
    }

    @Test
    void readsErrorsAndClosesAsOneLine() throws IOException {
        scan.read("{\"type\": \"error\", \"id\": \"1\", \"code\": \"QUERY_REJECTED\", \"message\": \"only SELECT\"}");
        assertThat(scan.error).isEqualTo("QUERY_REJECTED: only SELECT");

        scan.read("{\"type\": \"close\", \"code\": 4008, \"reason\": \"slow consumer\"}");
        assertThat(scan.error).isEqualTo("4008: slow consumer");
    }

    @Test
    void refusesWhatIsNotAnObject() {
        assertThatThrownBy(() -> scan.read("[1, 2]")).isInstanceOf(IOException.class).hasMessage("not a JSON object: [1, 2]");
        assertThatThrownBy(() -> scan.read("{\"type\": ")).isInstanceOf(IOException.class);
    }
}
