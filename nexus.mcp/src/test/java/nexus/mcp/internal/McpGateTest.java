package nexus.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nexus.alarm.AlarmService;
import nexus.core.AccessPolicy;
import nexus.core.AuditTrail;
import nexus.query.FindService;
import nexus.query.QueryService;
import nexus.query.TagService;

/**
 * The MCP transport with an in-memory servlet request and response: what a client gets for each
 * mistake (the first tests came from a review of the gate in front of the SDK's own transport).
 */
class McpGateTest {

    private final Backends backends = new Backends() {
        @Override public QueryService query() { return null; }
        @Override public TagService tags() { return null; }
        @Override public FindService find() { return null; }
        @Override public AlarmService alarms() { return null; }
        @Override public AccessPolicy policy() { return null; }
        @Override public AuditTrail audit() { return null; }
    };

    private final McpGate gate;

    McpGateTest() {
        ToolDef echo = new ToolDef("echo", "echoes", Schemas.object("'text': {'type': 'string'}"), false,
                call -> Outcome.ok("said", Map.of(), 1));
        Toolbox toolbox = new Toolbox(List.of(echo), new DefaultJsonSchemaValidator(Schemas.json()), new RateLimiter(60, 5),
                backends, () -> 0L);
        McpEndpoint endpoint = new McpEndpoint(toolbox, new Browse(backends, 10), new Identities(() -> null), "test");
        gate = (McpGate) endpoint.servlet();
    }

    /** STYLE.md: problem bodies never carry class names; docs/ai.md: "never a library's exception text". */
    @Test
    void aBodyThatIsAJsonArrayIsRefusedWithoutJavaClassNames() throws Exception {
        Answer answer = post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", Map.of());
        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body).doesNotContain("java.util").doesNotContain("JsonToken");
    }

    @Test
    void aBodyTooDeeplyNestedIsRefusedWithoutJacksonInternals() throws Exception {
        Answer answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":" + "{\"a\":".repeat(1500) + "1"
                + "}".repeat(1500) + "}", Map.of());
        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body).doesNotContain("StreamReadConstraints");
    }

    /** The SDK answers 415; the gate replaces it with a problem that neither names the header nor has a matching code. */
    @Test
    void aWrongContentTypeIsAnsweredNamingTheHeader() throws Exception {
        Answer answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", Map.of("Content-Type", "text/plain"));
        assertThat(answer.status).isEqualTo(415);
        assertThat(answer.body).contains("Content-Type");
    }

    /** MCP 2025-06-18 / 2025-11-25 transports: an unsupported MCP-Protocol-Version MUST be answered 400. */
    @Test
    void anUnsupportedProtocolVersionHeaderIsRefused() throws Exception {
        Answer answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", Map.of("MCP-Protocol-Version", "1999-01-01"));
        assertThat(answer.status).isEqualTo(400);
    }

    /** MCP: a request id MUST NOT be null; the refusal is right, its detail names an SDK class. */
    @Test
    void aRequestWithANullIdIsRefusedWithoutJavaClassNames() throws Exception {
        Answer answer = post("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", Map.of());
        assertThat(answer.status).as(answer.body).isEqualTo(400);
        assertThat(answer.body).doesNotContain("io.modelcontextprotocol");
    }

    /** A client mistake (initialize without params): the SDK logs WARN with a stack trace and answers its NPE text. */
    @Test
    void anInitializeWithoutParamsIsAnsweredWithoutTheSdksExceptionText() throws Exception {
        Answer answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}", Map.of());
        assertThat(answer.body).as("status " + answer.status).doesNotContain("io.modelcontextprotocol").doesNotContain("Cannot invoke");
    }

    /** A client mistake the gate does not look at (_meta not an object) reaches the SDK: ERROR log, 500 INTERNAL. */
    @Test
    void aToolsCallWithAMalformedMetaIsAClientErrorNotAServerError() throws Exception {
        Answer answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
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
            Answer answer = post(c.getKey(), Map.of());
            assertThat(answer.status).as(c.getKey()).isEqualTo(400);
            assertThat(answer.headers.get("Content-Type")).isEqualTo("application/problem+json");
            assertThat(answer.body).as(c.getKey()).contains(c.getValue()).doesNotContain("Exception").doesNotContain("jackson");
        }
    }

    @Test
    void aNotificationIsAcceptedAndAnUnknownToolIsAToolError() throws Exception {
        assertThat(post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", Map.of()).status).isEqualTo(202);
        Answer unknown = post("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/call\",\"params\":{\"name\":\"nope\"}}", Map.of());
        assertThat(unknown.status).isEqualTo(200);
        // no authenticator here: refused (fail closed) as a tool error; McpIT has the unknown tool with an identity
        assertThat(unknown.body).contains("\"id\":\"a\"").contains("\"isError\":true").contains("BACKEND_UNAVAILABLE");
    }

    @Test
    void aSupportedProtocolVersionAndAnInitializePass() throws Exception {
        Answer init = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
                Map.of("MCP-Protocol-Version", "2025-11-25"));
        assertThat(init.status).as(init.body).isEqualTo(200);
        assertThat(init.body).contains("\"protocolVersion\":\"2025-11-25\"").contains("rma-nexus");
    }

    record Answer(int status, Map<String, String> headers, String body) {
    }

    private Answer post(String body, Map<String, String> extra) throws Exception {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", "application/json, text/event-stream");
        headers.put("Content-Type", "application/json");
        headers.putAll(extra);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, Object> attributes = new HashMap<>();
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> switch (m.getName()) {
                    case "getMethod" -> "POST";
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getContentType" -> headers.get("Content-Type");
                    case "getContentLengthLong" -> (long) bytes.length;
                    case "getContentLength" -> bytes.length;
                    case "getRequestURI" -> "/mcp";
                    case "getRemoteAddr" -> "127.0.0.1";
                    case "getCharacterEncoding" -> null;
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "getInputStream" -> input(bytes);
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    case "toString" -> "request";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] status = {200};
        Map<String, String> set = new TreeMap<>();
        String[] using = {null};
        PrintWriter writer = new PrintWriter(out, true, StandardCharsets.UTF_8);
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus" -> status[0] = (Integer) args[0];
                        case "sendError" -> {
                            status[0] = (Integer) args[0];
                            set.put("sendError", String.valueOf(args.length > 1 ? args[1] : ""));
                        }
                        case "setHeader", "addHeader" -> set.put((String) args[0], (String) args[1]);
                        case "setContentType" -> set.put("Content-Type", (String) args[0]);
                        case "setCharacterEncoding" -> set.put("charset", (String) args[0]);
                        case "getWriter" -> {
                            if ("stream".equals(using[0])) {
                                throw new IllegalStateException("getOutputStream was called");
                            }
                            using[0] = "writer";
                            return writer;
                        }
                        case "getOutputStream" -> {
                            if ("writer".equals(using[0])) {
                                throw new IllegalStateException("getWriter was called");
                            }
                            using[0] = "stream";
                            return output(out);
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(p);
                        }
                        case "equals" -> {
                            return p == args[0];
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                    }
                    return null;
                });
        gate.service(request, response);
        writer.flush();
        return new Answer(status[0], set, out.toString(StandardCharsets.UTF_8));
    }

    private static ServletInputStream input(byte[] bytes) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        return new ServletInputStream() {
            @Override public int read() { return in.read(); }
            @Override public boolean isFinished() { return in.available() == 0; }
            @Override public boolean isReady() { return true; }
            @Override public void setReadListener(ReadListener listener) { }
        };
    }

    private static ServletOutputStream output(ByteArrayOutputStream out) {
        return new ServletOutputStream() {
            @Override public void write(int b) { out.write(b); }
            @Override public boolean isReady() { return true; }
            @Override public void setWriteListener(WriteListener listener) { }
        };
    }
}
