package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** The query string of an event stream becomes exactly one subscribe message, or a 400 naming what is wrong. */
class SseSubscribeTest {

    /** @param pairs name, value, name, value… (a name given again adds a value) */
    private static Map<String, String[]> query(String... pairs) {
        Map<String, String[]> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            String value = pairs[i + 1];
            parameters.merge(pairs[i], new String[] { value }, (a, b) -> {
                String[] both = java.util.Arrays.copyOf(a, a.length + 1);
                both[a.length] = b[0];
                return both;
            });
        }
        return parameters;
    }

    private static JsonNode subscribe(Map<String, String[]> parameters, String lastEventId) throws Exception {
        return Http.JSON.readTree(SseSubscribe.message(parameters, lastEventId));
    }

    private static String refusal(Map<String, String[]> parameters) {
        try {
            SseSubscribe.message(parameters, null);
        } catch (NexusException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            return e.getMessage();
        }
        throw new AssertionError("not refused: " + parameters.keySet());
    }

    @Test
    void aSqlSubscriptionTakesItsParamsInOrderAndItsOptions() throws Exception {
        JsonNode message = subscribe(query("sql", "SELECT id FROM tags WHERE unit = ? AND path LIKE ?", "param", "degC",
                "param", "site1/%", "samplingMs", "500", "deadbandAbsolute", "0.5", "queueSize", "3", "maxRate", "10",
                "ticket", "t1"), null);

        assertThat(message).isEqualTo(Http.JSON.readTree("{\"type\":\"subscribe\",\"id\":\"sse\","
                + "\"sql\":\"SELECT id FROM tags WHERE unit = ? AND path LIKE ?\",\"params\":[\"degC\",\"site1/%\"],"
                + "\"samplingMs\":500,\"queueSize\":3,\"maxRate\":10,\"deadband\":{\"absolute\":0.5}}"));
    }

    @Test
    void maxRateTakesADecimalAsTheWebSocketDoes() throws Exception {
        JsonNode message = subscribe(query("path", "site1/a", "maxRate", "0.5"), null);

        assertThat(message.get("maxRate").doubleValue()).isEqualTo(0.5);
    }

    @Test
    void pathsAndAPercentDeadband() throws Exception {
        JsonNode message = subscribe(query("path", "site1/a", "path", "site1/b", "deadbandPercent", "2.5"), null);

        assertThat(message.path("paths").toString()).isEqualTo("[\"site1/a\",\"site1/b\"]");
        assertThat(message.path("deadband").toString()).isEqualTo("{\"percent\":2.5}");
        assertThat(message.has("sql")).isFalse();
        assertThat(message.has("alarms")).isFalse();
    }

    @Test
    void anAlarmSubscriptionTakesItsFiltersAndResumesFromTheLastEventId() throws Exception {
        JsonNode message = subscribe(query("alarms", "", "state", "UNACK_ALARM", "severity", "HIGH", "severity", "CRITICAL",
                "prefix", "site1/"), "8f0c-11:41");

        assertThat(message).isEqualTo(Http.JSON.readTree("{\"type\":\"subscribe\",\"id\":\"sse\",\"alarms\":{"
                + "\"states\":[\"UNACK_ALARM\"],\"severities\":[\"HIGH\",\"CRITICAL\"],\"prefix\":\"site1/\"},"
                + "\"resume\":{\"run\":\"8f0c-11\",\"sequence\":41}}"));
        assertThat(subscribe(query("alarms", ""), null).path("alarms").toString()).as("no filter: all").isEqualTo("{}");
    }

    @Test
    void theHeaderWinsOverTheLastEventIdParameter() throws Exception {
        assertThat(subscribe(query("alarms", "", "lastEventId", "r:7"), null).path("resume").toString())
                .isEqualTo("{\"run\":\"r\",\"sequence\":7}");
        assertThat(subscribe(query("alarms", "", "lastEventId", "r:7"), "r:9").path("resume").path("sequence").asLong())
                .isEqualTo(9);
    }

    @Test
    void aLastEventIdThatIsNoPositionIsRefused() {
        for (String id : new String[] { "41", "r:", ":41", "r:-1", "r:4x", "r:99999999999999999999" }) {
            assertThatThrownBy(() -> SseSubscribe.Resume.parse(id)).as(id).isInstanceOf(NexusException.class)
                    .hasMessageContaining("is not <run>:<sequence>");
        }
        assertThat(SseSubscribe.Resume.parse("a:b:12")).isEqualTo(new SseSubscribe.Resume("a:b", 12));
    }

    @Test
    void anUnknownParameterIsRefusedNamingItAndWhatIsTaken() {
        assertThat(refusal(query("paths", "a"))).isEqualTo("unknown parameter 'paths': /api/v1/stream/sse takes sql, param,"
                + " path, samplingMs, deadbandAbsolute, deadbandPercent, queueSize, maxRate, alarms, state, severity, prefix,"
                + " lastEventId (docs/streams.md)");
        assertThat(refusal(query("path", "a", "access", "x"))).startsWith("unknown parameter 'access'");
    }

    @Test
    void aSingleValuedParameterGivenTwiceIsRefused() {
        assertThat(refusal(query("sql", "SELECT 1", "sql", "SELECT 2")))
                .isEqualTo("the parameter 'sql' is given 2 times: give it once");
        assertThat(refusal(query("path", "a", "samplingMs", "1", "samplingMs", "2"))).contains("'samplingMs' is given 2 times");
    }

    @Test
    void numbersMustBeNumbers() {
        assertThat(refusal(query("path", "a", "samplingMs", "fast")))
                .isEqualTo("the parameter 'samplingMs' must be a whole number of 0 or more, not 'fast'");
        assertThat(refusal(query("path", "a", "queueSize", "-1"))).contains("'queueSize' must be a whole number");
        assertThat(refusal(query("path", "a", "maxRate", "often")))
                .isEqualTo("the parameter 'maxRate' must be a number such as 0.5, not 'often'");
        assertThat(refusal(query("path", "a", "deadbandAbsolute", "NaN")))
                .isEqualTo("the parameter 'deadbandAbsolute' must be a number such as 0.5, not 'NaN'");
    }

    @Test
    void alarmFiltersNeedAlarmsAndAlarmsTakesNoValue() {
        assertThat(refusal(query("path", "a", "severity", "HIGH")))
                .isEqualTo("the parameter 'severity' filters alarms: add 'alarms' to follow the alarm feed (?alarms&severity=…)");
        assertThat(refusal(query("alarms", "yes"))).isEqualTo("the parameter 'alarms' takes no value (?alarms), not 'yes'");
    }

    @Test
    void whichSubscriptionsAreValidIsTheServicesToSay() throws Exception {
        JsonNode both = subscribe(query("sql", "SELECT id FROM tags", "path", "a"), null);

        assertThat(both.has("sql")).isTrue();
        assertThat(both.has("paths")).as("passed on for the service to refuse").isTrue();
        assertThat(subscribe(query(), null).toString()).isEqualTo("{\"type\":\"subscribe\",\"id\":\"sse\"}");
    }
}
