package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** How one message becomes one Server-Sent Event. */
class SseStreamTest {

    private static String event(String json, String resumeId) {
        return new String(SseStream.event(json, resumeId), StandardCharsets.UTF_8);
    }

    @Test
    void aMessageIsOneDataLineAndABlankLine() {
        assertThat(event("{\"type\":\"heartbeat\"}", null)).isEqualTo("data: {\"type\":\"heartbeat\"}\n\n");
    }

    @Test
    void anAlarmEventCarriesItsPositionAsTheEventId() {
        assertThat(event("{\"type\":\"alarm\"}", "8f0c:42")).isEqualTo("id: 8f0c:42\ndata: {\"type\":\"alarm\"}\n\n");
    }

    @Test
    void aMessageOnSeveralLinesIsOneEventOfSeveralDataLines() {
        assertThat(event("{\n \"type\": \"data\"\r\n}", null)).isEqualTo("data: {\ndata:  \"type\": \"data\"\ndata: }\n\n");
        assertThat(event("{}", "a\nb")).as("an id cannot end the event early").isEqualTo("id: ab\ndata: {}\n\n");
    }

    @Test
    void aCloseReasonIsCutToWhatACloseFrameHolds() {
        assertThat(StreamSocket.fitted("short")).isEqualTo("short");
        assertThat(StreamSocket.fitted("x".repeat(200))).hasSize(StreamSocket.MAX_REASON);
        String cut = StreamSocket.fitted("é".repeat(100));
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isEqualTo(122).isLessThanOrEqualTo(StreamSocket.MAX_REASON);
        assertThat(StreamSocket.fitted("😀".repeat(40))).hasSize(60); // 30 whole 4-byte characters, none cut in half
    }
}
