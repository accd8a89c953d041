package nexus.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * kill -9 of a whole node during a Loki outage (issue 11, defect 4): the {@code ./nexus} script
 * starts the launcher built by this module, operators act on alarms while Loki answers 503, the
 * node is killed with SIGKILL once the spool holds every action, and after a restart with Loki back
 * every action reaches Loki exactly once, under the machine's host name as the node label (defect 16).
 */
class LokiCrashIT {

    private static final Path SCRIPT = Path.of("..", "nexus").toAbsolutePath().normalize();
    private static final Path LAUNCHER = Path.of(System.getProperty("nexus.launcher", "target/nexus.jar")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The user of every action: the node is open (no identities), so local clients act as anonymous. */
    private static final String USER = "anonymous";
    /** What marks an audit record in a spool segment, beside the alarm events of the same actions. */
    private static final String SPOOLED_AUDIT_RECORD = "\"input\":\"audit\"";
    private static final int ACTIONS = 120;

    @TempDir
    Path temp;
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer loki;
    private volatile int lokiStatus = 503;
    private final AtomicInteger pushes = new AtomicInteger();
    /** What the stand-in accepted, once per stream, timestamp and line (as Loki keeps it). */
    private final Map<String, JsonNode> accepted = Collections.synchronizedMap(new LinkedHashMap<>());
    private Process node;
    private int port;

    @BeforeEach
    void start() throws IOException {
        loki = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        loki.createContext("/loki/api/v1/push", this::push);
        loki.start();
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (node != null) {
            node.destroy();
            if (!node.waitFor(60, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        loki.stop(0);
    }

    private void push(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            pushes.incrementAndGet();
            if (lokiStatus != 204) {
                exchange.sendResponseHeaders(lokiStatus, -1);
                return;
            }
            InputStream body = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(new ByteArrayInputStream(raw)) : new ByteArrayInputStream(raw);
            for (JsonNode stream : JSON.readTree(body).path("streams")) {
                for (JsonNode value : stream.path("values")) {
                    String key = stream.path("stream") + "|" + value.path(0).asText() + "|" + value.path(1).asText();
                    accepted.putIfAbsent(key, JSON.createObjectNode().<com.fasterxml.jackson.databind.node.ObjectNode>set(
                            "stream", stream.path("stream")).set("line", JSON.readTree(value.path(1).asText())));
                }
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private Process startNode(Path home) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "--port", String.valueOf(port), "--home",
                home.toString()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(temp.resolve("stdout.txt").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(temp.resolve("stderr.txt").toFile()));
        builder.environment().put("NEXUS_LAUNCHER", LAUNCHER.toString());
        Process started = builder.start();
        Await.until("/health answers 200", Duration.ofSeconds(90), () -> status("/health") == 200);
        return started;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private int status(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)));
        return response == null ? 0 : response.statusCode();
    }

    private JsonNode get(String path) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)));
        assertThat(response).isNotNull();
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private void act(String alarm, String action, int number) {
        String path = "/api/v1/alarms/" + alarm + ":" + action;
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"comment\":\"action " + number
                        + "\"}")));
        assertThat(response).isNotNull();
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    }

    /** @return the operator actions of this test in whole spool segments on disk */
    private static long spooledActions(Path spool) {
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        long found = 0;
        try (Stream<Path> files = Files.list(spool)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".spool")).toList()) {
                try {
                    // the alarm events of the actions; each action's audit record travels beside its event
                    found += Files.readAllLines(file).stream()
                            .filter(line -> line.contains(USER) && !line.contains(SPOOLED_AUDIT_RECORD)).count();
                } catch (NoSuchFileException e) {
                    // shipped meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }

    private List<JsonNode> acceptedActions() {
        return accepted(false);
    }

    private List<JsonNode> acceptedAuditRecords() {
        return accepted(true);
    }

    /** @return the alarm events (or the audit records) of this test's operator actions Loki accepted */
    private List<JsonNode> accepted(boolean auditRecords) {
        synchronized (accepted) {
            return accepted.values().stream().filter(e -> USER.equals(e.path("line").path("user").asText()))
                    .filter(e -> e.path("line").path("record").asText().equals("audit") == auditRecords).toList();
        }
    }

    @Test
    void aNodeKilledDuringALokiOutageShipsEveryOperatorActionAfterItsRestart() throws Exception {
        Path home = temp.resolve("home");
        node = startNode(home);
        Files.writeString(home.resolve("etc/nexus.loki.cfg"), "url = http://127.0.0.1:" + loki.getAddress().getPort()
                + "\nspool.dir = data/loki-spool\n");
        Await.until("the sink ships to the stand-in", () -> {
            try {
                return get("/health").path("components").path("loki").path("detail").asText()
                        .contains(":" + loki.getAddress().getPort() + "/");
            } catch (IOException e) {
                return false;
            }
        });
        List<String> alarms = new ArrayList<>();
        get("/api/v1/alarms?limit=" + ACTIONS / 2).path("alarms").forEach(a -> alarms.add(a.path("name").asText()));
        assertThat(alarms).hasSize(ACTIONS / 2);

        act(alarms.get(0), "disable", 0);
        Await.until("a push failed", Duration.ofSeconds(30), () -> pushes.get() > 0);
        for (int i = 1; i < ACTIONS; i++) {
            act(alarms.get(i / 2), i % 2 == 0 ? "disable" : "enable", i);
        }
        Path spool = home.resolve("data/loki-spool");
        Await.until("every action is on disk", Duration.ofSeconds(30), () -> spooledActions(spool) == ACTIONS);

        node.destroyForcibly();
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("the node is dead").isTrue();
        assertThat(node.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(acceptedActions()).isEmpty();
        lokiStatus = 204;
        node = startNode(home);

        Await.until("every action arrives", Duration.ofSeconds(60), () -> acceptedActions().size() == ACTIONS);
        List<JsonNode> arrived = acceptedActions();
        assertThat(arrived.stream().map(e -> e.path("line").path("comment").asText()).distinct())
                .as("each action once").hasSize(ACTIONS);
        assertThat(arrived.stream().map(e -> e.path("stream").path("node").asText()).distinct())
                .containsExactly(InetAddress.getLocalHost().getHostName());
        Await.until("every action's audit record arrives", Duration.ofSeconds(60),
                () -> acceptedAuditRecords().size() == ACTIONS);
        assertThat(acceptedAuditRecords().stream().map(e -> e.path("line").path("detail").asText()).distinct())
                .as("each audit record once").hasSize(ACTIONS);
    }
}
