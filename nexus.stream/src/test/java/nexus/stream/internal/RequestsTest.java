package nexus.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import nexus.query.Deadband;

class RequestsTest {

    private final Requests requests = new Requests(StreamLimits.DEFAULTS);

    private void refused(String message, String saying) {
        assertThatThrownBy(() -> requests.parse(message)).isInstanceOf(Requests.Refused.class).hasMessageContaining(saying);
    }

    @Test
    void readsATagSubscribeWithItsDefaults() {
        var request = (Requests.SubscribeTags) requests.parse("{\"type\":\"subscribe\",\"id\":\"1\",\"paths\":[\"a/t\",\"a/t\",\"b/t\"]}");
        TagRequest tags = request.tags();
        assertThat(tags.paths()).as("each path once, in order").containsExactly("a/t", "b/t");
        assertThat(tags.samplingMs()).isEqualTo(100);
        assertThat(tags.queueSize()).isEqualTo(1);
        assertThat(tags.maxRate()).isZero();
        assertThat(tags.deadband()).isEqualTo(Deadband.NONE);
        assertThat(tags.target()).isEqualTo("2 paths");
    }

    @Test
    void readsQueryParametersByKind() {
        var request = (Requests.SubscribeTags) requests.parse("{\"type\":\"subscribe\",\"sql\":\"SELECT id FROM tags WHERE"
                + " unit = ?\",\"params\":[\"degC\",3,2.5,true,null],\"deadband\":{\"percent\":2.5},\"maxRate\":0.5}");
        assertThat(request.tags().params()).isEqualTo(Arrays.asList("degC", 3L, 2.5, true, null));
        assertThat(request.tags().deadband()).isEqualTo(new Deadband(0, 2.5));
        assertThat(request.tags().maxRate()).isEqualTo(0.5);
    }

    @Test
    void readsAnAlarmSubscribeAsItIs() {
        var request = (Requests.SubscribeAlarms) requests.parse("{\"type\":\"subscribe\",\"id\":2,\"alarms\":{\"prefix\":"
                + "\"site1/\"},\"resume\":{\"run\":\"r\",\"sequence\":4}}");
        assertThat(request.id().intValue()).isEqualTo(2);
        assertThat(request.alarms().get("prefix").asText()).isEqualTo("site1/");
        assertThat(request.resume().get("sequence").asLong()).isEqualTo(4);
    }

    @Test
    void refusesWhatTheProtocolDoesNotHave() {
        refused("[1,2]", "a message is a JSON object");
        refused("{\"type\":\"ping\"} {}", "not JSON");
        refused("{\"type\":\"ping\",\"type\":\"ping\"}", "not JSON");
        refused("{\"id\":\"1\"}", "'type' is missing");
        refused("{\"type\":\"subscribe\",\"paths\":[\"a\"],\"sql\":\"SELECT 1\"}", "exactly one of 'sql', 'paths' and 'alarms'");
        refused("{\"type\":\"subscribe\",\"alarms\":{},\"samplingMs\":100}", "'samplingMs' applies to tag subscriptions");
        refused("{\"type\":\"subscribe\",\"paths\":[\"a\"],\"resume\":{}}", "'resume' applies to alarm subscriptions");
        refused("{\"type\":\"subscribe\",\"paths\":[\"a\"],\"params\":[1]}", "'params' are the values");
        refused("{\"type\":\"subscribe\",\"paths\":[]}", "non-empty array");
        refused("{\"type\":\"subscribe\",\"paths\":[1]}", "'paths[0]' is not a string");
        refused("{\"type\":\"subscribe\",\"sql\":\"SELECT 1\",\"params\":[[1]]}", "'params[0]'");
        refused("{\"type\":\"subscribe\",\"paths\":[\"a\"],\"deadband\":{\"absolute\":-1}}", "'deadband.absolute'");
        refused("{\"type\":\"subscribe\",\"paths\":[\"a\"],\"deadband\":{\"percent\":101}}", "'deadband.percent'");
        refused("{\"type\":\"subscribe\",\"paths\":[\"a\"],\"deadband\":{\"absolute\":1,\"percent\":1}}", "'deadband' is");
        refused("{\"type\":\"subscribe\",\"paths\":[\"a\"],\"samplingMs\":60001}", "to 60000");
        refused("{\"type\":\"subscribe\",\"paths\":[\"a\"],\"samplingMs\":100.5}", "'samplingMs'");
        refused("{\"type\":\"subscribe\",\"paths\":[\"a\"],\"maxRate\":1001}", "to 1000");
        refused("{\"type\":\"subscribe\",\"paths\":[\"a\"],\"maxRate\":0}", "from 0.01");
        refused("{\"type\":\"unsubscribe\",\"subscription\":1}", "'subscription' is missing or not a string");
        refused("{\"type\":\"ping\",\"id\":{}}", "'id' is a string");
    }

    @Test
    void aRefusalCarriesTheRequestIdWhenItCouldBeRead() {
        assertThatThrownBy(() -> requests.parse("{\"type\":\"ping\",\"id\":\"p\",\"extra\":1}"))
                .isInstanceOfSatisfying(Requests.Refused.class, e -> assertThat(e.id.asText()).isEqualTo("p"));
    }
}
