package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import nexus.query.Quality;
import nexus.query.QueryResult;
import nexus.query.QueryService;
import nexus.query.QueryStats;
import nexus.query.TagValue;

/** The formats of {@code /api/v1/query}'s answer, through {@link ApiServlet} as a client sees them. */
class QueryRoutesTest {

    private static final long T1 = 1_700_000_000_123_000_000L;
    private static final long T2 = 1_700_000_001_000_000_000L;

    /** Two rows of one block (one time), a tag never written, a row with no tag, a row of another time. */
    private static final QueryResult RESULT = new QueryResult(List.of("id", "path"), List.of(
            new QueryResult.Row(List.of(1L, "p/a"), new TagValue(1.5, Quality.GOOD, T1)),
            new QueryResult.Row(List.of(2L, "p/b"), new TagValue(true, Quality.GOOD, T1)),
            new QueryResult.Row(List.of(3L, "p/c"), new TagValue(null, Quality.BAD_UNAVAILABLE, 0)),
            new QueryResult.Row(Arrays.asList(null, "p/d"), null),
            new QueryResult.Row(List.of(5L, "p/e"), new TagValue("on", Quality.STALE, T2))),
            true, 42, new QueryStats(5, 4, 1, 2, 64, 32, false, 1, 2, 3, 4, 5));

    private final List<String> asked = new ArrayList<>();
    private final QueryService queries = (QueryService) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] { QueryService.class }, (proxy, method, args) -> {
                if (method.getName().equals("select")) {
                    asked.add((String) args[1]);
                    return RESULT;
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private static ApiConfig defaults() {
        return (ApiConfig) Proxy.newProxyInstance(ApiConfig.class.getClassLoader(), new Class<?>[] { ApiConfig.class },
                (proxy, method, args) -> method.getDefaultValue());
    }

    private FakeHttp.Response send(String method, String uri, String json, Map<String, String> headers) throws Exception {
        ApiServlet servlet = new ApiServlet(defaults(), new Metrics(), queries, null, null, null);
        FakeHttp.Response response = new FakeHttp.Response();
        servlet.service(FakeHttp.request(method, uri, json, TestAccess.requester("operator"), headers), response.servlet);
        return response;
    }

    private FakeHttp.Response post(String query, Map<String, String> headers) throws Exception {
        return send("POST", "/query" + query, "{\"sql\": \"SELECT id, path FROM tags\"}", headers);
    }

    @Test
    void rowsAreTheDefaultAnswerAsBefore() throws Exception {
        String expected = "{\"columns\":[\"id\",\"path\"],\"rows\":["
                + "{\"id\":1,\"path\":\"p/a\",\"value\":1.5,\"quality\":\"GOOD\",\"ts\":\"2023-11-14T22:13:20.123Z\"},"
                + "{\"id\":2,\"path\":\"p/b\",\"value\":true,\"quality\":\"GOOD\",\"ts\":\"2023-11-14T22:13:20.123Z\"},"
                + "{\"id\":3,\"path\":\"p/c\",\"value\":null,\"quality\":\"BAD_UNAVAILABLE\",\"ts\":null},"
                + "{\"id\":null,\"path\":\"p/d\"},"
                + "{\"id\":5,\"path\":\"p/e\",\"value\":\"on\",\"quality\":\"STALE\",\"ts\":\"2023-11-14T22:13:21Z\"}],"
                + "\"truncated\":true,\"registryVersion\":42,\"stats\":";
        for (FakeHttp.Response response : List.of(post("", Map.of()), post("?format=rows", Map.of()),
                post("", Map.of("Accept", "application/json")), post("", Map.of("Accept", "*/*")),
                send("GET", "/query?sql=x", null, Map.of()))) {
            assertThat(response.status).isEqualTo(200);
            assertThat(response.headers.get("Content-Type")).isEqualTo("application/json");
            assertThat(response.body.toString(StandardCharsets.UTF_8)).startsWith(expected);
            assertThat(response.json().path("stats").path("rows").asInt()).isEqualTo(5);
        }
    }

    @Test
    void aRepeatedRowsAnswerIsWrittenFromTheMetadataKeptAndReadsTheSame() throws Exception {
        ApiServlet servlet = new ApiServlet(defaults(), new Metrics(), queries, null, null, null);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            FakeHttp.Response response = new FakeHttp.Response();
            servlet.service(FakeHttp.request("POST", "/query", "{\"sql\": \"SELECT id, path FROM tags\"}",
                    TestAccess.requester("operator"), Map.of()), response.servlet);
            assertThat(response.status).isEqualTo(200);
            bodies.add(response.body.toString(StandardCharsets.UTF_8));
            assertThat(servlet.rowFragments().size()).as("answers kept after request %d", i).isEqualTo(i == 0 ? 0 : 1);
        }
        assertThat(bodies).containsOnly(bodies.get(0));
        assertThat(bodies.get(0)).contains("{\"id\":1,\"path\":\"p/a\",\"value\":1.5,");
    }

    @Test
    void columnsHoldOneArrayPerColumnAndTheLiveValuesApart() throws Exception {
        FakeHttp.Response response = post("?format=columns", Map.of());

        assertThat(response.status).isEqualTo(200);
        assertThat(response.headers.get("Content-Type")).isEqualTo("application/json");
        JsonNode answer = response.json();
        assertThat(answer.path("columns").toString()).isEqualTo("[\"id\",\"path\"]");
        assertThat(answer.path("data").toString()).isEqualTo("{\"id\":[1,2,3,null,5],\"path\":[\"p/a\",\"p/b\",\"p/c\",\"p/d\",\"p/e\"]}");
        JsonNode live = answer.path("live");
        assertThat(live.path("value").toString()).isEqualTo("[1.5,true,null,null,\"on\"]");
        assertThat(live.path("quality").toString()).isEqualTo("[\"GOOD\",\"GOOD\",\"BAD_UNAVAILABLE\",null,\"STALE\"]");
        assertThat(live.path("ts").toString()).isEqualTo("[0,0,null,null,1]");
        assertThat(live.path("times").toString()).isEqualTo("[\"2023-11-14T22:13:20.123Z\",\"2023-11-14T22:13:21Z\"]");
        assertThat(answer.path("truncated").asBoolean()).isTrue();
        assertThat(answer.path("registryVersion").asLong()).isEqualTo(42);
        assertThat(answer.path("stats").path("tags").asInt()).isEqualTo(4);
        assertThat(answer.has("rows")).isFalse();
    }

    @Test
    void columnsOfRowsWithoutTagsHaveNoLiveValues() throws Exception {
        QueryResult counted = new QueryResult(List.of("n"), List.of(new QueryResult.Row(List.of(7L), null)), false, 1,
                RESULT.stats());
        FakeHttp.Response response = new FakeHttp.Response();
        QueryRoutes.answer(FakeHttp.request("GET", "/query", null), response.servlet, QueryFormat.COLUMNS, counted, null);

        JsonNode answer = response.json();
        assertThat(answer.path("data").toString()).isEqualTo("{\"n\":[7]}");
        assertThat(answer.has("live")).isFalse();
    }

    @Test
    void cborDecodesToTheRowsAnswer() throws Exception {
        JsonNode rows = post("", Map.of()).json();
        for (FakeHttp.Response response : List.of(post("?format=cbor", Map.of()),
                post("", Map.of("Accept", "application/json;q=0.5, application/cbor")),
                send("GET", "/query?sql=x&format=cbor", null, Map.of()))) {
            assertThat(response.status).isEqualTo(200);
            assertThat(response.headers.get("Content-Type")).isEqualTo("application/cbor");
            JsonNode decoded = new ObjectMapper(new CBORFactory()).readTree(response.body.toByteArray());
            assertThat(decoded.toString()).isEqualTo(rows.toString());
        }
    }

    @Test
    void anUnknownFormatIs406ListingTheFormatsAndRunsNothing() throws Exception {
        for (FakeHttp.Response response : List.of(post("?format=csv", Map.of()),
                post("", Map.of("Accept", "text/csv")),
                send("GET", "/query?sql=x&format=arrow", null, Map.of()),
                send("GET", "/query?sql=x", null, Map.of("Accept", "application/xml, application/cbor;q=0")))) {
            assertThat(response.status).isEqualTo(406);
            assertThat(response.headers.get("Content-Type")).isEqualTo("application/problem+json");
            JsonNode problem = response.json();
            assertThat(problem.path("code").asText()).isEqualTo("NOT_ACCEPTABLE");
            assertThat(problem.path("formats").toString()).isEqualTo("[\"rows\",\"columns\",\"cbor\"]");
            assertThat(problem.path("detail").asText()).contains("?format=columns").contains("application/cbor");
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void everyAnswerSaysItVariesWithAccept() throws Exception {
        assertThat(post("", Map.of()).headers.get("Vary")).contains("Accept");
        assertThat(post("?format=csv", Map.of()).headers.get("Vary")).contains("Accept");
        assertThat(send("GET", "/query", null, Map.of()).headers.get("Vary")).contains("Accept"); // 400: no ?sql=
    }
}
