package nexus.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

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
import nexus.core.AuditRecord;
import nexus.core.AuditTrail;
import nexus.core.Caller;
import nexus.query.FindService;
import nexus.query.QueryService;
import nexus.query.TagService;

/**
 * Defects found by attacking a running node's MCP server a second time (after the stateless gate,
 * commits 55ce68a and 1acf466). Each test states what the manual (docs/ai.md, "What a client gets
 * wrong") and the style guide promise and fails on the code as it is. Reproductions on a node are in
 * the attack report.
 */
class McpGateAttackTest {

    private final List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    private final Caller mallory = Caller.of("mallory", Set.of("viewer"), "mcp 127.0.0.1");

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
        Answer answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"arguments\":{},\"_meta\":\"x\"}}");
        assertThat(answer.status).as(answer.body).isLessThan(500);
    }

    /** {@code resources/read} without params or with an array: 500 and an SDK ERROR line with a NullPointerException text. */
    @Test
    void aResourceReadWithoutParamsIsAClientMistakeNotA500() throws IOException {
        for (String params : List.of("", ",\"params\":[1]")) {
            Answer answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/read\"" + params + "}");
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
            Answer answer = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"" + params + "}");
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
            Answer answer = post(body);
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
        Answer answer = post(stalled, -1);
        assertThat(answer.status).as(answer.body).isBetween(400, 499);
    }

    // ---- harness: the gate before a real SDK transport, with requests and responses as proxies

    private Answer post(String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return post(new ByteArrayInputStream(bytes), bytes.length);
    }

    private Answer post(InputStream body, long length) throws IOException {
        Toolbox toolbox = toolbox(100);
        McpEndpoint endpoint = new McpEndpoint(toolbox, new Browse(backends(), 10), new Identities(() -> null), "0");
        Answer answer = new Answer();
        try {
            endpoint.servlet().service(request(body, length), answer.response());
        } catch (jakarta.servlet.ServletException e) {
            throw new IOException(e);
        } finally {
            endpoint.close();
        }
        answer.body = answer.out.toString(StandardCharsets.UTF_8);
        return answer;
    }

    private static HttpServletRequest request(InputStream body, long length) {
        Map<String, Object> attributes = new HashMap<>();
        Map<String, String> headers = Map.of("accept", "application/json, text/event-stream", "content-type", "application/json");
        ServletInputStream in = new ServletInputStream() {
            @Override public int read() throws IOException { return body.read(); }
            @Override public int read(byte[] b, int off, int len) throws IOException { return body.read(b, off, len); }
            @Override public boolean isFinished() { return false; }
            @Override public boolean isReady() { return true; }
            @Override public void setReadListener(ReadListener listener) { throw new UnsupportedOperationException(); }
        };
        return (HttpServletRequest) Proxy.newProxyInstance(McpGateAttackTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getMethod" -> "POST";
                    case "getHeader" -> headers.get(((String) args[0]).toLowerCase());
                    case "getHeaders" -> Collections.enumeration(headers.containsKey(((String) args[0]).toLowerCase())
                            ? List.of(headers.get(((String) args[0]).toLowerCase())) : List.of());
                    case "getHeaderNames" -> Collections.enumeration(headers.keySet());
                    case "getContentType" -> "application/json";
                    case "getContentLengthLong" -> length;
                    case "getContentLength" -> (int) length;
                    case "getInputStream" -> in;
                    case "getCharacterEncoding" -> "UTF-8";
                    case "getRequestURI", "getServletPath" -> "/mcp";
                    case "getPathInfo", "getQueryString", "getSession" -> null;
                    case "getRemoteAddr" -> "127.0.0.1";
                    case "getAttribute" -> attributes.get(args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "isAsyncSupported", "isAsyncStarted" -> false;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "request";
                    default -> throw new UnsupportedOperationException("request." + method.getName());
                });
    }

    private static final class Answer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = 200;
        String body;

        HttpServletResponse response() {
            ServletOutputStream stream = new ServletOutputStream() {
                @Override public void write(int b) { out.write(b); }
                @Override public boolean isReady() { return true; }
                @Override public void setWriteListener(WriteListener listener) { throw new UnsupportedOperationException(); }
            };
            PrintWriter writer = new PrintWriter(stream, true, StandardCharsets.UTF_8);
            return (HttpServletResponse) Proxy.newProxyInstance(McpGateAttackTest.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "setStatus", "sendError" -> status = (Integer) args[0];
                            case "getStatus" -> {
                                return status;
                            }
                            case "getOutputStream" -> {
                                return stream;
                            }
                            case "getWriter" -> {
                                return writer;
                            }
                            case "flushBuffer" -> writer.flush();
                            case "isCommitted" -> {
                                return false;
                            }
                            case "hashCode" -> {
                                return System.identityHashCode(proxy);
                            }
                            case "equals" -> {
                                return proxy == args[0];
                            }
                            default -> {
                                // headers, content type, encoding: not observed here
                            }
                        }
                        return null;
                    });
        }
    }

    private Toolbox toolbox(int burst) {
        ToolDef echo = new ToolDef("echo", "echoes", Schemas.object("'text': {'type': 'string'}"), false,
                call -> Outcome.ok("ok", Map.of(), 0));
        return new Toolbox(List.of(echo), new DefaultJsonSchemaValidator(Schemas.json()), new RateLimiter(60, burst), backends(), () -> 0L);
    }

    private Backends backends() {
        return new Backends() {
            @Override public QueryService query() { return null; }
            @Override public TagService tags() { return null; }
            @Override public FindService find() { return null; }
            @Override public AlarmService alarms() { return null; }
            @Override public AccessPolicy policy() { return null; }
            @Override public AuditTrail audit() {
                return draft -> {
                    AuditRecord record = draft.appended(audit.size() + 1, Instant.EPOCH);
                    audit.add(record);
                    return record;
                };
            }
        };
    }
}
