package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** Request bodies are read strictly, and what is wrong with one is said in plain words. */
class HttpBodyTest {

    private static JsonNode parse(String body) {
        return Http.object(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String refusal(String body) {
        try {
            parse(body);
        } catch (NexusException e) {
            assertThat(e.code()).as(body).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void anythingAfterTheObjectIsRefused() {
        assertThat(refusal("{\"value\": 1}{}")).isEqualTo("the body has more after its JSON object (line 1, column 13):"
                + " send exactly one JSON object");
        assertThat(refusal("{\"value\": 1} x")).startsWith("the body is not valid JSON (line 1, column 14)");
        assertThat(refusal("{\"value\": 1} 2")).startsWith("the body has more after its JSON object");
    }

    @Test
    void aFieldGivenTwiceIsRefused() {
        assertThat(refusal("{\"value\": 1, \"value\": 2}")).isEqualTo("the body has the field \"value\" twice (line 1,"
                + " column 21): send each field once");
        assertThat(refusal("{\"sql\": \"SELECT 1\", \"limit\": 1, \"sql\": \"DELETE FROM tag\"}")).contains("\"sql\" twice");
    }

    @Test
    void decimalsStayExactSoThatRangesCanBeJudged() {
        assertThat(parse("{\"value\": 1e400}").get("value").decimalValue()).isEqualTo(new BigDecimal("1E+400"));
        assertThat(parse("{\"value\": 4.9e-324}").get("value").decimalValue()).isEqualTo(new BigDecimal("4.9E-324"));
        assertThat(TagJson.javaValue(parse("{\"value\": 1e400}").get("value"))).isEqualTo(new BigDecimal("1E+400"));
    }

    @Test
    void malformedBodiesAreExplainedWithoutLibraryInternals() {
        String[] bodies = { "[".repeat(1_200), "{\"a\": " + "1".repeat(1_200) + "}", "{\"a\": NaN}", "{\"a\":",
            "{\"a\" 1}", "{'a': 1}", "{\"a\": tru}", "{\"a\": \"x\u0001\"}", "{\"a\": 1}}", "{\"a\": [1, 2}", "\"text\"", "[]",
            "{\"a\": 1}{\"b\": 2}" };
        for (String body : bodies) {
            String message = refusal(body);
            assertThat(message).as(body).doesNotContain("Source", "REDACTED", "`", "StreamRead", "Feature", "Exception",
                    "com.fasterxml", "JsonNode", "Constraints", "getMax");
        }
        assertThat(refusal("[".repeat(1_200))).isEqualTo("the body nests deeper than 1000 levels");
        assertThat(refusal("{\"a\": " + "1".repeat(1_200) + "}")).isEqualTo("a number in the body is longer than 1000 characters");
        assertThat(refusal("{\"a\": NaN}")).isEqualTo("the body is not valid JSON (line 1, column 10): NaN is not a JSON value"
                + " (JSON has no NaN or Infinity)");
        assertThat(refusal("{\"a\":")).isEqualTo("the body is not valid JSON (line 1, column 6): Unexpected end-of-input"
                + " within/between Object entries");
        assertThat(refusal("\"text\"")).isEqualTo("the body must be a JSON object");
    }

    @Test
    void plainWordsDropLocationsAndNames() {
        assertThat(Http.plain("Unexpected end-of-input: expected close marker for Object (start marker at [Source: REDACTED"
                + " (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])\n at [Source: x]"))
                .isEqualTo("Unexpected end-of-input: expected close marker for Object");
    }

    @Test
    void anEmptyBodyIsRefused() {
        assertThatThrownBy(() -> Http.object(new byte[0])).isInstanceOf(NexusException.class).hasMessage("the body is empty:"
                + " send a JSON object");
    }
}
