package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.NexusException;
import nexus.query.TagService;
import nexus.query.TagWrite;
import nexus.registry.TagRegistry;

/** The HTTP API over real HTTP on loopback: every route, every error code, big results, many clients. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ApiIT extends NexusIT {

    private static final String LEVEL = "site1/area1/line1/tank2/level";
    private static final String SETPOINT = "site1/area1/line1/tank2/level_sp";

    private void ready() {
        Await.until("the API answers queries", () -> status("/api/v1/tags/" + LEVEL) == 200);
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode problem(HttpResponse<String> response, int status, String code) throws IOException {
        assertEquals(response.body(), status, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(code, problem.path("code").asText());
        assertEquals(status, problem.path("status").asInt());
        assertFalse(response.body(), response.body().contains("Exception") || response.body().contains("\tat "));
        return problem;
    }

    @Test
    public void queriesReturnRowsWithLiveValues() throws Exception {
        ready();
        HttpResponse<String> post = send("POST", "/api/v1/query", "application/json",
                "{\"sql\": \"SELECT id, path, unit FROM tags WHERE path = '" + LEVEL + "'\"}");
        assertEquals(post.body(), 200, post.statusCode());
        JsonNode result = JSON.readTree(post.body());
        assertEquals("[\"id\",\"path\",\"unit\"]", result.path("columns").toString());
        JsonNode row = result.path("rows").path(0);
        assertEquals(LEVEL, row.path("path").asText());
        assertEquals("GOOD", row.path("quality").asText());
        assertTrue(row.path("value").isNumber());
        assertTrue(row.path("ts").asText().endsWith("Z"));
        assertFalse(result.path("truncated").asBoolean());

        String sql = java.net.URLEncoder.encode("SELECT unit, count(*) AS n FROM tags GROUP BY unit", StandardCharsets.UTF_8);
        JsonNode aggregate = json("/api/v1/query?sql=" + sql + "&limit=3");
        assertEquals(3, aggregate.path("rows").size());
        assertTrue(aggregate.path("rows").path(0).path("quality").isMissingNode());

        HttpResponse<String> explain = send("POST", "/api/v1/explain", "application/json",
                "{\"sql\": \"SELECT id FROM tags WHERE path LIKE 'site1/area1/line1/tank2/%'\"}");
        assertEquals(200, explain.statusCode());
        assertEquals(4, JSON.readTree(explain.body()).path("tags").asInt());
    }

    @Test
    public void limitZeroAnswersTheColumnsAndNoRows() throws Exception {
        ready();
        HttpResponse<String> post = send("POST", "/api/v1/query", "application/json",
                "{\"sql\": \"SELECT id, path FROM tags WHERE path LIKE 'site1/%'\", \"limit\": 0}");
        assertEquals(post.body(), 200, post.statusCode());
        JsonNode result = JSON.readTree(post.body());
        assertEquals("[\"id\",\"path\"]", result.path("columns").toString());
        assertEquals(0, result.path("rows").size());
        assertTrue("rows matched", result.path("truncated").asBoolean());

        String none = java.net.URLEncoder.encode("SELECT id FROM tags WHERE path = 'nosuch'", StandardCharsets.UTF_8);
        JsonNode nothing = json("/api/v1/query?sql=" + none + "&limit=0");
        assertEquals(0, nothing.path("rows").size());
        assertFalse("nothing matched", nothing.path("truncated").asBoolean());

        problem(send("POST", "/api/v1/query", "application/json", "{\"sql\": \"SELECT id FROM tags\", \"limit\": -1}"),
                400, "INVALID_ARGUMENT");
        // The launcher closes idle connections after 30 s (slowloris): OverloadIT shows it with 2 s.
        assertEquals("30000", context.getProperty("org.apache.felix.http.timeout"));
    }

    @Test
    public void tenThousandRowsStreamGzipped() throws Exception {
        ready();
        HttpRequest request = HttpRequest.newBuilder(uri("/api/v1/query"))
                .header("Content-Type", "application/json").header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": \"SELECT id, path FROM tags\", \"limit\": 10000}")).build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElse(""));
        JsonNode result;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            result = JSON.readTree(in);
        }
        assertEquals(10_000, result.path("rows").size());
        assertTrue(result.path("truncated").asBoolean());
        assertTrue(response.body().length < 10_000 * 40);
    }

    @Test
    public void tagsCanBeReadListedAndWrittenWhenWritable() throws Exception {
        ready();
        JsonNode tag = json("/api/v1/tags/" + LEVEL);
        assertEquals(LEVEL, tag.path("path").asText());
        assertEquals("%", tag.path("unit").asText());
        assertEquals("sine", tag.path("properties").path("simulate").asText());

        JsonNode list = json("/api/v1/tags?prefix=site1/area1/line1/tank2/&limit=3");
        assertEquals(3, list.path("tags").size());
        assertTrue(list.path("truncated").asBoolean());
        assertTrue(list.path("tags").path(0).path("path").asText().startsWith("site1/area1/line1/tank2/"));

        HttpResponse<String> written = send("PUT", "/api/v1/tags/" + SETPOINT, "application/json", "{\"value\": 37.5}");
        assertEquals(written.body(), 200, written.statusCode());
        assertEquals(37.5, JSON.readTree(written.body()).path("value").asDouble(), 0);
        assertEquals(37.5, json("/api/v1/tags/" + SETPOINT).path("value").asDouble(), 0);
    }

    @Test
    public void everyErrorIsAProblemWithItsCode() throws Exception {
        ready();
        problem(send("POST", "/api/v1/query", "application/json", "{\"sql\": \"DELETE FROM tag\"}"), 400, "QUERY_REJECTED");
        problem(send("POST", "/api/v1/query", "application/json", "{\"sql\": \"SELECT count(*) FROM tags a, tags b, tags c, tags d\"}"),
                504, "QUERY_TIMEOUT");
        problem(send("GET", "/api/v1/tags/no/such/tag", null, null), 404, "TAG_NOT_FOUND");
        problem(send("PUT", "/api/v1/tags/" + LEVEL, "application/json", "{\"value\": 1}"), 403, "NOT_WRITABLE");
        problem(send("PUT", "/api/v1/tags/" + SETPOINT, "application/json", "{\"value\": \"high\"}"), 400, "INVALID_ARGUMENT");
        problem(send("PUT", "/api/v1/tags/" + SETPOINT, "application/json", "{\"value\": 1000}"), 400, "INVALID_ARGUMENT");
        problem(send("PUT", "/api/v1/tags/" + SETPOINT, "application/json", "{}"), 400, "INVALID_ARGUMENT");
        problem(send("POST", "/api/v1/query", "application/json", "{\"sql\": "), 400, "INVALID_ARGUMENT");
        problem(send("POST", "/api/v1/query", "text/plain", "SELECT 1"), 400, "INVALID_ARGUMENT");
        problem(send("POST", "/api/v1/query", "application/json", "{\"limit\": 5}"), 400, "INVALID_ARGUMENT");
        problem(send("POST", "/api/v1/query", "application/json", "{\"sql\": \"SELECT 1\", \"limit\": -1}"), 400, "INVALID_ARGUMENT");
        problem(send("GET", "/api/v1/query?sql=SELECT%201&limit=ten", null, null), 400, "INVALID_ARGUMENT");
        problem(send("POST", "/api/v1/query", "application/json", "{\"sql\": \"" + "x".repeat(70_000) + "\"}"), 413, "PAYLOAD_TOO_LARGE");
        problem(send("GET", "/api/v1/tags/a%2Fb", null, null), 400, "INVALID_ARGUMENT");
        problem(send("GET", "/api/v1/tags/a/%2e%2e/b", null, null), 400, "INVALID_ARGUMENT");
        problem(send("GET", "/api/v1/nothing", null, null), 404, "NOT_FOUND");
        problem(send("GET", "/nothing/at/all", null, null), 404, "NOT_FOUND");
        problem(send("DELETE", "/api/v1/banks", null, null), 405, "METHOD_NOT_ALLOWED");
        problem(send("POST", "/api/v1/alarms/no/such/alarm:ack", "application/json", "{}"), 404, "ALARM_NOT_FOUND");
        String alarm = json("/api/v1/alarms?state=NORMAL").path("alarms").path(0).path("name").asText();
        problem(send("POST", "/api/v1/alarms/" + alarm + ":ack", "application/json", "{}"), 409, "CONFLICT");
        JsonNode named = problem(send("POST", "/api/v1/alarms/" + alarm + ":ack", "application/json",
                "{\"user\": \"mallory\"}"), 400, "INVALID_ARGUMENT");
        assertTrue(named.toString(), named.path("detail").asText().contains("user"));
        assertEquals("the bad writes changed nothing", 37.5, json("/api/v1/tags/" + SETPOINT).path("value").asDouble(), 37.5);
    }

    @Test
    public void theTagListPagesWithACursor() throws Exception {
        ready();
        String prefix = "site1/area1/line1/";
        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json("/api/v1/tags?prefix=" + prefix + "&limit=3"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            page.path("tags").forEach(tag -> paged.add(tag.path("path").asText()));
            assertEquals(page.toString(), !page.path("cursor").isNull(), page.path("truncated").asBoolean());
            assertTrue(page.has("registryVersion"));
            cursor = page.path("cursor").isNull() ? null : page.path("cursor").asText();
            pages++;
        } while (cursor != null && pages < 1_000);
        JsonNode all = json("/api/v1/tags?prefix=" + prefix);
        List<String> whole = new ArrayList<>();
        all.path("tags").forEach(tag -> whole.add(tag.path("path").asText()));
        assertFalse(all.path("truncated").asBoolean());
        assertTrue(all.path("cursor").isNull());
        assertTrue("several pages", pages > 1);
        assertEquals("the pages, in order, are the whole listing", whole, paged);
        problem(send("GET", "/api/v1/tags?prefix=" + prefix + "&cursor=not-a-cursor", null, null), 400, "INVALID_ARGUMENT");
    }

    @Test
    public void aBatchWritesEachTagOnItsOwn() throws Exception {
        ready();
        HttpResponse<String> response = send("PUT", "/api/v1/tags", "application/json", "{\"writes\": ["
                + "{\"path\": \"" + SETPOINT + "\", \"value\": 38.5}, {\"path\": \"" + LEVEL + "\", \"value\": 1},"
                + " {\"path\": \"no/such/tag\", \"value\": 1}]}");
        assertEquals(response.body(), 200, response.statusCode());
        JsonNode results = JSON.readTree(response.body()).path("results");
        assertEquals(3, results.size());
        assertTrue(results.path(0).path("ok").asBoolean());
        assertEquals(38.5, results.path(0).path("tag").path("value").asDouble(), 0);
        assertEquals("NOT_WRITABLE", results.path(1).path("error").path("code").asText());
        assertEquals(403, results.path(1).path("error").path("status").asInt());
        assertEquals("TAG_NOT_FOUND", results.path(2).path("error").path("code").asText());
        assertEquals(38.5, json("/api/v1/tags/" + SETPOINT).path("value").asDouble(), 0);
        problem(send("PUT", "/api/v1/tags", "application/json", "{\"writes\": [{\"path\": \"" + SETPOINT + "\"}]}"), 400,
                "INVALID_ARGUMENT");
    }

    /** A refused write answers the tag service's own code and message: HTTP adds nothing and changes nothing. */
    @Test
    public void aRefusedWriteSaysOverHttpWhatTheTagServiceSays() throws Exception {
        ready();
        TagService tags = service(TagService.class);
        Object[][] cases = { { "no/such/tag", 1L, "1" }, { LEVEL, 1L, "1" }, { SETPOINT, "high", "\"high\"" },
                { SETPOINT, 1000L, "1000" } };
        List<String> codes = new ArrayList<>();
        for (Object[] write : cases) {
            NexusException direct = null;
            try {
                tags.write(Its.ADMIN, new TagWrite((String) write[0], write[1]));
            } catch (NexusException e) {
                direct = e;
            }
            assertTrue(write[0] + " = " + write[1] + " is refused", direct != null);
            HttpResponse<String> response = send("PUT", "/api/v1/tags/" + write[0], "application/json",
                    "{\"value\": " + write[2] + "}");
            JsonNode problem = JSON.readTree(response.body());
            assertEquals(direct.code().name(), problem.path("code").asText());
            assertEquals(direct.getMessage(), problem.path("detail").asText());
            codes.add(direct.code().name());
        }
        assertEquals(List.of("TAG_NOT_FOUND", "NOT_WRITABLE", "INVALID_ARGUMENT", "INVALID_ARGUMENT"), codes);
    }

    /** The authenticated user (anonymous while the node is open), its roles and the client's address reach the audit journal. */
    @Test
    public void aWriteIsAuditedWithItsUserAndTheClientAddress() throws Exception {
        ready();
        assertEquals(200, send("PUT", "/api/v1/tags/" + SETPOINT, "application/json",
                "{\"value\": 36.5}").statusCode());
        assertEquals(200, send("PUT", "/api/v1/tags/" + SETPOINT, "application/json", "{\"value\": 36}").statusCode());
        problem(send("PUT", "/api/v1/tags/" + LEVEL, "application/json", "{\"value\": 1}"), 403,
                "NOT_WRITABLE");

        List<JsonNode> journal = new ArrayList<>();
        try (var files = java.nio.file.Files.list(home().resolve("data/audit"))) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : java.nio.file.Files.readAllLines(file)) {
                    journal.add(JSON.readTree(line));
                }
            }
        }
        JsonNode written = last(journal, SETPOINT, "anonymous");
        assertEquals(written.toString(), "http 127.0.0.1", written.path("source").asText());
        assertEquals(36.0, written.path("after").asDouble(), 0);
        assertEquals("open: the local client acts as admin", "[\"admin\"]", written.path("roles").toString());
        JsonNode refused = last(journal, LEVEL, "anonymous");
        assertTrue(refused.toString(), refused.path("refused").asBoolean());
    }

    private static JsonNode last(List<JsonNode> journal, String tag, String user) {
        return journal.stream().filter(l -> l.path("name").asText().equals(tag) && l.path("user").asText().equals(user))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no audit record of " + user + " on " + tag));
    }

    @Test
    public void alarmActionsFollowTheNameAfterAColon() throws Exception {
        ready();
        String alarm = json("/api/v1/alarms?state=NORMAL").path("alarms").path(0).path("name").asText();
        assertTrue(alarm, alarm.contains("/"));
        JsonNode old = problem(send("POST", "/api/v1/alarms/" + alarm + "/ack", "application/json", "{}"),
                404, "NOT_FOUND");
        assertEquals("alarm actions are POST /api/v1/alarms/{name}:{action} now, not …/{name}/{action}: send POST"
                + " /api/v1/alarms/" + alarm + ":ack", old.path("detail").asText());
        JsonNode unknown = problem(send("POST", "/api/v1/alarms/" + alarm + ":acknowledge", "application/json",
                "{}"), 404, "NOT_FOUND");
        assertEquals("no alarm action 'acknowledge': POST /api/v1/alarms/{name}:{action} takes "
                + nexus.alarm.AlarmAction.wireNames(), unknown.path("detail").asText());
        assertEquals(alarm, json("/api/v1/alarms/" + alarm).path("name").asText());
        problem(send("POST", "/api/v1/alarms/" + alarm, "application/json", "{}"), 405,
                "METHOD_NOT_ALLOWED");
    }

    @Test
    public void withoutTheRegistryTheApiSaysBackendUnavailable() throws Exception {
        ready();
        org.osgi.framework.Bundle registry = bundle("nexus.registry");
        registry.stop();
        try {
            problem(send("GET", "/api/v1/tags/" + LEVEL, null, null), 503, "BACKEND_UNAVAILABLE");
            problem(send("POST", "/api/v1/query", "application/json", "{\"sql\": \"SELECT id FROM tags\"}"), 503, "BACKEND_UNAVAILABLE");
        } finally {
            registry.start();
        }
        ready();
    }

    @Test
    public void everyDocumentedRouteIsServed() throws Exception {
        ready();
        JsonNode document = json("/api/v1/openapi.json");
        // A latched pump fault, so that every action in the document's order is valid: ack, shelve,
        // unshelve, reset, suppress, unsuppress, remove and return, disable and enable.
        var registry = service(TagRegistry.class).current();
        var fault = registry.alarms().stream().filter(a -> a.name().endsWith("/fault") && a.latching()).findFirst()
                .orElseThrow();
        String alarm = fault.name();
        var rma = service(nexus.rma.RmaBackend.class);
        var allocation = registry.tag(fault.tagId()).orElseThrow().allocation();
        rma.write(allocation, true);
        Await.until(alarm + " activates", () -> json("/api/v1/alarms/" + alarm).path("active").asBoolean());
        rma.write(allocation, false);
        Await.until(alarm + " is latched", () -> json("/api/v1/alarms/" + alarm).path("latched").asBoolean());
        List<String> served = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (method.equals("parameters")) {
                    continue;
                }
                if (path.getKey().equals("/api/v1/stream/sse")) {
                    continue; // an endless answer when it works: the stream ITs follow it
                }
                String concrete = path.getKey().replace("{path}", SETPOINT).replace("{name}", alarm);
                String body = path.getKey().equals("/api/v1/tags") && method.equals("put")
                        ? "{\"writes\": [{\"path\": \"" + SETPOINT + "\", \"value\": 40}]}"
                        : method.equals("put") ? "{\"value\": 40}"
                        : concrete.startsWith("/api/v1/alarms/") ? alarmBody(concrete)
                        : concrete.startsWith("/api/v1/find") ? "{\"paths\": [\"site1/**\"], \"limit\": 1}"
                        : "{\"sql\": \"SELECT id FROM tags LIMIT 1\"}";
                boolean restore = path.getKey().equals("/api/v1/snapshot/restore");
                HttpResponse<String> response = restore
                        ? send("POST", concrete + "?dry_run=true", "application/x-ndjson", get("/api/v1/snapshot").body())
                        : send(method.toUpperCase(java.util.Locale.ROOT),
                        concrete + (concrete.equals("/api/v1/query") && method.equals("get") ? "?sql=SELECT%201" : ""),
                        method.equals("get") ? null : "application/json", method.equals("get") ? null : body);
                assertTrue(method + " " + path.getKey() + " -> " + response.statusCode() + " " + response.body(),
                        response.statusCode() == (path.getKey().equals("/api/v1/stream/tickets") ? 201
                                : path.getKey().equals("/api/v1/stream") ? 426 : 200)); // a WebSocket: GET alone is 426
                served.add(method + " " + path.getKey());
            }
        }
        assertEquals("the routes of 2.0, the stream tickets, the WebSocket, the snapshot, find and the console's (me, browse,"
                + " the alarm summary)", 33, served.size());
        String metrics = get("/metrics").body();
        assertTrue(metrics.contains("nexus_http_requests_total{route=\"/api/v1/query\",method=\"POST\",status=\"200\"}"));
        assertTrue(metrics.contains("nexus_rma_bank_writes_total{bank=\"process\"}"));
        assertTrue(metrics.contains("nexus_registry_tags " + service(TagRegistry.class).status().tags()));
        assertTrue(metrics.contains("\nnexus_query_cache_max_bytes 33554432\n"));
        assertTrue(metrics.contains("\nnexus_query_cache_hits_total "));
        assertTrue(metrics.contains("\nnexus_query_cache_misses_total "));
    }

    private static String alarmBody(String path) {
        return path.endsWith(":shelve") ? "{\"minutes\": 1}" : "{\"comment\": \"route check\"}";
    }

    @Test
    public void manyClientsAtOnce() throws Exception {
        ready();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> work = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                work.add(() -> {
                    int ok = 0;
                    for (int i = 0; i < 50; i++) {
                        HttpResponse<String> response = client % 2 == 0
                                ? get("/api/v1/tags/" + LEVEL)
                                : send("POST", "/api/v1/query", "application/json",
                                        "{\"sql\": \"SELECT id FROM tags WHERE path LIKE 'site1/area1/line" + (1 + i % 5) + "/%'\"}");
                        ok += response.statusCode() == 200 ? 1 : 0;
                    }
                    return ok;
                });
            }
            int ok = 0;
            for (Future<Integer> result : clients.invokeAll(work)) {
                ok += result.get();
            }
            assertEquals(400, ok);
        } finally {
            clients.shutdownNow();
        }
    }

}
