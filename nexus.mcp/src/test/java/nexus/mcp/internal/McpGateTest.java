package nexus.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import nexus.core.AuditRecord;
import nexus.core.Caller;

/**
 * The MCP transport ({@link McpGate}) before the SDK's stateless server, with in-memory requests and
 * responses ({@link GateExchange}): what a client gets for each mistake, in the node's words, and
 * that refusals are rate-limited and bounded like calls. Most cases came from a review and an attack
 * of the transport; McpIT drives it over real HTTP with the SDK's client.
 */
class McpGateTest {

    private final TestBackends backends = new TestBackends();
    private final List<AuditRecord> audit = backends.audit;
    private final Caller mallory = Caller.of("mallory", Set.of("viewer"), "mcp 127.0.0.1");
    private final McpEndpoint endpoint = new McpEndpoint(toolbox(100), new Browse(backends, 10), new Identities(() -> null), "0");

    @AfterEach
    void close() {
        endpoint.close();
    }

    private Toolbox toolbox(int burst) {
        ToolDef echo = new ToolDef("echo", "echoes", Schemas.object("'text': {'type': 'string'}"), false,
                call -> Outcome.ok("said", Map.of(), 1));
        return new Toolbox(List.of(echo), new DefaultJsonSchemaValidator(Schemas.json()), new RateLimiter(60, burst), backends,
                () -> 0L);
    }

    private GateExchange post(String body, Map<String, String> extra) throws IOException {
        return GateExchange.post(endpoint.servlet(), body, extra);
    }

    private GateExchange post(String body) throws IOException {
        return post(body, Map.of());
    }

    private GateExchange post(InputStream body, long length) throws IOException {
        return GateExchange.exchange(endpoint.servlet(), "POST", GateExchange.headers(Map.of()), body, length);
    }

    /** STYLE.md: problem bodies never carry class names; docs/ai.md: "never a library's exception text". */
    @Test
    void aBodyThatIsAJsonArrayIsRefusedWithoutJavaClassNames() throws Exception {
        GateExchange answer = post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", Map.of());
        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body).doesNotContain("java.util").doesNotContain("JsonToken");
    }

    @Test
    void aBodyTooDeeplyNestedIsRefusedWithoutJacksonInternals() throws Exception {
        GateExchange answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":" + "{\"a\":".repeat(1500) + "1"
                + "}".repeat(1500) + "}", Map.of());
        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body).doesNotContain("StreamReadConstraints");
    }

    /** The SDK answers 415; the gate replaces it with a problem that neither names the header nor has a matching code. */
    @Test
    void aWrongContentTypeIsAnsweredNamingTheHeader() throws Exception {
        GateExchange answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", Map.of("Content-Type", "text/plain"));
        assertThat(answer.status).isEqualTo(415);
        assertThat(answer.body).contains("Content-Type");
    }

    /** MCP 2025-06-18 / 2025-11-25 transports: an unsupported MCP-Protocol-Version MUST be answered 400. */
    @Test
    void anUnsupportedProtocolVersionHeaderIsRefused() throws Exception {
        GateExchange answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", Map.of("MCP-Protocol-Version", "1999-01-01"));
        assertThat(answer.status).isEqualTo(400);
    }

    /** MCP: a request id MUST NOT be null; the refusal is right, its detail names an SDK class. */
    @Test
    void aRequestWithANullIdIsRefusedWithoutJavaClassNames() throws Exception {
        GateExchange answer = post("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", Map.of());
        assertThat(answer.status).as(answer.body).isEqualTo(400);
        assertThat(answer.body).doesNotContain("io.modelcontextprotocol");
    }

    /** A client mistake (initialize without params): the SDK logs WARN with a stack trace and answers its NPE text. */
    @Test
    void anInitializeWithoutParamsIsAnsweredWithoutTheSdksExceptionText() throws Exception {
        GateExchange answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}", Map.of());
        assertThat(answer.body).as("status " + answer.status).doesNotContain("io.modelcontextprotocol").doesNotContain("Cannot invoke");
    }

    /** A client mistake the gate does not look at (_meta not an object) reaches the SDK: ERROR log, 500 INTERNAL. */
    @Test
    void aToolsCallWithAMalformedMetaIsAClientErrorNotAServerError() throws Exception {
        GateExchange answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"arguments\":{},\"_meta\":5}}", Map.of());
        assertThat(answer.status).as(answer.body).isLessThan(500);
    }

    @Test
    void envelopeMistakesAreNamedInFixedWords() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} {}", "more after the JSON value");
        cases.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"ping\"}", "member 'id' appears twice");
        cases.put("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", "member jsonrpc must be");
        cases.put("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}", "id must be a string or an integer");
        cases.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", "method must be a non-empty string");
        cases.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":[1]}", "params must be an object");
        cases.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", "takes no JSON-RPC responses");
        cases.put("{\"jsonrpc\":\"2.0\",", "not valid JSON (line 1, column");
        cases.put("", "empty");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            GateExchange answer = post(c.getKey(), Map.of());
            assertThat(answer.status).as(c.getKey()).isEqualTo(400);
            assertThat(answer.headers.get("Content-Type")).isEqualTo("application/problem+json");
            assertThat(answer.body).as(c.getKey()).contains(c.getValue()).doesNotContain("Exception").doesNotContain("jackson");
        }
    }

    @Test
    void aNotificationIsAcceptedAndAnUnknownToolIsAToolError() throws Exception {
        assertThat(post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", Map.of()).status).isEqualTo(202);
        GateExchange unknown = post("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/call\",\"params\":{\"name\":\"nope\"}}", Map.of());
        assertThat(unknown.status).isEqualTo(200);
        // no authenticator here: refused (fail closed) as a tool error; McpIT has the unknown tool with an identity
        assertThat(unknown.body).contains("\"id\":\"a\"").contains("\"isError\":true").contains("BACKEND_UNAVAILABLE");
    }

    @Test
    void aSupportedProtocolVersionAndAnInitializePass() throws Exception {
        GateExchange init = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
                Map.of("MCP-Protocol-Version", "2025-11-25"));
        assertThat(init.status).as(init.body).isEqualTo(200);
        assertThat(init.body).contains("\"protocolVersion\":\"2025-11-25\"").contains("rma-nexus");
    }

    /**
     * Calls the gate refuses itself (unknown tool, no name, arguments not an object) are audited one
     * by one and never take from the identity's bucket: a viewer sent 40 unknown-tool calls at once
     * (burst 20) and every one was answered and audited, and a real call afterwards still went
     * through. An agent in a loop floods the audit stream this way, which the rate limit exists to
     * prevent.
     */
    @Test
    void callsRefusedBeforeTheToolRunStillTakeFromTheIdentitysRateLimit() {
        Toolbox toolbox = toolbox(1);
        toolbox.refuse(mallory, "nope", Map.of(), toolbox.unknown("nope"));
        Outcome real = toolbox.call(mallory, "echo", Map.of());
        assertThat(real.structured()).as("the identity's only token went to the unknown-tool call")
                .containsEntry("error", "OVERLOADED");
    }

    /**
     * The tool name is neither bounded nor cut: a 1,000,000-character name was echoed three times in
     * the answer (3 MB for a 1 MB request) and its audit record (2 MB) was over the journal's line
     * limit, so the call was not audited at all and a 1 MB WARN line went to the log instead — per
     * request, without a rate limit.
     */
    @Test
    void aHugeUnknownToolNameIsCutInTheAnswerAndTheAudit() {
        Toolbox toolbox = toolbox(5);
        String name = "X".repeat(100_000);
        Outcome outcome = toolbox.refuse(mallory, name, Map.of(), toolbox.unknown(name));
        assertThat(outcome.text().length()).as("characters of the tool error").isLessThan(2_000);
        assertThat(audit).singleElement().satisfies(r -> {
            assertThat(r.name().length()).as("characters of the audited tool name").isLessThanOrEqualTo(Toolbox.MAX_ARGS);
            assertThat(r.detail().length()).as("characters of the audited message").isLessThan(2_000);
        });
    }

    /** {@code _meta} that is not an object: the SDK fails to read the request, logs ERROR, the gate answers 500. */
    @Test
    void aToolCallWithMetaThatIsNoObjectIsAClientMistakeNotA500() throws IOException {
        GateExchange answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"arguments\":{},\"_meta\":\"x\"}}");
        assertThat(answer.status).as(answer.body).isLessThan(500);
    }

    /** {@code resources/read} without params or with an array: 500 and an SDK ERROR line with a NullPointerException text. */
    @Test
    void aResourceReadWithoutParamsIsAClientMistakeNotA500() throws IOException {
        for (String params : List.of("", ",\"params\":[1]")) {
            GateExchange answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/read\"" + params + "}");
            assertThat(answer.status).as(params + ": " + answer.body).isLessThan(500);
        }
    }

    /**
     * {@code initialize} without params, or with capabilities that are no object: the JSON-RPC error's
     * message is the SDK's exception text — a NullPointerException message and Jackson's, with the
     * SDK's class names — and the SDK logs a WARN with a stack trace.
     */
    @Test
    void aBadInitializeIsAnsweredInTheNodesWordsWithoutClassNames() throws IOException {
        for (String params : List.of("", ",\"params\":{\"protocolVersion\":5,\"capabilities\":[]}")) {
            GateExchange answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"" + params + "}");
            assertThat(answer.body).doesNotContain("io.modelcontextprotocol", "Cannot invoke", "java.", "$");
        }
    }

    /**
     * A problem document quotes Jackson's message, which names Java types: a batch gets "Cannot
     * deserialize value of type `java.util.HashMap&lt;java.lang.String,java.lang.Object&gt;`", an id of
     * the wrong type names {@code io.modelcontextprotocol.spec.McpSchema$JSONRPCRequest}. STYLE.md:
     * bodies never contain class names. A batch deserves its own words (batches are not supported).
     */
    @Test
    void problemDocumentsNameNoJavaTypes() throws IOException {
        for (String body : List.of("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]",
                "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}")) {
            GateExchange answer = post(body);
            assertThat(answer.status).isEqualTo(400);
            assertThat(answer.body).as(body).doesNotContain("java.", "io.modelcontextprotocol", "McpSchema$");
        }
    }

    /**
     * A client that stops sending its body: the servlet container's read fails (Jetty's idle timeout
     * after 30 s) and the gate lets the IOException out, so the container logs ERROR with a stack trace
     * per connection (392 ERROR lines, 27,000 log lines for 400 stalled connections on a node).
     */
    @Test
    void aBodyThatCannotBeReadIsAnsweredNotThrown() throws IOException {
        InputStream stalled = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("java.util.concurrent.TimeoutException: Idle timeout expired: 30000/30000 ms");
            }
        };
        GateExchange answer = post(stalled, -1);
        assertThat(answer.status).as(answer.body).isBetween(400, 499);
    }
}
