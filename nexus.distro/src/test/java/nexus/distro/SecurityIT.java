package nexus.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * Access control end to end, in the real platform over real HTTP on loopback: tokens created through
 * the console path, each built-in role against the routes and alarm actions, a role limited to part
 * of the namespace, a token revoked without a restart, and JWTs checked against a real JWKS served
 * over loopback.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecurityIT extends NexusIT {

    private static final String LEVEL = "site1/area1/line1/tank2/level";
    private static final String SETPOINT = "site1/area1/line1/tank2/level_sp";
    private static final Pattern TOKEN = Pattern.compile("nexus_[A-Za-z0-9_-]{20,}");

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.IOException(method + " " + path + " with " + (token == null ? "no token" : "a token")
                    + ": " + e, e);
        }
    }

    private String token(String name, String roles) throws Exception {
        String out = shell("nexus:token create " + name + " " + roles);
        Matcher m = TOKEN.matcher(out);
        assertTrue(out, m.find());
        return m.group();
    }

    private static JsonNode body(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private void assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(response.body(), status, response.statusCode());
        assertEquals(response.body(), code, body(response).path("code").asText());
    }

    private String anAlarm(String token) throws Exception {
        JsonNode alarms = body(call("GET", "/api/v1/alarms?limit=1", token, null)).path("alarms");
        assertTrue("the demo plant has alarms", alarms.size() > 0);
        return alarms.path(0).path("name").asText();
    }

    @Test
    public void rolesTokensScopesAndJwts() throws Exception {
        Await.until("the API answers", () -> status("/api/v1/tags/" + LEVEL) == 200);
        // Open: no identities yet, so a local client without credentials is admin.
        assertEquals(200, call("GET", "/api/v1/tags/" + LEVEL, null, null).statusCode());

        Await.until("the console has nexus:token", () -> quietly(() -> shell("nexus:token list") != null));
        String admin = token("it-admin", "admin");
        // The first identity ends the open state at once.
        HttpResponse<String> none = call("GET", "/api/v1/tags/" + LEVEL, null, null);
        assertProblem(none, 401, "UNAUTHENTICATED");
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertProblem(call("GET", "/api/v1/tags/" + LEVEL, "nexus_not-a-token-at-all-000000000000", null), 401,
                "UNAUTHENTICATED");
        assertProblem(call("PUT", "/api/v1/tags/" + SETPOINT, null, "{\"value\": 1.0}"), 401, "UNAUTHENTICATED");

        String viewer = token("it-viewer", "viewer");
        String operator = token("it-operator", "operator");
        String engineer = token("it-engineer", "engineer");

        // Reads: everyone; writes: operator and up.
        for (String t : List.of(viewer, operator, engineer, admin)) {
            assertEquals(200, call("GET", "/api/v1/tags/" + LEVEL, t, null).statusCode());
            assertEquals(200, call("POST", "/api/v1/query", t, "{\"sql\": \"SELECT id FROM tags LIMIT 1\"}")
                    .statusCode());
        }
        HttpResponse<String> refused = call("PUT", "/api/v1/tags/" + SETPOINT, viewer, "{\"value\": 1.0}");
        assertProblem(refused, 403, "FORBIDDEN");
        assertTrue(refused.body(), body(refused).path("detail").asText().contains("'write'"));
        assertEquals(200, call("PUT", "/api/v1/tags/" + SETPOINT, operator, "{\"value\": 1.0}").statusCode());

        // Alarm actions: acknowledge is the operator's, shelve the engineer's.
        String alarm = anAlarm(admin);
        assertProblem(call("POST", "/api/v1/alarms/" + alarm + ":ack", viewer, "{}"), 403, "FORBIDDEN");
        assertNotEquals(403, call("POST", "/api/v1/alarms/" + alarm + ":ack", operator, "{}").statusCode());
        assertProblem(call("POST", "/api/v1/alarms/" + alarm + ":shelve", operator, "{\"minutes\": 5}"), 403,
                "FORBIDDEN");
        assertNotEquals(403, call("POST", "/api/v1/alarms/" + alarm + ":disable", engineer, "{}").statusCode());
        assertNotEquals(403, call("POST", "/api/v1/alarms/" + alarm + ":enable", engineer, "{}").statusCode());

        // Metrics and health details: engineer and admin.
        assertProblem(call("GET", "/metrics", viewer, null), 403, "FORBIDDEN");
        assertEquals(200, call("GET", "/metrics", engineer, null).statusCode());
        JsonNode anonymousHealth = body(call("GET", "/health", null, null));
        assertTrue(anonymousHealth.toString(), anonymousHealth.has("status"));
        assertFalse(anonymousHealth.toString(), anonymousHealth.toString().contains("registry.db"));
        assertTrue(body(call("GET", "/health", admin, null)).path("components").has("registry"));

        // A role limited to one line sees that line and nothing else, anywhere.
        Files.writeString(etc().resolve("nexus.security.role-line1.cfg"), "name = line1\n"
                + "permissions = read,write,acknowledge\n" + "read = site1/area1/line1/**\n"
                + "write = site1/area1/line1/tank2/**\n");
        Await.until("the role line1 is in force", () -> quietly(() -> shell("nexus:roles").contains("line1")));
        String line1 = token("it-line1", "line1");
        String outsidePath = body(call("POST", "/api/v1/query", admin, "{\"sql\": \"SELECT path FROM tags WHERE path"
                + " NOT LIKE 'site1/area1/line1/%' LIMIT 1\"}")).path("rows").path(0).path("path").asText();
        HttpResponse<String> outside = call("GET", "/api/v1/tags/" + outsidePath, line1, null);
        HttpResponse<String> missing = call("GET", "/api/v1/tags/site1/area1/line1/no/such/tag", line1, null);
        assertProblem(outside, 404, "TAG_NOT_FOUND");
        assertProblem(missing, 404, "TAG_NOT_FOUND");
        assertEquals("an unseen tag is answered exactly like a missing one",
                body(missing).path("detail").asText().replace("site1/area1/line1/no/such/tag", "X"),
                body(outside).path("detail").asText().replace(outsidePath, "X"));
        String sql = "{\"sql\": \"SELECT count(*) AS n FROM tags\"}";
        long visible = body(call("POST", "/api/v1/query", line1, sql)).path("rows").path(0).path("n").asLong();
        long all = body(call("POST", "/api/v1/query", admin, sql)).path("rows").path(0).path("n").asLong();
        long line = body(call("POST", "/api/v1/query", admin,
                "{\"sql\": \"SELECT count(*) AS n FROM tags WHERE path LIKE 'site1/area1/line1/%'\"}"))
                .path("rows").path(0).path("n").asLong();
        assertEquals(line, visible);
        assertTrue(all > visible);
        assertEquals(200, call("PUT", "/api/v1/tags/" + SETPOINT, line1, "{\"value\": 2.0}").statusCode());
        String outsideAlarm = body(call("POST", "/api/v1/query", admin, "{\"sql\": \"SELECT name FROM alarms WHERE tag"
                + " NOT LIKE 'site1/area1/line1/%' LIMIT 1\"}")).path("rows").path(0).path("name").asText();
        assertProblem(call("GET", "/api/v1/alarms/" + outsideAlarm, line1, null), 404, "ALARM_NOT_FOUND");
        assertProblem(call("POST", "/api/v1/alarms/" + outsideAlarm + ":ack", line1, "{}"), 404, "ALARM_NOT_FOUND");
        for (JsonNode bank : body(call("GET", "/api/v1/banks", line1, null)).path("banks")) {
            assertFalse("a limited role sees no bank activity: " + bank, bank.has("sequence") || bank.has("lastWrite"));
        }

        everyRoleAgainstEveryRoute(Map.of("viewer", viewer, "operator", operator, "engineer", engineer, "admin", admin),
                anAlarm(admin));

        // Revoked: refused at once, without a restart.
        shell("nexus:token revoke it-viewer");
        assertProblem(call("GET", "/api/v1/tags/" + LEVEL, viewer, null), 401, "UNAUTHENTICATED");

        jwts(operator, admin);

        // Every write and action carries the authenticated identity into the audit trail.
        String journal;
        try (var files = Files.list(home().resolve("data/audit"))) {
            journal = files.sorted().map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).reduce("", String::concat);
        }
        assertTrue(journal, journal.contains("\"user\":\"it-operator\",\"roles\":[\"operator\"]"));
        assertTrue(journal, journal.contains("\"user\":\"it-viewer\",\"roles\":[\"viewer\"]"));
    }

    /** What each built-in role grants (docs/security.md, "Built-in roles"). */
    private static final Map<String, Set<String>> GRANTS = Map.of(
            "viewer", Set.of("read"),
            "operator", Set.of("read", "write", "acknowledge"),
            "engineer", Set.of("read", "write", "acknowledge", "shelve", "suppress", "remove-from-service", "disable",
                    "registry", "health", "metrics"),
            "admin", Set.of("read", "write", "acknowledge", "shelve", "suppress", "remove-from-service", "disable",
                    "registry", "tokens", "health", "metrics"));

    /**
     * Every route the OpenAPI document lists, as every built-in role: a route whose permission the
     * role grants is never refused for it (401/403), any other is 403 naming the permission.
     */
    private void everyRoleAgainstEveryRoute(Map<String, String> tokens, String alarm) throws Exception {
        JsonNode paths = body(call("GET", "/api/v1/openapi.json", tokens.get("admin"), null)).path("paths");
        int checked = 0;
        for (Map.Entry<String, JsonNode> path : (Iterable<Map.Entry<String, JsonNode>>) paths::fields) {
            for (Map.Entry<String, JsonNode> operation : (Iterable<Map.Entry<String, JsonNode>>) path.getValue()::fields) {
                String method = operation.getKey();
                String permission = operation.getValue().path("x-permission").asText(null);
                if (method.equals("parameters") || permission == null) {
                    continue;
                }
                String concrete = path.getKey().replace("{path}", SETPOINT).replace("{name}", alarm);
                String body = method.equals("get") ? null
                        : concrete.equals("/api/v1/tags") ? "{\"writes\": [{\"path\": \"" + SETPOINT + "\", \"value\": 40}]}"
                        : method.equals("put") ? "{\"value\": 40}"
                        : concrete.endsWith(":shelve") ? "{\"minutes\": 1}"
                        : concrete.startsWith("/api/v1/alarms/") ? "{\"comment\": \"role check\"}"
                        : "{\"sql\": \"SELECT id FROM tags LIMIT 1\"}";
                String target = concrete + (concrete.equals("/api/v1/query") && method.equals("get") ? "?sql=SELECT%201" : "");
                for (Map.Entry<String, String> role : tokens.entrySet()) {
                    HttpResponse<String> response = call(method.toUpperCase(java.util.Locale.ROOT), target, role.getValue(),
                            body);
                    String what = role.getKey() + " " + method + " " + path.getKey() + " -> " + response.statusCode() + " "
                            + response.body();
                    if (concrete.equals("/api/v1/tags") && method.equals("put")) {
                        // A batch answers 200 with one result per write: each write is decided on its own.
                        assertEquals(what, 200, response.statusCode());
                        int itemStatus = body(response).path("results").path(0).path("error").path("status").asInt(200);
                        assertEquals(what, GRANTS.get(role.getKey()).contains(permission), itemStatus != 403);
                    } else if (path.getKey().equals("/health") && !GRANTS.get(role.getKey()).contains(permission)) {
                        assertEquals("without 'health', the status only: " + what, "[\"status\"]",
                                JSON.valueToTree(body(response).properties().stream().map(Map.Entry::getKey).toList())
                                        .toString());
                    } else if (GRANTS.get(role.getKey()).contains(permission)) {
                        assertTrue(what, response.statusCode() != 401 && response.statusCode() != 403);
                    } else {
                        assertEquals(what, 403, response.statusCode());
                        assertTrue(what, body(response).path("detail").asText().contains("'" + permission + "'"));
                    }
                    checked++;
                }
            }
        }
        assertTrue("routes checked: " + checked, checked >= 4 * 20);
    }

    /** JWTs from an identity provider whose JWKS a real HTTP server on loopback serves. */
    private void jwts(String operatorToken, String adminToken) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID("it-key").build();
        KeyPair other = generator.generateKeyPair();
        byte[] jwks = new JWKSet(key).toString().getBytes(StandardCharsets.UTF_8);
        HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        idp.start();
        try {
            ConfigurationAdmin configAdmin = service(ConfigurationAdmin.class);
            Dictionary<String, Object> settings = new Hashtable<>();
            settings.put("issuer", "https://idp.example");
            settings.put("audience", "rma-nexus");
            settings.put("jwks.url", "http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks");
            configAdmin.getConfiguration("nexus.security.jwt", "?").update(settings);
            Await.until("the JWT issuer is up", () -> quietly(() -> health(adminToken).path("components").path("jwt")
                    .path("status").asText().equals("UP")));

            String good = jwt(pair, "it-key", "https://idp.example", "rma-nexus", 300, "operator");
            assertEquals(200, call("GET", "/api/v1/tags/" + LEVEL, good, null).statusCode());
            assertEquals(200, call("PUT", "/api/v1/tags/" + SETPOINT, good, "{\"value\": 3.0}").statusCode());
            assertProblem(call("GET", "/api/v1/tags/" + LEVEL, jwt(pair, "it-key", "https://idp.example", "rma-nexus",
                    -120, "operator"), null), 401, "UNAUTHENTICATED");
            assertProblem(call("GET", "/api/v1/tags/" + LEVEL, jwt(other, "it-key", "https://idp.example", "rma-nexus",
                    300, "operator"), null), 401, "UNAUTHENTICATED");
            assertProblem(call("GET", "/api/v1/tags/" + LEVEL, jwt(pair, "it-key", "https://idp.example", "someone-else",
                    300, "operator"), null), 401, "UNAUTHENTICATED");
            // Tokens keep working beside JWTs.
            assertEquals(200, call("GET", "/api/v1/tags/" + LEVEL, operatorToken, null).statusCode());
        } finally {
            idp.stop(0);
        }
    }

    private static boolean quietly(java.util.concurrent.Callable<Boolean> condition) {
        try {
            return condition.call();
        } catch (Exception e) {
            return false;
        }
    }

    private JsonNode health(String token) throws Exception {
        return body(call("GET", "/health", token, null));
    }

    private static String jwt(KeyPair pair, String kid, String issuer, String audience, long expiresInSeconds,
            String role) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("jwt-alice").issuer(issuer).audience(audience)
                .expirationTime(Date.from(Instant.now().plusSeconds(expiresInSeconds)))
                .issueTime(Date.from(Instant.now().minusSeconds(600))).claim("roles", List.of(role)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims);
        jwt.sign(new RSASSASigner(pair.getPrivate()));
        return jwt.serialize();
    }
}
