package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The web console over real HTTP in the running platform, on a node with tokens: the page and its
 * files answer without a token, with the Content Security Policy; the API behind it does not, and
 * answers a viewer what the console shows it (who it is, the alarm KPIs, a folder of the tag tree).
 * The browser tests drive the page itself.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsoleHttpIT extends NexusIT {

    private static final Pattern TOKEN = Pattern.compile("nexus_[A-Za-z0-9_-]{20,}");
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    private HttpResponse<String> call(String method, String path, String token) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(String name, String roles) throws Exception {
        String out = shell("nexus:token create " + name + " " + roles);
        Matcher m = TOKEN.matcher(out);
        assertTrue(out, m.find());
        return m.group();
    }

    private static JsonNode ok(HttpResponse<String> response) throws IOException {
        assertEquals(response.body(), 200, response.statusCode());
        return JSON.readTree(response.body());
    }

    private static void problem(HttpResponse<String> response, int status, String code) throws IOException {
        assertEquals(response.body(), status, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals(response.body(), code, JSON.readTree(response.body()).path("code").asText());
    }

    @Test
    public void thePageIsPublicAndTheApiBehindItAnswersTheViewerOnly() throws Exception {
        Await.until("the console is served", () -> status("/console/") == 200);
        Await.until("the console has nexus:token", () -> {
            try {
                return shell("nexus:token list") != null;
            } catch (Exception e) {
                return false;
            }
        });
        token("console-admin", "admin");
        String viewer = token("console-viewer", "viewer");
        problem(call("GET", "/api/v1/tags?prefix=site1", null), 401, "UNAUTHENTICATED");

        HttpResponse<String> root = call("GET", "/", null);
        assertEquals(302, root.statusCode());
        assertEquals("/console/", root.headers().firstValue("Location").orElse(null));
        assertEquals(CSP, root.headers().firstValue("Content-Security-Policy").orElse(null));

        HttpResponse<String> page = call("GET", "/console/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse(""), page.headers().firstValue("Content-Type")
                .orElse("").startsWith("text/html"));
        assertTrue(page.body(), page.body().toLowerCase().contains("<!doctype html>"));
        assertEquals(CSP, page.headers().firstValue("Content-Security-Policy").orElse(null));
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(null));
        String etag = page.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> unchanged = http.send(HttpRequest.newBuilder(uri("/console/")).header("If-None-Match", etag)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(304, unchanged.statusCode());
        assertEquals(CSP, unchanged.headers().firstValue("Content-Security-Policy").orElse(null));
        HttpResponse<String> script = call("GET", "/console/js/main.js", null);
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        HttpResponse<String> missing = call("GET", "/console/no-such-file.js", null);
        assertEquals(404, missing.statusCode());
        assertEquals(CSP, missing.headers().firstValue("Content-Security-Policy").orElse(null));
        problem(call("POST", "/console/", null), 401, "UNAUTHENTICATED");
        for (String target : List.of("/console/../api/v1/me", "/console/%2e%2e/api/v1/me", "/console/..%2Fapi/v1/me")) {
            String status = rawStatusLine(target);
            assertTrue(target + ": " + status, status.matches("HTTP/1\\.1 (400|401|404) .*"));
        }

        problem(call("GET", "/api/v1/me", null), 401, "UNAUTHENTICATED");
        JsonNode me = ok(call("GET", "/api/v1/me", viewer));
        assertEquals("console-viewer", me.path("user").asText());
        assertEquals("[\"viewer\"]", me.path("roles").toString());
        assertEquals("[\"read\"]", me.path("permissions").toString());
        assertFalse(me.path("open").asBoolean());

        problem(call("GET", "/api/v1/alarms/summary", null), 401, "UNAUTHENTICATED");
        Await.until("the alarm manager knows its alarms", () -> {
            try {
                return ok(call("GET", "/api/v1/alarms/summary", viewer)).path("alarms").asInt() > 0;
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode summary = ok(call("GET", "/api/v1/alarms/summary", viewer));
        for (String field : List.of("active", "unacknowledged", "shelved")) {
            for (String severity : List.of("LOW", "MEDIUM", "HIGH", "CRITICAL")) {
                assertTrue(field + "." + severity + ": " + summary, summary.path(field).path(severity).isInt());
            }
            assertTrue(summary.toString(), summary.path("totals").path(field).isInt());
        }
        assertTrue(summary.toString(), summary.path("flood").isBoolean());
        assertTrue(summary.toString(), summary.path("floodThreshold").asInt() > 0);
        assertTrue(summary.toString(), summary.path("chattering").isArray());
        assertTrue(summary.toString(), summary.path("registryVersion").asLong() > 0);
        assertEquals("the viewer sees every alarm of the demo plant", summary.path("alarms").asInt(),
                ok(call("GET", "/api/v1/alarms", viewer)).path("matched").asInt());

        problem(call("GET", "/api/v1/browse?prefix=site1", null), 401, "UNAUTHENTICATED");
        JsonNode folder = ok(call("GET", "/api/v1/browse?prefix=site1", viewer));
        assertEquals("site1", folder.path("prefix").asText());
        assertTrue(folder.toString(), folder.path("children").size() > 0);
        List<String> paths = new ArrayList<>();
        long tags = 0;
        for (JsonNode child : folder.path("children")) {
            paths.add(child.path("path").asText());
            assertTrue(child.toString(), child.path("path").asText().equals("site1/" + child.path("name").asText()));
            tags += child.path("tags").asLong();
        }
        assertTrue(paths.toString(), folder.path("complete").asBoolean());
        assertEquals("the children hold every tag under site1", tags, countUnder("site1/", viewer));
        problem(call("GET", "/api/v1/browse?prefix=site1//x", viewer), 400, "INVALID_ARGUMENT");
    }

    /** @return how many tags a listing under the prefix pages through */
    private long countUnder(String prefix, String token) throws Exception {
        long count = 0;
        String cursor = null;
        do {
            JsonNode page = ok(call("GET", "/api/v1/tags?prefix=" + prefix + "&limit=1000"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8)), token));
            count += page.path("tags").size();
            cursor = page.path("cursor").isTextual() ? page.path("cursor").asText() : null;
        } while (cursor != null);
        return count;
    }

    /** @return the status line of a GET sent as written, the path not normalised by a client */
    private String rawStatusLine(String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + uri("/").getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertFalse(target + " answered the caller: " + answer, answer.contains("\"user\""));
            return answer.substring(0, answer.indexOf("\r\n"));
        }
    }
}
