package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.Caller;
import nexus.core.Severity;
import nexus.query.FindFilter;
import nexus.query.FindPlan;
import nexus.query.FindResult;
import nexus.query.FindService;
import nexus.query.Quality;
import nexus.query.ReadPlan;
import nexus.query.TagInfo;
import nexus.query.TagValue;

/** The find routes translate: the body to a filter (strictly), the result to JSON, refusals to problems. */
class FindRoutesTest {

    private final List<FindFilter> asked = new ArrayList<>();
    private final List<Caller> callers = new ArrayList<>();

    private final FindService finds = new FindService() {
        @Override
        public FindResult find(Caller caller, FindFilter filter) {
            asked.add(filter);
            callers.add(caller);
            TagInfo tag = new TagInfo(7, "site1/area1/line1/tank1/level", "FLOAT32", "process", 8, 0, 4, "%", "level", false,
                    0.0, 100.0, Map.of());
            return new FindResult(List.of(new FindResult.Row(tag, new TagValue(42.5, Quality.GOOD, 0), filter.includeAlarms()
                    ? List.of(new FindResult.TagAlarm("site1/area1/line1/tank1/level_hi", Severity.HIGH, "NORMAL", false, true))
                    : null)), "f1.abc", 3, 1, 1);
        }

        @Override
        public FindPlan explain(Caller caller, FindFilter filter) {
            asked.add(filter);
            return new FindPlan("SELECT id FROM tags WHERE unit = ?", List.of("%"), new ReadPlan(1, 0, List.of(), 256, 4096),
                    "none");
        }
    };

    private static ApiConfig defaults() {
        return (ApiConfig) Proxy.newProxyInstance(ApiConfig.class.getClassLoader(), new Class<?>[] { ApiConfig.class },
                (proxy, method, args) -> method.getDefaultValue());
    }

    private FakeHttp.Response send(String role, String method, String uri, String json) throws Exception {
        ApiServlet servlet = new ApiServlet(defaults(), new Metrics(), null, finds);
        FakeHttp.Response response = new FakeHttp.Response();
        servlet.service(FakeHttp.request(method, uri, json, TestAccess.requester(role)), response.servlet);
        return response;
    }

    @Test
    void aFilterFindsAsTheAuthenticatedCallerAndAnswersRowsWithValuesAndACursor() throws Exception {
        FakeHttp.Response response = send("viewer", "POST", "/find", "{\"units\": [\"%\"], \"limit\": 5, \"includeAlarms\": true}");

        assertThat(response.status).as(response.body.toString()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("rows").path(0).path("path").asText()).isEqualTo("site1/area1/line1/tank1/level");
        assertThat(body.path("rows").path(0).path("value").asDouble()).isEqualTo(42.5);
        assertThat(body.path("rows").path(0).path("alarms").path(0).path("state").asText()).isEqualTo("NORMAL");
        assertThat(body.path("cursor").asText()).isEqualTo("f1.abc");
        assertThat(body.path("examined").asInt()).isEqualTo(3);
        assertThat(asked.get(0).units()).containsExactly("%");
        assertThat(asked.get(0).limit()).isEqualTo(5);
        assertThat(callers.get(0).user()).isEqualTo(TestAccess.requester("viewer").caller().user());
    }

    @Test
    void aBadFilterIsA400NamingTheFieldAndNothingIsAsked() throws Exception {
        FakeHttp.Response response = send("viewer", "POST", "/find", "{\"properties\": {\"area\": []}}");

        assertThat(response.status).isEqualTo(400);
        assertThat(response.headers.get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.json().path("detail").asText()).startsWith("properties.area: ");
        assertThat(asked).isEmpty();
    }

    @Test
    void explainAnswersTheSqlAndItsParametersApart() throws Exception {
        FakeHttp.Response response = send("viewer", "POST", "/find/explain", "{\"units\": [\"%\"]}");

        assertThat(response.status).isEqualTo(200);
        assertThat(response.json().path("sql").asText()).isEqualTo("SELECT id FROM tags WHERE unit = ?");
        assertThat(response.json().path("params").path(0).asText()).isEqualTo("%");
        assertThat(response.json().path("liveFilter").asText()).isEqualTo("none");
    }

    @Test
    void theSchemaIsServed() throws Exception {
        FakeHttp.Response response = send("viewer", "GET", "/find/schema", null);

        assertThat(response.status).isEqualTo(200);
        assertThat(response.json().path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(response.json().path("properties").has("paths")).isTrue();
    }

    @Test
    void aCallerWithoutReadIsForbidden() throws Exception {
        FakeHttp.Response response = send("monitor", "POST", "/find", "{}");

        assertThat(response.status).isEqualTo(403);
        assertThat(asked).isEmpty();
    }
}
