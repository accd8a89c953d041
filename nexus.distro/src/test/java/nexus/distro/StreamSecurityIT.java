package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.registry.TagRegistry;

/**
 * Streams under access control, over real loopback: an upgrade needs an identity (a Bearer token, or
 * a single-use ticket from a browser), a foreign Origin is refused even with a valid token, a
 * subscription sees exactly what its role reads (SQL, paths and alarms alike), and revoking the
 * token closes the stream within about a second with 4001.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StreamSecurityIT extends NexusIT {

    private static final String LINE1 = "site1/area1/line1/";
    private static final String LEVEL = LINE1 + "tank2/level";
    private static final Pattern TOKEN = Pattern.compile("nexus_[A-Za-z0-9_-]{20,}");

    private URI ws(String query) {
        return URI.create(uri("/api/v1/stream" + (query == null ? "" : "?" + query)).toString().replace("http:", "ws:"));
    }

    private String token(String name, String roles) throws Exception {
        Await.until("the console and the registry are up", () -> {
            TagRegistry tags = service(TagRegistry.class);
            return tags != null && tags.status().version() > 0 && service(nexus.stream.StreamService.class) != null;
        });
        String out = shell("nexus:token create " + name + " " + roles);
        Matcher m = TOKEN.matcher(out);
        assertTrue(out, m.find());
        String token = m.group();
        Await.until("the token is in force", () -> quietly(() -> http.send(HttpRequest.newBuilder(uri("/api/v1/tags/" + LEVEL))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200));
        return token;
    }

    private static boolean quietly(java.util.concurrent.Callable<Boolean> condition) {
        try {
            return condition.call();
        } catch (Exception e) {
            return false;
        }
    }

    private int refused(WebSocket.Builder builder, URI uri) {
        try {
            builder.buildAsync(uri, new Ws()).join().abort();
            fail("the upgrade was accepted");
            return -1;
        } catch (CompletionException e) {
            assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof WebSocketHandshakeException);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    @Test
    public void aStreamActsAsItsIdentityAndEndsWithIt() throws Exception {
        String admin = token("it-stream-admin", "admin");
        assertEquals("no credentials", 401, refused(http.newWebSocketBuilder(), ws(null)));
        assertEquals("a token in the URL is never taken", 400, refused(http.newWebSocketBuilder(), ws("access_token=" + admin)));
        assertEquals("another site's page, even with a valid token", 403, refused(http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + admin).header("Origin", "http://evil.example"), ws(null)));

        // A role that reads line 1 only.
        Files.writeString(etc().resolve("nexus.security.role-line1.cfg"), "name = line1\npermissions = read\nread = " + LINE1 + "**\n");
        Await.until("the role line1 is in force", () -> quietly(() -> shell("nexus:roles").contains("line1")));
        String line1 = token("it-stream-line1", "line1");
        String outside = "site1/area1/line2/tank2/level";

        // A browser: a ticket, presented once on the upgrade.
        HttpResponse<String> issued = http.send(HttpRequest.newBuilder(uri("/api/v1/stream/tickets"))
                .header("Authorization", "Bearer " + line1).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(issued.body(), 201, issued.statusCode());
        String ticket = JSON.readTree(issued.body()).path("ticket").asText();
        try (Ws client = Ws.open(http, ws("ticket=" + ticket), null, false)) {
            client.send("{\"type\":\"subscribe\",\"id\":\"all\",\"sql\":\"SELECT id FROM tags\"}");
            JsonNode all = client.next();
            assertTrue(all.toString(), all.path("items").size() > 0);
            for (JsonNode item : all.path("items")) {
                assertTrue("only line 1: " + item, item.path("path").asText().startsWith(LINE1));
            }
            client.send("{\"type\":\"subscribe\",\"id\":\"p\",\"paths\":[\"" + LEVEL + "\",\"" + outside + "\"]}");
            JsonNode paths = client.next(m -> m.path("id").asText().equals("p"));
            assertEquals("GOOD", paths.path("items").path(0).path("quality").asText());
            assertEquals("a tag outside the role is like no tag", "BAD_NOT_IN_REGISTRY",
                    paths.path("items").path(1).path("quality").asText());
            client.send("{\"type\":\"subscribe\",\"id\":\"a\",\"alarms\":{}}");
            JsonNode alarms = client.next(m -> m.path("id").asText().equals("a"));
            assertTrue(alarms.toString(), alarms.path("alarms").size() > 0);
            for (JsonNode alarm : alarms.path("alarms")) {
                assertTrue("only line 1's alarms: " + alarm.path("tag"), alarm.path("tag").asText().startsWith(LINE1));
            }

            // Revoked: the stream ends with 4001 within about a second.
            shell("nexus:token revoke it-stream-line1");
            String end = client.awaitClose();
            assertTrue(end, end.startsWith("4001"));
        }
        assertEquals("a ticket works once", 401, refused(http.newWebSocketBuilder(), ws("ticket=" + ticket)));
    }
}
