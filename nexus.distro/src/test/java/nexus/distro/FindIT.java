package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.json.FindJson;
import nexus.query.FindResult;
import nexus.query.FindService;
import nexus.query.QueryOptions;
import nexus.query.QueryService;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;

/** Find in the running platform: the service with the alarm manager's states, path_glob in SQL, the HTTP routes. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FindIT extends NexusIT {

    private static final String SETPOINT = "site1/area1/line1/tank2/level_sp";

    private FindService finds() {
        Await.until("the find service answers", () -> {
            TagRegistry registry = service(TagRegistry.class);
            return service(FindService.class) != null && registry != null && registry.status().version() > 0;
        });
        return service(FindService.class);
    }

    @Test
    public void aFilterFindsLiveValuesWithTheirAlarmsState() {
        FindService finds = finds();
        service(RmaBackend.class).write(service(TagRegistry.class).current().tag(SETPOINT).orElseThrow().allocation(), 55.5);
        Await.until("the alarm manager answers find", () -> {
            try {
                finds.find(Its.ADMIN, FindJson.parse("{\"includeAlarms\": true, \"limit\": 1}"));
                return true;
            } catch (nexus.core.NexusException e) {
                return false;
            }
        });

        FindResult result = finds.find(Its.ADMIN, FindJson.parse("{\"paths\": [\"site1/area1/line1/tank*/*\"],"
                + " \"writable\": true, \"live\": {\"value\": {\"gt\": 55, \"lt\": 56}}, \"includeAlarms\": true}"));

        assertEquals(List.of(SETPOINT), result.rows().stream().map(r -> r.tag().path()).toList());
        assertEquals(55.5f, result.rows().get(0).value().value());
        assertNotNull("rows carry alarms when asked", result.rows().get(0).alarms());
        assertTrue(finds.explain(Its.ADMIN, FindJson.parse("{\"paths\": [\"site1/*/line1/**\"]}")).sql()
                .contains("path_glob(?, path)"));
    }

    @Test
    public void pathGlobWorksInAnyQuery() {
        finds();
        QueryService queries = service(QueryService.class);
        var result = queries.select(Its.ADMIN, "SELECT id, path FROM tags WHERE path_glob(?, path) ORDER BY path",
                QueryOptions.DEFAULT.withParams(List.of("site1/area1/line1/tank2/*")));
        assertEquals(4, result.rows().size());
        assertTrue(result.rows().stream().allMatch(r -> ((String) r.cells().get(1)).startsWith("site1/area1/line1/tank2/")));
    }

    @Test
    public void theRoutesAnswerPagesExplainsSchemaAndProblems() throws Exception {
        finds();
        Await.until("the find route answers", () -> status("/api/v1/find/schema") == 200);
        HttpResponse<String> page = post("/api/v1/find", "{\"paths\": [\"site1/area1/line1/tank2/*\"], \"limit\": 3}");
        assertEquals(page.body(), 200, page.statusCode());
        JsonNode body = JSON.readTree(page.body());
        assertEquals(3, body.path("rows").size());
        String cursor = body.path("cursor").asText();
        HttpResponse<String> next = post("/api/v1/find", "{\"paths\": [\"site1/area1/line1/tank2/*\"], \"limit\": 3,"
                + " \"cursor\": \"" + cursor + "\"}");
        assertEquals(1, JSON.readTree(next.body()).path("rows").size());
        assertTrue(JSON.readTree(next.body()).path("cursor").isNull());

        HttpResponse<String> bad = post("/api/v1/find", "{\"properties\": {\"area\": []}}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body(), JSON.readTree(bad.body()).path("detail").asText().startsWith("properties.area: "));
        assertFalse(bad.body().contains("Exception"));
        HttpResponse<String> explain = post("/api/v1/find/explain", "{\"units\": [\"%\"]}");
        assertEquals("%", JSON.readTree(explain.body()).path("params").path(0).asText());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
