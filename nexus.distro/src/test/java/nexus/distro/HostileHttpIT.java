package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Hostile HTTP over a raw loopback socket (issue 11, defects 10–13 and 21): bytes no well-behaved
 * client library sends, each answered with a problem document in plain words; names and pages that
 * are not the node's refused; client hang-ups kept out of the log.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HostileHttpIT extends NexusIT {

    private static final String SETPOINT = "site1/area1/line1/tank2/level_sp";
    private static final String START = "site1/area1/line1/pump1/start_cmd";

    /** An answer as it came off the socket. */
    private record Answer(int status, String head, String body) {

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return "";
        }
    }

    private void ready() {
        Await.until("the API answers queries", () -> status("/api/v1/tags/" + SETPOINT) == 200);
    }

    private int port() {
        return Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
    }

    /** Sends these bytes as they are and reads the answer until the server closes or goes quiet. */
    private Answer raw(byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    bytes.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // keep-alive: what arrived is the answer
            }
            String text = bytes.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 4);
            String[] statusLine = head.split(" ", 3);
            return new Answer(statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1, head, body);
        }
    }

    private Answer raw(String method, String target, String headers, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + target + " HTTP/1.1\r\n" + headers + "Connection: close\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n") + "\r\n";
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(head.getBytes(StandardCharsets.ISO_8859_1));
        request.write(content);
        return raw(request.toByteArray());
    }

    private String host() {
        return "Host: 127.0.0.1:" + port() + "\r\n";
    }

    private Answer post(String path, String body) throws IOException {
        return raw("POST", path, host(), body);
    }

    /** A problem document with this status and code, in plain words. */
    private JsonNode problem(Answer answer, int status, String code) throws IOException {
        String what = answer.head() + "\n" + answer.body();
        assertEquals(what, status, answer.status());
        assertTrue(what, answer.header("Content-Type").startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(answer.body());
        assertEquals(what, code, problem.path("code").asText());
        assertEquals(what, status, problem.path("status").asInt());
        String detail = problem.path("detail").asText();
        for (String internal : List.of("Exception", "Error:", "\tat ", "org.eclipse", "jetty", "com.fasterxml", "Jackson",
                "StreamRead", "Source:", "REDACTED", "`", "java.", "<html")) {
            assertFalse(internal + " in " + what, answer.body().contains(internal));
        }
        assertFalse(detail.isBlank());
        return problem;
    }

    @Test
    public void deepAndLongSqlIsRefusedNamingTheLimit() throws Exception {
        ready();
        String chain = "SELECT 1" + "+1".repeat(5_000);
        JsonNode chained = problem(post("/api/v1/query", "{\"sql\": \"" + chain + "\"}"), 400, "QUERY_REJECTED");
        assertTrue(chained.toString(), chained.path("detail").asText().contains("5000 operators")
                && chained.path("detail").asText().contains("the limit is 200"));
        String deep = "SELECT " + "(".repeat(1_000) + "1" + ")".repeat(1_000);
        JsonNode nested = problem(post("/api/v1/explain", "{\"sql\": \"" + deep + "\"}"), 400, "QUERY_REJECTED");
        assertTrue(nested.toString(), nested.path("detail").asText().endsWith("the limit is 32"));
        String cases = "SELECT " + "CASE WHEN 1 THEN ".repeat(500) + "1" + " END".repeat(500);
        problem(post("/api/v1/query", "{\"sql\": \"" + cases + "\"}"), 400, "QUERY_REJECTED");
        assertEquals(200, post("/api/v1/query", "{\"sql\": \"SELECT path FROM tags WHERE id IN (" + "1, ".repeat(2_000)
                + "2)\"}").status());
    }

    @Test
    public void placeholdersTakeTheirValuesFromParams() throws Exception {
        ready();
        Answer bound = post("/api/v1/query", "{\"sql\": \"SELECT id, path FROM tags WHERE path = ? AND ? = 1 AND ? IS NULL\","
                + " \"params\": [\"" + SETPOINT + "\", true, null]}");
        assertEquals(bound.body(), 200, bound.status());
        JsonNode rows = JSON.readTree(bound.body()).path("rows");
        assertEquals(1, rows.size());
        assertEquals(SETPOINT, rows.path(0).path("path").asText());
        assertTrue(rows.path(0).has("value"));

        Answer explained = post("/api/v1/explain", "{\"sql\": \"SELECT id FROM tags WHERE path LIKE ?\","
                + " \"params\": [\"site1/area1/line1/tank2/%\"]}");
        assertEquals(explained.body(), 200, explained.status());
        assertEquals(4, JSON.readTree(explained.body()).path("tags").asInt());

        JsonNode missing = problem(post("/api/v1/query", "{\"sql\": \"SELECT path FROM tags WHERE path = ?\"}"), 400,
                "INVALID_ARGUMENT");
        assertEquals("the SQL has 1 placeholder (?) but params has 0 values: send one value per placeholder, in order",
                missing.path("detail").asText());
        problem(post("/api/v1/query", "{\"sql\": \"SELECT 1\", \"params\": [1]}"), 400, "INVALID_ARGUMENT");
        JsonNode object = problem(post("/api/v1/query", "{\"sql\": \"SELECT ?, ?\", \"params\": [1, {\"a\": 1}]}"), 400,
                "INVALID_ARGUMENT");
        assertTrue(object.toString(), object.path("detail").asText().startsWith("params[1] is an object"));
        problem(post("/api/v1/query", "{\"sql\": \"SELECT :name\", \"params\": [1]}"), 400, "QUERY_REJECTED");
    }

    @Test
    public void writesAndBodiesOutsideTheRulesAreRefusedAndChangeNothing() throws Exception {
        ready();
        assertEquals(200, raw("PUT", "/api/v1/tags/" + SETPOINT, host(), "{\"value\": 42.5}").status());
        for (String path : List.of(SETPOINT, START)) {
            JsonNode huge = problem(raw("PUT", "/api/v1/tags/" + path, host(), "{\"value\": 1e400}"), 400, "INVALID_ARGUMENT");
            assertTrue(huge.toString(), huge.path("detail").asText().contains("1E+400"));
        }
        JsonNode tiny = problem(raw("PUT", "/api/v1/tags/" + SETPOINT, host(), "{\"value\": 4.9e-324}"), 400,
                "INVALID_ARGUMENT");
        assertTrue(tiny.toString(), tiny.path("detail").asText().contains("too small for FLOAT32"));
        JsonNode trailing = problem(raw("PUT", "/api/v1/tags/" + SETPOINT, host(), "{\"value\": 1}{\"value\": 2}"), 400,
                "INVALID_ARGUMENT");
        assertTrue(trailing.toString(), trailing.path("detail").asText().startsWith("the body has more after its JSON object"));
        problem(raw("PUT", "/api/v1/tags/" + SETPOINT, host(), "{\"value\": 1} garbage"), 400, "INVALID_ARGUMENT");
        JsonNode twice = problem(raw("PUT", "/api/v1/tags/" + SETPOINT, host(), "{\"value\": 1, \"value\": 2}"), 400,
                "INVALID_ARGUMENT");
        assertTrue(twice.toString(), twice.path("detail").asText().contains("\"value\" twice"));
        problem(post("/api/v1/query", "{\"sql\": \"SELECT 1\", \"sql\": \"SELECT 2\"}"), 400, "INVALID_ARGUMENT");
        JsonNode misspelt = problem(raw("PUT", "/api/v1/tags/" + SETPOINT, host(), "{\"value\": 1, \"unit\": \"K\"}"), 400,
                "INVALID_ARGUMENT");
        assertEquals("unknown field \"unit\": the body takes value", misspelt.path("detail").asText());
        problem(post("/api/v1/query", "{\"sql\": \"SELECT 1\", \"limt\": 1}"), 400, "INVALID_ARGUMENT");
        JsonNode deep = problem(post("/api/v1/query", "[".repeat(2_000)), 400, "INVALID_ARGUMENT");
        assertEquals("the body nests deeper than 1000 levels", deep.path("detail").asText());
        problem(post("/api/v1/query", "{\"sql\": \"SELECT 1\", \"limit\": NaN}"), 400, "INVALID_ARGUMENT");
        problem(post("/api/v1/query", "{\"sql\": "), 400, "INVALID_ARGUMENT");

        assertEquals("the refused writes changed nothing", 42.5, json("/api/v1/tags/" + SETPOINT).path("value").asDouble(), 0);
    }

    @Test
    public void whatJettyRefusesIsAProblemToo() throws Exception {
        ready();
        long linesBefore = logLines().count();
        problem(raw("GET", "/api/v1/tags/%00", host(), null), 400, "INVALID_ARGUMENT");
        problem(raw("GET", "/%00", host(), null), 400, "INVALID_ARGUMENT");
        problem(raw("GET", "/api/v1/tags/%C3%28", host(), null), 400, "INVALID_ARGUMENT");
        problem(raw("GET", "/api/v1/tags/%zz", host(), null), 400, "INVALID_ARGUMENT");
        problem(raw("GET", "/api/v1/query?sql=%C3%28", host(), null), 400, "INVALID_ARGUMENT");
        ByteArrayOutputStream rawUtf8 = new ByteArrayOutputStream();
        rawUtf8.write(("GET /api/v1/tags/").getBytes(StandardCharsets.ISO_8859_1));
        rawUtf8.write(new byte[] { (byte) 0xC3, 0x28, (byte) 0xFF });
        rawUtf8.write((" HTTP/1.1\r\n" + host() + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        problem(raw(rawUtf8.toByteArray()), 400, "INVALID_ARGUMENT");
        problem(raw("GET", "/api/v1/tags/" + "a".repeat(100_000), host(), null), 414, "URI_TOO_LONG");
        problem(raw("GET", "/health", host() + "X-Big: " + "b".repeat(20_000) + "\r\n", null), 431, "HEADERS_TOO_LARGE");
        problem(raw("GET", "/health", host() + "Bad Header\r\n", null), 400, "INVALID_ARGUMENT");
        problem(raw("GET", "/health", "", null), 400, "INVALID_ARGUMENT");
        problem(raw("POST", "/api/v1/query", host() + "Content-Length: abc\r\n", null), 400, "INVALID_ARGUMENT");
        Answer version = raw(("GET /health HTTP/9.9\r\n" + host() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        problem(version, 505, "HTTP_VERSION_NOT_SUPPORTED");
        for (String path : List.of("/health", "/metrics")) {
            Answer trace = raw("TRACE", path, host(), null);
            problem(trace, 405, "METHOD_NOT_ALLOWED");
            assertEquals("GET, HEAD", trace.header("Allow"));
            problem(raw("OPTIONS", path, host(), null), 405, "METHOD_NOT_ALLOWED");
        }
        Answer chunks = raw(("POST /api/v1/query HTTP/1.1\r\n" + host() + "Content-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n").getBytes(StandardCharsets.ISO_8859_1));
        problem(chunks, 400, "INVALID_ARGUMENT");
        problem(raw("GET", "/health", host() + "Host: evil.example\r\n", null), 400, "INVALID_ARGUMENT");
        List<String> after = logLines().skip(linesBefore).toList();
        for (int i = 0; i < after.size(); i++) {
            String line = after.get(i);
            boolean jettyDoubleRelease = line.contains("QueuedThreadPool - Job failed") && i + 1 < after.size()
                    && after.get(i + 1).contains("IllegalStateException: already released ReferenceCounter");
            // Jetty 12.0's own race on a request buffer (jetty/jetty.project#12939, open, "cannot reproduce"):
            // seen once in many runs, logged by Jetty's thread pool after the refusal was answered; not ours.
            assertTrue("a malformed request is no WARN or ERROR in the log: " + line,
                    jettyDoubleRelease || !(line.contains(" WARN ") || line.contains(" ERROR ")));
        }
    }

    /**
     * Clients that declare a body and never send it hold no request thread (issue 18): more of them
     * than Jetty's 200 request threads, and {@code /health} and a tag read still answer; each silent
     * client gets 400 with {@code Connection: close} once the body's wait (10 s) has passed, before
     * the connection's 30 s idle timeout. Before, {@code /health} waited for the idle timeout.
     */
    @Test
    public void clientsThatNeverSendTheirBodyHoldNoRequestThread() throws Exception {
        ready();
        List<Socket> silent = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 250; i++) {
                Socket socket = new Socket();
                silent.add(socket);
                socket.connect(new InetSocketAddress("127.0.0.1", port()), 5_000);
                socket.setSoTimeout(25_000);
                String target = i % 2 == 0 ? "POST /api/v1/query" : "PUT /api/v1/tags/" + SETPOINT;
                socket.getOutputStream().write((target + " HTTP/1.1\r\n" + host() + "Content-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }

            assertEquals("/health answers while they wait", 200, raw("GET", "/health", host(), null).status());
            assertEquals("a tag read answers while they wait", 200, raw("GET", "/api/v1/tags/" + SETPOINT, host(), null).status());
            for (Socket socket : silent) {
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer, answer.startsWith("HTTP/1.1 400") && answer.toLowerCase(Locale.ROOT).contains("connection: close")
                        && answer.contains("did not arrive whole"));
            }
        } finally {
            for (Socket socket : silent) {
                socket.close();
            }
        }
    }

    @Test
    public void aClientHangingUpIsNoErrorInTheLog() throws Exception {
        ready();
        long linesBefore = logLines().count();
        assertTrue("the node logs to data/log/nexus.log", linesBefore > 0);
        long errorsBefore = logLines().filter(line -> line.contains(" ERROR ")).count();
        byte[] body = "{\"sql\": \"SELECT id, path, unit, description FROM tags\", \"limit\": 10000}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 20; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port()), 5_000);
                socket.getOutputStream().write(("POST /api/v1/query HTTP/1.1\r\n" + host() + "Content-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().write(body);
                socket.getInputStream().read(new byte[100]);
                socket.setSoLinger(true, 0); // close with a reset while the answer is still streaming
            }
        }
        // The server notices each hang-up while it streams; a later request on the same pool proves it went on.
        Await.until("the API still answers", () -> status("/api/v1/tags/" + SETPOINT) == 200);
        assertEquals("no ERROR for hang-ups", errorsBefore, logLines().filter(line -> line.contains(" ERROR ")).count());
        assertTrue("no stack traces for hang-ups", logLines().skip(linesBefore).noneMatch(line -> line.startsWith("\tat ")
                || line.contains("EofException") || line.contains("Connection reset")));
    }

    @Test
    public void onlyTheNodesOwnNamesAndPagesAreServed() throws Exception {
        ready();
        String own = host();
        assertEquals(200, raw("GET", "/health", own, null).status());
        assertEquals(200, raw("GET", "/health", "Host: localhost:" + port() + "\r\n", null).status());
        assertEquals(200, raw("GET", "/api/v1/tags/" + SETPOINT, own + "Origin: http://127.0.0.1:" + port() + "\r\n", null).status());
        assertEquals(200, raw("PUT", "/api/v1/tags/" + SETPOINT, own, "{\"value\": 41}").status());

        for (String path : List.of("/health", "/metrics", "/api/v1/tags/" + SETPOINT, "/api/v1/openapi.json", "/nothing")) {
            JsonNode refused = problem(raw("GET", path, "Host: evil.example\r\n", null), 403, "FORBIDDEN");
            assertTrue(refused.toString(), refused.path("detail").asText().contains("DNS rebinding"));
            problem(raw("GET", path, "Host: evil.example:" + port() + "\r\n", null), 403, "FORBIDDEN");
        }
        problem(raw("GET", "/health", "Host: localhost:1\r\n", null), 403, "FORBIDDEN");
        JsonNode origin = problem(raw("PUT", "/api/v1/tags/" + SETPOINT, own + "Origin: http://evil.example\r\n",
                "{\"value\": 13}"), 403, "FORBIDDEN");
        assertTrue(origin.toString(), origin.path("detail").asText().contains("http://evil.example"));
        problem(raw("POST", "/api/v1/query", own + "Origin: null\r\n", "{\"sql\": \"SELECT 1\"}"), 403, "FORBIDDEN");
        problem(raw("GET", "/api/v1/tags/" + SETPOINT, own + "Origin: http://localhost:" + port() + "\r\n", null), 403,
                "FORBIDDEN");
        assertEquals("the refused write changed nothing", 41, json("/api/v1/tags/" + SETPOINT).path("value").asDouble(), 0);
        assertTrue(raw("GET", "/health", "Host: EVIL.example\r\n", null).header("Content-Type").toLowerCase(Locale.ROOT)
                .startsWith("application/problem+json"));
        problem(raw("BREW", "/health", "Host: evil.example\r\n", null), 403, "FORBIDDEN");
        String metrics = get("/metrics").body();
        assertTrue(metrics, metrics.contains("nexus_http_requests_total{route=\"(refused: Host or Origin)\",method=\"GET\","
                + "status=\"403\"}"));
        assertTrue(metrics, metrics.contains("nexus_http_requests_total{route=\"(refused: Host or Origin)\",method=\"OTHER\","
                + "status=\"403\"}"));
        assertFalse(metrics, metrics.contains("BREW"));
    }

    @Test
    public void aConfigurationChangeNeverTakesTheHostCheckOutOfTheChain() throws Exception {
        ready();
        long filter = serviceId("(osgi.http.whiteboard.filter.name=nexus-origin)");
        long servlet = serviceId("(osgi.http.whiteboard.servlet.name=nexus-api)");
        java.nio.file.Path config = etc().resolve("nexus.api.http.cfg");
        String original = java.nio.file.Files.readString(config);
        try {
            java.nio.file.Files.writeString(config, original.replace("tags.max = 10000", "tags.max = 9999"));
            Await.until("the change is applied", () -> "9999".equals(String.valueOf(
                    configuration(service(org.osgi.service.cm.ConfigurationAdmin.class), "nexus.api.http").getProperties()
                            .get("tags.max"))));
            for (int i = 0; i < 50; i++) {
                assertEquals(403, raw("GET", "/api/v1/tags/" + SETPOINT, "Host: evil.example\r\n", null).status());
            }
        } finally {
            java.nio.file.Files.writeString(config, original);
        }
        assertEquals("the filter stayed registered: updated in place", filter,
                serviceId("(osgi.http.whiteboard.filter.name=nexus-origin)"));
        assertEquals("the API servlet stayed registered", servlet, serviceId("(osgi.http.whiteboard.servlet.name=nexus-api)"));
    }

    private long serviceId(String filter) throws Exception {
        var references = context.getServiceReferences((String) null, filter);
        assertTrue(filter, references != null && references.length == 1);
        return (Long) references[0].getProperty(org.osgi.framework.Constants.SERVICE_ID);
    }
}
