package nexus.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's servlet in Jetty over loopback, mapped as the whiteboard maps it. */
class ConsoleServletTest {

    private static final String PAGE = "<!doctype html><title>RMA Nexus</title>";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Server server;
    private String base;
    private Assets assets;

    @BeforeEach
    void start() throws Exception {
        Map<String, String> files = Map.of("index.html", PAGE, "js/main.js", "export const x = 1;", "console.css", "body{}");
        assets = Assets.read(files.keySet(), file -> new java.io.ByteArrayInputStream(files.get(file)
                .getBytes(StandardCharsets.UTF_8)));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(new ConsoleServlet(() -> assets));
        context.getServletHandler().addServletWithMapping(holder, "");
        context.getServletHandler().addServletWithMapping(holder, "/console");
        context.getServletHandler().addServletWithMapping(holder, "/console/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void guarded(HttpResponse<String> response) {
        String what = response.request().method() + " " + response.uri() + " " + response.statusCode();
        assertThat(response.headers().firstValue("Content-Security-Policy")).as(what).hasValue(ConsoleServlet.CSP);
        assertThat(response.headers().firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
        assertThat(response.headers().firstValue("X-Frame-Options")).as(what).hasValue("DENY");
        assertThat(response.headers().firstValue("Referrer-Policy")).as(what).hasValue("no-referrer");
    }

    @Test
    void theRootAndConsoleRedirectToThePage() throws Exception {
        for (String path : List.of("/", "/console")) {
            HttpResponse<String> response = send("GET", path);
            assertThat(response.statusCode()).as(path).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).as(path).hasValue("/console/");
            guarded(response);
        }
    }

    @Test
    void thePageIsServedWithItsTypeEtagAndThePolicy() throws Exception {
        HttpResponse<String> page = send("GET", "/console/");
        HttpResponse<String> script = send("GET", "/console/js/main.js");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo(PAGE);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(page.headers().firstValue("ETag")).hasValue(assets.get("").orElseThrow().etag());
        guarded(page);
        assertThat(ConsoleServlet.CSP).contains("default-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        guarded(script);
    }

    @Test
    void anUnchangedFileIsA304WithThePolicyAndNoBody() throws Exception {
        String etag = send("GET", "/console/js/main.js").headers().firstValue("ETag").orElseThrow();

        for (String ifNoneMatch : List.of(etag, "\"other\", " + etag, "W/" + etag, "*")) {
            HttpResponse<String> again = send("GET", "/console/js/main.js", "If-None-Match", ifNoneMatch);
            assertThat(again.statusCode()).as(ifNoneMatch).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            guarded(again);
        }
        assertThat(send("GET", "/console/js/main.js", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void headAnswersTheHeadersOfGetWithoutABody() throws Exception {
        String answer = raw("HEAD /console/js/main.js");

        assertThat(answer).startsWith("HTTP/1.1 200 ");
        assertThat(answer).containsIgnoringCase("Content-Length: " + "export const x = 1;".length());
        assertThat(answer).contains("Content-Security-Policy: " + ConsoleServlet.CSP);
        assertThat(answer).endsWith("\r\n\r\n").doesNotContain("export const");
    }

    @Test
    void anUnknownFileIsAPlainTextNotFoundWithThePolicy() throws Exception {
        for (String path : List.of("/console/nope.js", "/console/js/", "/console/README.txt", "/console/%2e%2e/index.html")) {
            HttpResponse<String> response = send("GET", path);
            assertThat(response.statusCode()).as(path).isIn(400, 404);
            if (response.statusCode() == 404) {
                assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("text/plain;charset=utf-8");
                assertThat(response.body()).as(path).startsWith("The console has no file ").endsWith(": open /console/");
                guarded(response);
            }
        }
    }

    @Test
    void otherMethodsAre405NamingGetAndHead() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE")) {
            HttpResponse<String> response = send(method, "/console/");
            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertThat(response.body()).isEqualTo("The console is read with GET.");
            guarded(response);
        }
    }

    @Test
    void ifNoneMatchFollowsTheHttpRules() {
        assertThat(ConsoleServlet.matches(null, "\"a\"")).isFalse();
        assertThat(ConsoleServlet.matches("\"b\"", "\"a\"")).isFalse();
        assertThat(ConsoleServlet.matches("\"b\" , \"a\"", "\"a\"")).isTrue();
        assertThat(ConsoleServlet.matches("W/\"a\"", "\"a\"")).isTrue();
        assertThat(ConsoleServlet.matches("a", "\"a\"")).isFalse();
    }

    /** @return the whole answer to a request line sent as written */
    private String raw(String requestLine) throws IOException {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: " + uri.getAuthority()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
