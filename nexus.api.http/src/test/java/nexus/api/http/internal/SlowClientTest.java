package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jakarta.servlet.DispatcherType;
import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.HealthStatus;

/**
 * Clients that declare a body and never send it ({@code Content-Length: 1000}, then silence) must
 * not hold the node: over real HTTP on loopback, with a request thread pool smaller than the number
 * of such clients (the node's pool is Jetty's 200 threads; a small one reproduces the same with fewer
 * sockets) and the node's 30 s idle timeout, {@code /health} and a single-tag read still answer while
 * the silent clients wait, and each silent client gets its refusal with {@code Connection: close}.
 * Bounds are generous (10 s, a third of the idle timeout); nothing here measures how fast.
 */
class SlowClientTest {

    /** Request threads of the test server, fewer than the silent clients. */
    private static final int THREADS = 24;
    /** Silent clients per refusing route. */
    private static final int SILENT = 40;
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final TestAccess access = new TestAccess();
    private final AuthenticatedHttpTest.ScopedTags tags = new AuthenticatedHttpTest.ScopedTags(access);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(BOUND).build();
    private final List<Socket> silent = new ArrayList<>();
    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        ApiConfig config = (ApiConfig) Proxy.newProxyInstance(ApiConfig.class.getClassLoader(), new Class<?>[] { ApiConfig.class },
                (proxy, method, args) -> method.getDefaultValue());
        Metrics metrics = new Metrics();
        QueuedThreadPool threads = new QueuedThreadPool(THREADS, 8);
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(30_000); // org.apache.felix.http.timeout in runtime.bndrun
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        FilterHolder origin = new FilterHolder(new OriginFilter(config, metrics));
        FilterHolder authentication = new FilterHolder(new AccessFilter(config, metrics, access, access));
        origin.setAsyncSupported(true);
        authentication.setAsyncSupported(true);
        context.addFilter(origin, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(authentication, "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder api = new ServletHolder(new ApiServlet(config, metrics, null, tags,
                new BankDocumentTest.FixedBackend(), null));
        ServletHolder health = new ServletHolder(new HealthServlet(config, metrics, List.of(HealthIndicator.of("rma", true,
                () -> new Health(HealthStatus.UP, "mapped", Map.of())))));
        api.setAsyncSupported(true);
        health.setAsyncSupported(true);
        context.addServlet(api, "/api/v1/*");
        context.addServlet(health, "/health");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : silent) {
            socket.close();
        }
        server.stop();
    }

    /** Opens a connection that sends a request's headers, announcing a body it never sends. */
    private Socket silentClient(String method, String path) throws IOException {
        return silentClient(method, path, null);
    }

    /** @param role the role whose token the request carries, or null for none */
    private Socket silentClient(String method, String path, String role) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) BOUND.toMillis());
        silent.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + (role == null ? "" : "Authorization: Bearer " + role + "-token\r\n") + "Content-Length: 1000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(BOUND);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return what the server sent until it closed the connection */
    private static String answer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void healthAndATagReadAnswerWhileSilentClientsHoldRefusedRequests() throws Exception {
        List<Socket> refused = new ArrayList<>();
        for (int i = 0; i < SILENT; i++) {
            refused.add(silentClient("PUT", "/api/v1/tags/p/a"));
            refused.add(silentClient("POST", "/api/v1/query"));
        }

        HttpResponse<String> health = get("/health");
        HttpResponse<String> tag = get("/api/v1/tags/p/a", "Authorization", "Bearer viewer-token");

        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(tag.statusCode()).as(tag.body()).isEqualTo(200);
        assertThat(tag.body()).contains("\"path\":\"p/a\"");
        for (Socket socket : refused) {
            String answer = answer(socket);
            assertThat(answer).as("the body never came: the refusal comes anyway, and the connection closes")
                    .startsWith("HTTP/1.1 401").containsIgnoringCase("Connection: close").contains("UNAUTHENTICATED");
        }
    }

    @Test
    void silentBodiesOfAcceptedRequestsHoldNoThreadAndAreRefusedAfterTheirWait() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        for (int i = 0; i < SILENT; i++) {
            accepted.add(silentClient("PUT", "/api/v1/tags/p/a", "operator"));
            accepted.add(silentClient("POST", "/api/v1/query", "operator"));
        }

        HttpResponse<String> health = get("/health");
        HttpResponse<String> tag = get("/api/v1/tags/p/a", "Authorization", "Bearer viewer-token");

        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(tag.statusCode()).as(tag.body()).isEqualTo(200);
        for (Socket socket : accepted) {
            // AsyncBody.BODY_WAIT (10 s) ends the wait, well before the connection's idle timeout (30 s).
            socket.setSoTimeout(25_000);
            assertThat(answer(socket)).startsWith("HTTP/1.1 400").containsIgnoringCase("Connection: close")
                    .contains("the body did not arrive whole within 10 s");
        }
        assertThat(tags.writes).isEmpty();
    }

    @Test
    void aSilentBodyAfterARefusedPermissionIsNotWaitedFor() throws Exception {
        // Authenticated, but a monitor may not read: the route refuses before the body is read.
        Socket socket = new Socket("127.0.0.1", port);
        silent.add(socket);
        socket.setSoTimeout((int) BOUND.toMillis());
        socket.getOutputStream().write(("POST /api/v1/query HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer"
                + " monitor-token\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));

        assertThat(answer(socket)).startsWith("HTTP/1.1 403").containsIgnoringCase("Connection: close")
                .contains("FORBIDDEN");
    }

    @Test
    void aSilentChunkedBodyIsNotWaitedForEither() throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        silent.add(socket);
        socket.setSoTimeout((int) BOUND.toMillis());
        socket.getOutputStream().write(("POST /api/v1/query HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type:"
                + " application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

        assertThat(answer(socket)).startsWith("HTTP/1.1 401").containsIgnoringCase("Connection: close");
    }

    @Test
    void aBodySentInPartsIsServedOnceWhole() throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        silent.add(socket);
        socket.setSoTimeout((int) BOUND.toMillis());
        String body = "{\"value\": 7}";
        OutputStream out = socket.getOutputStream();
        out.write(("PUT /api/v1/tags/p/a HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer operator-token\r\n"
                + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body.substring(0, 5)).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(get("/health").statusCode()).as("another request is served meanwhile").isEqualTo(200);
        out.write(body.substring(5).getBytes(StandardCharsets.US_ASCII));
        out.flush();

        assertThat(answer(socket)).startsWith("HTTP/1.1 200");
        assertThat(tags.writes).hasSize(1);
    }

    @Test
    void aRefusedBodyThatArrivesWholeIsReadAwayAndTheConnectionStaysUsable() throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        silent.add(socket);
        socket.setSoTimeout((int) BOUND.toMillis());
        String body = "{\"value\": 1}";
        String request = "PUT /api/v1/tags/p/a HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));

        String both = answer(socket);
        assertThat(both).startsWith("HTTP/1.1 401");
        assertThat(both.substring(1)).as("the second request on the same connection is answered too")
                .contains("HTTP/1.1 200");
    }
}
