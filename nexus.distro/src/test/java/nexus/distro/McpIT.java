package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import nexus.alarm.AlarmService;
import nexus.alarm.AlarmState;
import nexus.core.AlarmCondition;
import nexus.registry.AlarmDefinition;
import nexus.registry.Registry;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;

/**
 * The MCP server at /mcp in the running platform, driven by the MCP Java SDK's own client over real
 * HTTP on loopback: initialize, the tool list, every tool as an admin, refusals by role and by the
 * adapter policy, the two-step write and acknowledgement (a stale confirmation refused), the
 * resources, and the audit journal's TOOL records.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class McpIT extends NexusIT {

    private static final Pattern TOKEN = Pattern.compile("nexus_[A-Za-z0-9_-]{20,}");
    private static final String SETPOINT = "site1/area1/line1/tank2/level_sp";
    private static final String OTHER_SETPOINT = "site1/area1/line1/tank1/level_sp";

    @Override
    protected void prepareHome(Path home) throws IOException {
        Path cfg = home.resolve("etc/nexus.mcp.cfg");
        String text = Files.readString(cfg).replace("write.tags =", "write.tags = " + SETPOINT)
                .replace("acknowledge.alarms =", "acknowledge.alarms = site1/**");
        Files.writeString(cfg, text);
    }

    private String token(String name, String roles) throws Exception {
        Await.until("the console has nexus:token", () -> {
            try {
                return shell("nexus:token list") != null;
            } catch (Exception e) {
                return false;
            }
        });
        String out = shell("nexus:token create " + name + " " + roles);
        Matcher m = TOKEN.matcher(out);
        assertTrue(out, m.find());
        return m.group();
    }

    private McpSyncClient client(String token) {
        // Jackson finds a resource's contents class by name, through the thread's context loader unless told
        // otherwise: in the test's threads that is the failsafe class path, which holds a second copy of the SDK.
        ObjectMapper objects = new ObjectMapper();
        objects.setTypeFactory(TypeFactory.defaultInstance().withClassLoader(McpSchema.class.getClassLoader()));
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(objects);
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port"))
                .endpoint("/mcp").jsonMapper(mapper)
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30))
                .jsonSchemaValidator(new DefaultJsonSchemaValidator(JSON)).build();
        client.initialize();
        return client;
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    private static JsonNode structured(McpSchema.CallToolResult result) {
        return JSON.valueToTree(result.structuredContent());
    }

    private static JsonNode ok(McpSchema.CallToolResult result) {
        assertFalse(String.valueOf(result.content()), Boolean.TRUE.equals(result.isError()));
        return structured(result);
    }

    private static String refused(McpSchema.CallToolResult result) {
        assertTrue("a tool error: " + result.content(), Boolean.TRUE.equals(result.isError()));
        return structured(result).path("error").asText();
    }

    private void ready() {
        Await.until("the MCP server is up", () -> status("/mcp") != -1 && service(TagRegistry.class) != null
                && service(TagRegistry.class).status().version() > 0 && service(AlarmService.class) != null);
    }

    @Test
    public void anAgentReadsTheNamespaceAsItsIdentityAndEveryCallIsAudited() throws Exception {
        ready();
        String admin = token("mcp-admin", "admin");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri("/mcp")).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("no token once an identity exists: " + anonymous.body(), 401, anonymous.statusCode());
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(uri("/mcp")).header("Origin", "http://evil.example")
                .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("a foreign Origin: " + foreign.body(), 403, foreign.statusCode());
        assertTrue("a foreign Host is refused before authentication", rawStatusLine("evil.example").contains(" 403 "));
        assertTrue("the node's own Host passes to authentication", rawStatusLine("127.0.0.1:" + uri("/").getPort()).contains(" 401 "));

        try (McpSyncClient client = client(admin)) {
            assertEquals("rma-nexus", client.getServerInfo().name());
            assertNotNull(client.getCurrentInitializationResult().protocolVersion());
            Set<String> tools = new TreeSet<>();
            client.listTools().tools().forEach(t -> {
                tools.add(t.name());
                assertNotNull(t.name() + " has an input schema", t.inputSchema());
            });
            assertEquals(new TreeSet<>(List.of("describe_namespace", "find_tags", "query", "explain", "read_tags", "list_alarms",
                    "alarm_history_hint", "write_tag", "acknowledge_alarm")), tools);

            JsonNode described = ok(call(client, "describe_namespace", Map.of()));
            assertEquals(4, described.path("views").size());
            assertTrue(described.path("views").path(0).path("rows").asLong() > 0);
            assertTrue("property keys are marked as registry text", described.path("propertyKeys").path("untrusted").asBoolean());

            JsonNode found = ok(call(client, "find_tags", Map.of("filter", Map.of("paths", List.of("site1/area1/line1/tank2/*")))));
            assertEquals(4, found.path("tags").size());
            assertTrue(found.path("tags").path(0).path("registryText").path("untrusted").asBoolean());

            JsonNode rows = ok(call(client, "query", Map.of("sql", "SELECT path FROM tags WHERE path LIKE ? ORDER BY path",
                    "params", List.of("site1/area1/line1/tank2/%"), "limit", 2)));
            assertEquals(2, rows.path("rows").path("registryText").size());
            JsonNode plan = ok(call(client, "explain", Map.of("sql", "SELECT id FROM tags WHERE path LIKE 'site1/area1/line1/%'")));
            assertTrue(plan.toString(), plan.path("tags").asInt() > 0);

            JsonNode read = ok(call(client, "read_tags", Map.of("paths", List.of(SETPOINT, "site9/none"))));
            assertEquals("GOOD", read.path("tags").path(0).path("quality").asText().substring(0, 4));
            assertEquals("BAD_NOT_IN_REGISTRY", read.path("tags").path(1).path("quality").asText());

            JsonNode alarms = ok(call(client, "list_alarms", Map.of("severities", List.of("HIGH"))));
            assertTrue(alarms.path("alarms").size() > 0);
            String alarm = alarms.path("alarms").path(0).path("name").asText();
            JsonNode hint = ok(call(client, "alarm_history_hint", Map.of("alarm", alarm)));
            assertTrue(hint.path("logql").asText(), hint.path("logql").asText().contains("alarm = \"" + alarm + "\""));

            assertEquals("INVALID_ARGUMENT", refused(call(client, "query", Map.of("sql", "SELECT 1", "unknown", 1))));
            assertEquals("QUERY_REJECTED", refused(call(client, "query", Map.of("sql", "DELETE FROM tags"))));
            String unknown = refused(call(client, "no_such_tool", Map.of()));
            assertEquals("an unknown tool is a tool error, not a JSON-RPC error", "NOT_FOUND", unknown);

            McpSchema.ReadResourceResult schema = client.readResource(new McpSchema.ReadResourceRequest("nexus://schema"));
            assertTrue(((McpSchema.TextResourceContents) schema.contents().get(0)).text().contains("tag_properties"));
            McpSchema.ReadResourceResult children = client.readResource(new McpSchema.ReadResourceRequest("nexus://tags/site1/area1"));
            JsonNode listed = JSON.readTree(((McpSchema.TextResourceContents) children.contents().get(0)).text());
            assertTrue(listed.toString(), listed.path("children").size() > 0);
            assertTrue(listed.path("children").path(0).path("uri").asText().startsWith("nexus://tags/site1/area1/"));

            // The roots group every tag, not the first max.rows of them.
            JsonNode roots = JSON.readTree(((McpSchema.TextResourceContents) client.readResource(
                    new McpSchema.ReadResourceRequest("nexus://tags/")).contents().get(0)).text());
            Set<String> names = new TreeSet<>();
            long grouped = 0;
            for (JsonNode child : roots.path("children")) {
                names.add(child.path("name").asText());
                grouped += child.path("tags").asLong();
            }
            JsonNode distinct = ok(call(client, "query", Map.of("sql",
                    "SELECT DISTINCT substr(path, 1, instr(path, '/') - 1) AS root FROM tags ORDER BY root")));
            Set<String> expected = new TreeSet<>();
            distinct.path("rows").path("registryText").forEach(row -> expected.add(row.path("root").asText()));
            JsonNode count = ok(call(client, "query", Map.of("sql", "SELECT count(*) AS n FROM tags")));
            assertEquals(roots.toString(), expected, names);
            assertEquals(roots.toString(), count.path("rows").path("registryText").path(0).path("n").asLong(), grouped);
            assertTrue(roots.path("complete").asBoolean());
        }
        Await.until("the tool calls are in the audit journal", () -> audited("describe_namespace", "OK")
                && audited("query", "QUERY_REJECTED") && audited("query", "INVALID_ARGUMENT") && audited("no_such_tool", "NOT_FOUND")
                && audited("read_resource", "OK"));
    }

    @Test
    public void whatAClientGetsWrongIsAnsweredInWordsWithoutStackTraces() throws Exception {
        ready();
        String admin = token("mcp-wrong", "admin");
        HttpResponse<String> get = mcp(admin, "GET", null);
        assertEquals(get.body(), 405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
        assertTrue(get.body(), get.body().contains("stateless"));
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        for (String body : List.of("{", "not json", deep, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}")) {
            HttpResponse<String> bad = mcp(admin, "POST", body);
            assertEquals(bad.body(), 400, bad.statusCode());
            assertEquals("application/problem+json", bad.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            JsonNode problem = JSON.readTree(bad.body());
            assertEquals("INVALID_ARGUMENT", problem.path("code").asText());
            assertFalse(bad.body(), bad.body().contains("stackTrace") || bad.body().contains("at io.") || bad.body().length() > 1_000);
        }
        HttpResponse<String> huge = mcp(admin, "POST", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\""
                + "x".repeat(2 << 20) + "\"}}");
        assertEquals(413, huge.statusCode());
        HttpResponse<String> notObject = mcp(admin, "POST", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"query\",\"arguments\":\"SELECT 1\"}}");
        assertEquals(notObject.body(), 200, notObject.statusCode());
        JsonNode answer = JSON.readTree(notObject.body());
        assertEquals(7, answer.path("id").asInt());
        assertTrue(answer.toString(), answer.path("result").path("isError").asBoolean());
        assertEquals("INVALID_ARGUMENT", answer.path("result").path("structuredContent").path("error").asText());
        HttpResponse<String> notification = mcp(admin, "POST", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/whatever\"}");
        assertEquals(202, notification.statusCode());
        // No session: a call needs no initialize first, and a session id from elsewhere carries nothing.
        HttpResponse<String> direct = mcp(admin, "POST", "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"describe_namespace\",\"arguments\":{}}}");
        assertEquals(direct.body(), 200, direct.statusCode());
        assertFalse(direct.body(), JSON.readTree(direct.body()).path("result").path("isError").asBoolean());
        assertTrue(direct.headers().firstValue("Mcp-Session-Id").isEmpty());
    }

    private HttpResponse<String> mcp(String token, String method, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/mcp")).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void writesAndAcknowledgementsTakeTwoStepsAndBothRoleAndPolicy() throws Exception {
        ready();
        awaitAlarmsWithoutSimulator();
        String viewer = token("mcp-viewer", "viewer");
        String operator = token("mcp-operator", "operator");
        try (McpSyncClient client = client(viewer)) {
            assertEquals("FORBIDDEN", refused(call(client, "write_tag", Map.of("path", SETPOINT, "value", 42.5))));
        }
        try (McpSyncClient client = client(operator)) {
            JsonNode outside = structured(call(client, "write_tag", Map.of("path", OTHER_SETPOINT, "value", 42.5)));
            assertEquals("FORBIDDEN", outside.path("error").asText());
            assertTrue(outside.path("message").asText(), outside.path("message").asText().contains("write.tags"));

            JsonNode dry = ok(call(client, "write_tag", Map.of("path", SETPOINT, "value", 42.5)));
            assertTrue(dry.path("dryRun").asBoolean());
            assertEquals(42.5, dry.path("new").asDouble(), 0);
            String id = dry.path("confirmation").asText();
            JsonNode done = ok(call(client, "write_tag", Map.of("path", SETPOINT, "value", 42.5, "confirmation", id)));
            assertFalse(done.path("dryRun").asBoolean());
            assertEquals(42.5, done.path("value").asDouble(), 0);
            assertEquals("CONFLICT", refused(call(client, "write_tag", Map.of("path", SETPOINT, "value", 42.5, "confirmation", id))));

            String stale = ok(call(client, "write_tag", Map.of("path", SETPOINT, "value", 43.5))).path("confirmation").asText();
            Registry registry = service(TagRegistry.class).current();
            service(RmaBackend.class).write(registry.tag(SETPOINT).orElseThrow().allocation(), 44.5);
            JsonNode moved = structured(call(client, "write_tag", Map.of("path", SETPOINT, "value", 43.5, "confirmation", stale)));
            assertEquals("CONFLICT", moved.path("error").asText());
            assertTrue(moved.path("message").asText(), moved.path("message").asText().contains("moved since the dry run"));

            AlarmDefinition alarm = registry.alarms().stream()
                    .filter(a -> a.condition() == AlarmCondition.HI && a.name().endsWith("/level_hi")).findFirst().orElseThrow();
            service(RmaBackend.class).write(registry.tag(alarm.tagId()).orElseThrow().allocation(), 97.0);
            Await.until(alarm.name() + " is UNACK_ALARM",
                    () -> service(AlarmService.class).get(Its.ADMIN, alarm.name()).state() == AlarmState.UNACK_ALARM);
            JsonNode ackDry = ok(call(client, "acknowledge_alarm", Map.of("alarm", alarm.name())));
            assertEquals("ACKED_ALARM", ackDry.path("newState").asText());
            JsonNode acked = ok(call(client, "acknowledge_alarm", Map.of("alarm", alarm.name(),
                    "confirmation", ackDry.path("confirmation").asText())));
            assertEquals("ACKED_ALARM", acked.path("state").asText());
        }
        Await.until("the write is audited as a tool call", () -> audited("write_tag", "OK") && audited("write_tag", "CONFLICT"));
    }

    /** @return the status line of a POST /mcp without credentials sent with this Host (the JDK's client sets its own) */
    private String rawStatusLine(String host) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    /** @return whether the audit journal has a TOOL record of the tool with the result */
    private boolean audited(String tool, String result) {
        return journal().stream().anyMatch(l -> l.path("target").asText().equals("TOOL") && l.path("name").asText().equals(tool)
                && l.path("result").asText().equals(result));
    }

    private List<JsonNode> journal() {
        Path dir = home().resolve("data/audit");
        try (Stream<Path> files = Files.list(dir)) {
            List<JsonNode> lines = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    lines.add(JSON.readTree(line));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
