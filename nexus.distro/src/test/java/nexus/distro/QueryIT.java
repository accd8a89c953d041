package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.Quality;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.QueryService;
import nexus.query.ReadPlan;
import nexus.query.TagPage;
import nexus.query.TagReading;
import nexus.query.TagService;
import nexus.query.TagWatch;
import nexus.query.TagWrite;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;

/** The read path in the running platform: the demo registry, live values, the shell, bad SQL. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class QueryIT extends NexusIT {

    private QueryService queries() {
        Await.until("the query service answers", () -> {
            QueryService service = service(QueryService.class);
            TagRegistry registry = service(TagRegistry.class);
            return service != null && registry != null && registry.status().version() > 0;
        });
        return service(QueryService.class);
    }

    @Test
    public void aSelectOverTheDemoPlantCarriesLiveValues() {
        QueryService queries = queries();
        String path = "site1/area1/line1/tank2/level_sp";
        RmaBackend rma = service(RmaBackend.class);
        rma.write(service(TagRegistry.class).current().tag(path).orElseThrow().allocation(), 55.5);

        QueryResult result = queries.select(Its.ADMIN, "SELECT id, path, unit FROM tags WHERE path = '" + path + "'", QueryOptions.DEFAULT);

        assertEquals(1, result.rows().size());
        assertEquals(55.5f, result.rows().get(0).tag().value());
        assertEquals(Quality.GOOD, result.rows().get(0).tag().quality());
        QueryResult all = queries.select(Its.ADMIN, "SELECT id FROM tags", QueryOptions.DEFAULT);
        assertTrue("10,000 rows by default", all.rows().size() == 10_000 && all.truncated());
        assertTrue(all.rows().stream().allMatch(r -> r.tag() != null && r.tag().quality() == Quality.GOOD));
        ReadPlan plan = queries.explain(Its.ADMIN, "SELECT id FROM tags WHERE path LIKE 'site1/area1/line1/%'", QueryOptions.DEFAULT);
        assertTrue(plan.blocks() >= 1 && plan.blocks() < plan.tags());
    }

    @Test
    public void theShellRunsQueriesAndExplains() throws Exception {
        queries();
        String table = shell("nexus:query \"SELECT id, path FROM tags WHERE path LIKE 'site1/area1/line1/tank2/%' ORDER BY path\"");
        assertTrue(table, table.startsWith("id"));
        assertTrue(table, table.contains("site1/area1/line1/tank2/level"));
        assertTrue(table, table.contains("GOOD"));
        assertTrue(table, table.contains("4 rows, registry version"));
        String plan = shell("nexus:explain \"SELECT id FROM tags WHERE path LIKE 'site1/area1/line1/tank2/%'\"");
        assertTrue(plan, plan.startsWith("4 tags, 1 blocks"));
        try {
            shell("nexus:query \"DELETE FROM tag\"");
            fail("the shell ran a DELETE");
        } catch (NexusException e) {
            assertEquals("DELETE is not allowed: only SELECT statements can be run", e.getMessage());
        }
    }

    @Test
    public void badSqlIsATypedErrorAndChangesNothing() {
        QueryService queries = queries();
        int before = service(TagRegistry.class).current().index().size();
        expect(queries, "PRAGMA writable_schema = 1", ErrorCode.QUERY_REJECTED, "PRAGMA is not allowed: only SELECT statements can be run");
        expect(queries, "SELECT * FROM sqlite_master", ErrorCode.QUERY_REJECTED, "table sqlite_master is not queryable");
        expect(queries, "SELECT nosuch FROM tags", ErrorCode.QUERY_REJECTED, "no such column: nosuch");
        expect(queries, "SELECT path FROM tags WHERE", ErrorCode.QUERY_REJECTED, "syntax error");
        assertEquals(before, service(TagRegistry.class).current().index().size());
    }

    @Test
    public void theTagServiceReadsListsWatchesAndChecksWrites() {
        queries();
        Await.until("the tag service is registered", () -> service(TagService.class) != null);
        TagService tags = service(TagService.class);
        String path = "site1/area1/line1/tank2/level_sp";
        service(RmaBackend.class).write(service(TagRegistry.class).current().tag(path).orElseThrow().allocation(), 42.5);

        TagReading read = tags.get(Its.ADMIN, path);
        assertEquals(42.5f, read.value().value());
        assertEquals("process", read.tag().bank());
        TagPage first = tags.list(Its.ADMIN, "site1/area1/line1/tank2/", null, 3);
        TagPage second = tags.list(Its.ADMIN, "site1/area1/line1/tank2/", first.cursor(), 3);
        assertEquals(3, first.items().size());
        assertEquals(1, second.items().size());
        assertEquals(null, second.cursor());
        assertEquals(path, tags.readIds(Its.ADMIN, new long[] { read.tag().id() }).get(0).tag().path());
        try (TagWatch watch = tags.watch(Its.ADMIN, java.util.List.of(path))) {
            assertEquals(1, watch.poll().size());
        }
        Caller caller = Caller.of("it", java.util.Set.of("operator"), "QueryIT");
        try {
            tags.write(caller, new TagWrite("site1/area1/line1/tank2/level", 1L));
            fail("a read-only tag was written");
        } catch (NexusException e) {
            assertEquals(ErrorCode.NOT_WRITABLE, e.code());
            assertEquals("tag site1/area1/line1/tank2/level is not writable", e.getMessage());
        }
        try {
            tags.write(caller, new TagWrite(path, 101L));
            fail("a value outside the engineering range was written");
        } catch (NexusException e) {
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertEquals("cannot write " + path + ": 101 is outside its engineering range 0..100 %", e.getMessage());
        }
        Await.until("the audit trail runs", () -> service(nexus.core.AuditTrail.class) != null);
        TagReading written = tags.write(caller, new TagWrite(path, new java.math.BigDecimal("12.5")));
        assertEquals(12.5f, written.value().value());
        assertEquals(Quality.GOOD, written.value().quality());
    }

    @Test
    public void aSnapshotStreamsOverHttpAndItsRestoreWritesBackAfterADryRun() throws Exception {
        queries();
        Await.until("the snapshot service and the audit trail run", () -> service(nexus.query.SnapshotService.class) != null
                && service(nexus.core.AuditTrail.class) != null);
        String path = "site1/area1/line1/tank2/level_sp";
        RmaBackend rma = service(RmaBackend.class);
        nexus.rma.Allocation setPoint = service(TagRegistry.class).current().tag(path).orElseThrow().allocation();
        rma.write(setPoint, 33.5);
        java.net.http.HttpResponse<String> snapshot = get("/api/v1/snapshot");
        assertEquals(200, snapshot.statusCode());
        assertEquals("application/x-ndjson", snapshot.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        String[] lines = snapshot.body().split("\n");
        com.fasterxml.jackson.databind.JsonNode trailer = JSON.readTree(lines[lines.length - 1]);
        assertEquals(service(TagRegistry.class).current().index().size(), trailer.path("tags").asInt());
        assertEquals(lines.length - 2, trailer.path("tags").asInt());
        rma.write(setPoint, 80.0);

        com.fasterxml.jackson.databind.JsonNode dry = restore("?dry_run=true", snapshot.body());
        assertTrue(dry.toString(), dry.path("changes").toString().contains(path));
        com.fasterxml.jackson.databind.JsonNode done = restore("?confirmation=" + dry.path("confirmation").asText(), snapshot.body());

        assertTrue(done.toString(), done.path("written").toString().contains(path));
        assertTrue(done.toString(), done.path("complete").asBoolean());
        assertEquals(33.5f, service(TagService.class).get(Its.ADMIN, path).value().value());
        assertTrue(shell("nexus:snapshot snapshots/it.csv").contains("tags of registry version"));
        assertTrue(java.nio.file.Files.readString(home().resolve("snapshots/it.csv")).contains(path + ",FLOAT32,33.5,GOOD,"));
    }

    @Test
    public void theThreeFormatsOverHttpGiveTheSameData() throws Exception {
        queries();
        // Metadata only: no live values, so the three answers must agree exactly (stats aside).
        String metadata = "{\"sql\": \"SELECT path, unit FROM tags ORDER BY path\", \"limit\": 200}";
        com.fasterxml.jackson.databind.JsonNode rows = answer("", null, metadata);
        com.fasterxml.jackson.databind.JsonNode cbor = answer("", "application/cbor", metadata);
        com.fasterxml.jackson.databind.JsonNode columns = answer("?format=columns", null, metadata);
        assertEquals(200, rows.path("rows").size());
        ((com.fasterxml.jackson.databind.node.ObjectNode) rows).remove("stats");
        ((com.fasterxml.jackson.databind.node.ObjectNode) cbor).remove("stats");
        assertEquals(rows, cbor);
        assertTrue(columns.toString(), columns.path("live").isMissingNode());
        for (int r = 0; r < 200; r++) {
            assertEquals(rows.path("rows").path(r).path("path"), columns.path("data").path("path").path(r));
            assertEquals(rows.path("rows").path(r).path("unit"), columns.path("data").path("unit").path(r));
        }

        // With live values (the simulator moves them between requests): the same rows, each with a time.
        String live = "{\"sql\": \"SELECT id, path FROM tags ORDER BY id\", \"limit\": 100}";
        rows = answer("", null, live);
        cbor = answer("?format=cbor", null, live);
        columns = answer("?format=columns", null, live);
        for (int r = 0; r < 100; r++) {
            com.fasterxml.jackson.databind.JsonNode row = rows.path("rows").path(r);
            assertEquals(row.path("path"), cbor.path("rows").path(r).path("path"));
            assertEquals(row.path("id").asLong(), cbor.path("rows").path(r).path("id").asLong());
            assertEquals(row.path("id").asLong(), columns.path("data").path("id").path(r).asLong());
            assertEquals(row.path("path"), columns.path("data").path("path").path(r));
            assertTrue(row.toString(), row.has("value") && cbor.path("rows").path(r).has("ts"));
            int time = columns.path("live").path("ts").path(r).asInt(-1);
            assertTrue(columns.path("live").toString(), time >= 0 && time < columns.path("live").path("times").size());
        }
        assertEquals(406, http.send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/query?sql=SELECT%201&format=arrow")).GET()
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    /** @return a query's answer in the format the query string or Accept asks, decoded to a tree */
    private com.fasterxml.jackson.databind.JsonNode answer(String query, String accept, String body) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(uri("/api/v1/query" + query))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (accept != null) {
            request.header("Accept", accept);
        }
        java.net.http.HttpResponse<byte[]> response = http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8), 200, response.statusCode());
        boolean binary = "application/cbor".equals(accept) || query.contains("cbor");
        assertEquals(binary ? "application/cbor" : "application/json",
                response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        return binary ? new com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper().readTree(response.body())
                : JSON.readTree(response.body());
    }

    private com.fasterxml.jackson.databind.JsonNode restore(String query, String body) throws Exception {
        java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/snapshot/restore" + query))
                .header("Content-Type", "application/x-ndjson").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(response.body(), 200, response.statusCode());
        return JSON.readTree(response.body());
    }

    private static void expect(QueryService queries, String sql, ErrorCode code, String message) {
        try {
            queries.select(Its.ADMIN, sql, QueryOptions.DEFAULT);
            fail(sql + " was accepted");
        } catch (NexusException e) {
            assertEquals(sql, code, e.code());
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage(), e.getMessage().contains(message));
        }
    }
}
