package nexus.loki.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.core.Severity;

class PushBodyTest {

    private static JsonNode read(byte[] gzip) throws Exception {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void entriesAreGroupedByStreamWithStringTimestampsAndStructuredMetadata() throws Exception {
        Entries entries = new Entries(Configs.settings(Map.of("url", "http://loki", "node", "n1")));
        List<Entry> batch = List.of(entries.of(Events.activated(1, "a", Severity.HIGH, Events.T0), 1),
                entries.of(Events.acknowledged(2, "a", Events.T0), 2),
                entries.of(Events.activated(1, "b", Severity.HIGH, Events.T0), 3));

        JsonNode body = read(PushBody.gzip(batch, true));

        assertThat(FakeLoki.parse(body)).hasSize(3);
        assertThat(body.path("streams")).hasSize(2);
        JsonNode alarms = body.path("streams").path(0);
        assertThat(alarms.path("stream").path("kind").asText()).isEqualTo("alarm");
        assertThat(alarms.path("values")).hasSize(2);
        assertThat(alarms.path("values").path(0).path(0).isTextual()).isTrue();
        assertThat(alarms.path("values").path(1).path(0).asLong() - alarms.path("values").path(0).path(0).asLong())
                .isEqualTo(1);
        assertThat(alarms.path("values").path(0).path(2).path("alarm").asText()).isEqualTo("a");
        assertThat(alarms.path("values").path(0).path(2).path("tag").asText()).isEqualTo("a/pv");
        assertThat(body.path("streams").path(1).path("stream").path("kind").asText()).isEqualTo("audit");
    }

    @Test
    void withoutStructuredMetadataAValueIsTimestampAndLine() throws Exception {
        Entries entries = new Entries(Configs.settings(Map.of("url", "http://loki")));

        JsonNode body = read(PushBody.gzip(List.of(entries.of(Events.activated(1, "a", Severity.LOW, Events.T0), 1)), false));

        assertThat(body.path("streams").path(0).path("values").path(0)).hasSize(2);
    }
}
