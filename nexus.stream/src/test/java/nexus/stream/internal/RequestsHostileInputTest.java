package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Hostile messages found by attacking a running node (issue 14): each must be refused with an
 * {@code error} the client can read, never fail inside the parser.
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
                .hasMessageContaining("not JSON");
    }
}
