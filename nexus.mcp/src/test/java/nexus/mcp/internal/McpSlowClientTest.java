package nexus.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The MCP transport over real HTTP on loopback (Jetty 12 as Felix HTTP embeds it, the gate
 * async-supported as McpComponent registers it): clients that declare a body and never send it hold
 * no request thread — with more of them than the server has threads and the node's 30 s idle
 * timeout, another servlet still answers — and each gets its answer with {@code Connection: close}.
 * Bounds are generous (a third of the idle timeout and more); nothing here measures how fast.
 */
class McpSlowClientTest {

    private static final int THREADS = 24;
    private static final int SILENT = 60;

    private final McpEndpoint endpoint = new McpEndpoint(toolbox(), new Browse(new TestBackends(), 10),
            new Identities(() -> null), "0");
    private final List<Socket> sockets = new ArrayList<>();
    private Server server;
    private int port;

    private static Toolbox toolbox() {
        ToolDef echo = new ToolDef("echo", "echoes", Schemas.object("'text': {'type': 'string'}"), false,
                call -> Outcome.ok("said", Map.of(), 1));
        return new Toolbox(List.of(echo), new DefaultJsonSchemaValidator(Schemas.json()), new RateLimiter(60, 100),
                new TestBackends(), () -> 0L);
    }

    @BeforeEach
    void start() throws Exception {
        server = new Server(new QueuedThreadPool(THREADS, 8));
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(30_000); // org.apache.felix.http.timeout in runtime.bndrun
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder mcp = new ServletHolder(endpoint.servlet());
        mcp.setAsyncSupported(true);
        context.addServlet(mcp, McpEndpoint.PATH);
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().write("UP");
            }
        }), "/health");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        server.stop();
        endpoint.close();
    }

    private Socket open(Duration bound) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) bound.toMillis());
        sockets.add(socket);
        return socket;
    }

    /** Sends an MCP POST's headers announcing {@code length} bytes, and {@code body} (may be shorter, or empty). */
    private Socket post(long length, String body, Duration bound) throws IOException {
        Socket socket = open(bound);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + McpEndpoint.PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Accept: application/json, text/event-stream\r\nContent-Length: " + length + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        return socket;
    }

    private static String answer(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void silentBodiesHoldNoThreadAndAreAnsweredWithAClose() throws Exception {
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < SILENT; i++) {
            silent.add(post(1000, "", Duration.ofSeconds(25)));
        }
        Socket health = open(Duration.ofSeconds(10));
        health.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));

        assertThat(answer(health)).startsWith("HTTP/1.1 200").endsWith("UP");
        for (Socket socket : silent) {
            // McpBody.BODY_WAIT (10 s) ends the wait, well before the connection's idle timeout (30 s).
            assertThat(answer(socket)).startsWith("HTTP/1.1 400").containsIgnoringCase("Connection: close")
                    .contains("did not arrive whole within 10 s");
        }
    }

    @Test
    void aSilentOversizedBodyGets413WithoutWaitingForIt() throws Exception {
        Socket socket = post(McpGate.MAX_BODY + 1, "", Duration.ofSeconds(10));

        assertThat(answer(socket)).startsWith("HTTP/1.1 413").containsIgnoringCase("Connection: close")
                .contains("PAYLOAD_TOO_LARGE");
    }

    @Test
    void aWholeMessageIsServedAndTheConnectionStaysUsable() throws Exception {
        String notification = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
        Socket socket = post(notification.length(), notification, Duration.ofSeconds(10));
        socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));

        String both = answer(socket);
        assertThat(both).startsWith("HTTP/1.1 202");
        assertThat(both.substring(1)).contains("HTTP/1.1 200");
    }
}
