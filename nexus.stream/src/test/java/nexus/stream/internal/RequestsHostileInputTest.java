package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.core.NexusException;

/**
 * Hostile and odd messages found by attacking a running node (issue 14): each must be refused with an
 * {@code error} the client can read, never fail inside the parser, and what is accepted is echoed as
 * sent.
 */
class RequestsHostileInputTest {

    private final Requests requests = new Requests(StreamLimits.DEFAULTS);

    /**
     * JSON nested deeper than Jackson's limit (1000) fits easily in 64 KiB. Jackson reports it
     * without a location, and the parser's message building dereferenced that location: a
     * NullPointerException instead of a refusal, so the client got no answer at all and the node
     * logged a stack trace per message.
     */
    @Test
    void refusesJsonNestedDeeperThanTheParserTakes() {
        String deep = "{\"type\":\"ping\",\"id\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThatThrownBy(() -> requests.parse(deep)).isInstanceOf(Requests.Refused.class)
                .hasMessageContaining("not JSON").hasMessageContaining(Requests.DEPTH_MAX + " levels")
                .hasMessageNotContaining("StreamReadConstraints");
    }

    @Test
    void refusesNestingJustPastItsOwnDepthLimit() {
        String params = "[".repeat(Requests.DEPTH_MAX) + "]".repeat(Requests.DEPTH_MAX);
        assertThatThrownBy(() -> requests.parse("{\"type\":\"subscribe\",\"sql\":\"x\",\"params\":" + params + "}"))
                .isInstanceOf(Requests.Refused.class).hasMessageContaining("deeper than " + Requests.DEPTH_MAX);
    }

    @Test
    void refusesAnIdThatIsNotAStringOrAWholeNumber() {
        for (String id : new String[] { "1e400", "1.5", "18446744073709551616", "true", "{}" }) {
            assertThatThrownBy(() -> requests.parse("{\"type\":\"ping\",\"id\":" + id + "}")).as(id)
                    .isInstanceOf(Requests.Refused.class).hasMessageContaining("'id' is a string");
        }
        assertThat(JsonText.id(requests.parse("{\"type\":\"ping\",\"id\":9223372036854775807}").id()))
                .isEqualTo("9223372036854775807");
        assertThat(JsonText.id(requests.parse("{\"type\":\"ping\",\"id\":\"" + "x".repeat(Requests.ID_MAX) + "\"}").id()))
                .hasSize(Requests.ID_MAX + 2);
    }

    @Test
    void takesAWholeNumberWrittenWithAFractionPart() {
        var request = (Requests.SubscribeTags) requests.parse(
                "{\"type\":\"subscribe\",\"paths\":[\"a\"],\"samplingMs\":100.0,\"queueSize\":2.0}");
        assertThat(request.tags().samplingMs()).isEqualTo(100);
        assertThat(request.tags().queueSize()).isEqualTo(2);
        assertThatThrownBy(() -> requests.parse("{\"type\":\"subscribe\",\"paths\":[\"a\"],\"samplingMs\":100.5}"))
                .isInstanceOf(Requests.Refused.class).hasMessageContaining("whole number");
    }

    @Test
    void refusesAMaxRateBelowOneMessageInAHundredSeconds() {
        assertThatThrownBy(() -> requests.parse("{\"type\":\"subscribe\",\"paths\":[\"a\"],\"maxRate\":1e-300}"))
                .isInstanceOf(Requests.Refused.class).hasMessageContaining("from 0.01");
        var slowest = (Requests.SubscribeTags) requests.parse("{\"type\":\"subscribe\",\"paths\":[\"a\"],\"maxRate\":0.01}");
        assertThat(slowest.tags().maxRate()).isEqualTo(0.01);
    }

    @Test
    void refusesAResumeRunLongerThanARunIdCanBe() throws Exception {
        var resume = new ObjectMapper().readTree("{\"run\":\"" + "r".repeat(10_000) + "\",\"sequence\":1}");
        assertThatThrownBy(() -> AlarmSubscriptions.resume(resume)).isInstanceOf(NexusException.class)
                .hasMessageContaining("at most " + AlarmSubscriptions.RUN_MAX).hasMessageNotContaining("rrrr");
    }
}
