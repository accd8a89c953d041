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

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.Quality;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.QueryService;
import nexus.query.ReadPlan;
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

        QueryResult result = queries.select("SELECT id, path, unit FROM tags WHERE path = '" + path + "'", QueryOptions.DEFAULT);

        assertEquals(1, result.rows().size());
        assertEquals(55.5f, result.rows().get(0).tag().value());
        assertEquals(Quality.GOOD, result.rows().get(0).tag().quality());
        QueryResult all = queries.select("SELECT id FROM tags", QueryOptions.DEFAULT);
        assertTrue("10,000 rows by default", all.rows().size() == 10_000 && all.truncated());
        assertTrue(all.rows().stream().allMatch(r -> r.tag() != null && r.tag().quality() == Quality.GOOD));
        ReadPlan plan = queries.explain("SELECT id FROM tags WHERE path LIKE 'site1/area1/line1/%'");
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

    private static void expect(QueryService queries, String sql, ErrorCode code, String message) {
        try {
            queries.select(sql, QueryOptions.DEFAULT);
            fail(sql + " was accepted");
        } catch (NexusException e) {
            assertEquals(sql, code, e.code());
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage(), e.getMessage().contains(message));
        }
    }
}
