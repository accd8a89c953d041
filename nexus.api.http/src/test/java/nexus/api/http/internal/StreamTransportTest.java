package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.server.config.JettyWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.DispatcherType;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.stream.StreamClient;
import nexus.stream.StreamClose;
import nexus.stream.StreamInfo;
import nexus.stream.StreamService;
import nexus.stream.StreamSession;

/**
 * The stream transports over real loopback connections: the bundle's filters and both stream
 * servlets in a Jetty server with its WebSocket support, chained as the whiteboard chains them, a
 * real WebSocket client (the JDK's) and a real HTTP client for the events, and a fake stream service
 * that records what the transports hand it and answers as told.
 */
class StreamTransportTest {

    /** A stream service that records its sessions and answers each received message as {@link #answer} says. */
    static final class FakeStreams implements StreamService {
        final List<FakeSession> sessions = new CopyOnWriteArrayList<>();
        volatile NexusException refusal;
        volatile BiConsumer<FakeSession, String> answer = (session, message) -> { };
        /** Messages sent while the session opens, before the transport's connection is up. */
        volatile List<String> greeting = List.of();

        @Override
        public StreamSession open(StreamClient client) {
            if (refusal != null) {
                throw refusal;
            }
            FakeSession session = new FakeSession(this, client);
            sessions.add(session);
            greeting.forEach(message -> client.send(message, null, failure -> { }));
            return session;
        }

        @Override
        public List<StreamInfo> streams() {
            return List.of();
        }
    }

    static final class FakeSession implements StreamSession {
        final StreamClient client;
        final List<String> received = new CopyOnWriteArrayList<>();
        final AtomicInteger closed = new AtomicInteger();
        private final FakeStreams service;

        FakeSession(FakeStreams service, StreamClient client) {
            this.service = service;
            this.client = client;
        }

        @Override
        public void receive(String message) {
            received.add(message);
            service.answer.accept(this, message);
        }

        @Override
        public void closed() {
            closed.incrementAndGet();
        }

        /** Sends and waits until the transport says the message left (or failed). */
        Throwable sendAndWait(String message, String resumeId) throws Exception {
            CompletableFuture<Throwable> done = new CompletableFuture<>();
            client.send(message, resumeId, done::complete);
            return done.get(10, TimeUnit.SECONDS);
        }
    }

    /** What a WebSocket client received: whole text messages, and how the connection closed. */
    static final class Received implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            closed.complete(status + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.complete("error " + error);
        }

        String next() throws InterruptedException {
            String message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a message within 10 s").isNotNull();
            return message;
        }
    }

    private final TestAccess access = new TestAccess();
    private final FakeStreams streams = new FakeStreams();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Server server;
    private int port;

    private void start(StreamService service) throws Exception {
        start(service, StreamServlet.PING_EVERY, StreamServlet.SILENT);
    }

    private void start(StreamService service, Duration pingEvery, Duration silent) throws Exception {
        ApiConfig config = (ApiConfig) Proxy.newProxyInstance(ApiConfig.class.getClassLoader(),
                new Class<?>[] { ApiConfig.class }, (proxy, method, args) -> method.getDefaultValue());
        Metrics metrics = new Metrics();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        JettyWebSocketServletContainerInitializer.configure(context, null);
        FilterHolder origin = new FilterHolder(new OriginFilter(config, metrics));
        FilterHolder authentication = new FilterHolder(new AccessFilter(config, metrics, access, access));
        origin.setAsyncSupported(true);
        authentication.setAsyncSupported(true);
        context.addFilter(origin, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(authentication, "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder socket = new ServletHolder(new StreamServlet(metrics, service, pingEvery, silent));
        ServletHolder events = new ServletHolder(new SseServlet(metrics, service));
        socket.setAsyncSupported(true);
        events.setAsyncSupported(true);
        context.addServlet(socket, AccessFilter.STREAMS);
        context.addServlet(events, SseServlet.PATTERN);
        context.addServlet(new ServletHolder(new ApiServlet(config, metrics, null, null, null, null)), "/api/v1/*");
        context.addServlet(new ServletHolder(new FallbackServlet()), "/");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s for " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** @param headers name, value, name, value… */
    private CompletableFuture<WebSocket> connect(String query, WebSocket.Listener listener, String... headers) {
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.buildAsync(URI.create("ws://127.0.0.1:" + port + AccessFilter.STREAMS + query), listener);
    }

    private static String[] as(String role) {
        return new String[] { "Authorization", "Bearer " + role + "-token" };
    }

    /** @return the status of the answer that refused a handshake */
    private static HttpResponse<?> refused(CompletableFuture<WebSocket> handshake) {
        Throwable failure = null;
        try {
            handshake.join();
        } catch (CompletionException e) {
            failure = e.getCause();
        }
        assertThat(failure).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure).getResponse();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode problem(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith(Problems.CONTENT_TYPE);
        JsonNode problem = Http.JSON.readTree(response.body());
        assertThat(problem.path("code").asText()).isEqualTo(code);
        return problem;
    }

    @Test
    void aWebSocketCarriesMessagesBothWaysAsTheRequestsIdentity() throws Exception {
        start(streams);
        streams.answer = (session, message) -> session.client.send("{\"type\":\"pong\",\"id\":\"4\"}", null, failure -> { });
        Received received = new Received();
        WebSocket socket = connect("", received, as("viewer")).get(10, TimeUnit.SECONDS);

        socket.sendText("{\"type\":\"ping\",\"id\":\"4\"}", true).get(10, TimeUnit.SECONDS);

        assertThat(received.next()).isEqualTo("{\"type\":\"pong\",\"id\":\"4\"}");
        FakeSession session = streams.sessions.get(0);
        assertThat(session.received).containsExactly("{\"type\":\"ping\",\"id\":\"4\"}");
        assertThat(session.client.caller().user()).isEqualTo("viewer-user");
        assertThat(session.client.current()).isTrue();
        assertThat(session.client.transport()).isEqualTo("websocket");
        assertThat(session.client.remote()).startsWith("127.0.0.1:").isNotEqualTo("127.0.0.1:" + port);
        assertThat(session.sendAndWait("{\"type\":\"heartbeat\"}", null)).as("done, without a failure").isNull();
        assertThat(received.next()).isEqualTo("{\"type\":\"heartbeat\"}");

        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        await(() -> session.closed.get() == 1, "the session to hear the close");
        assertThat(session.sendAndWait("{\"type\":\"heartbeat\"}", null)).as("a send after the end fails").isNotNull();
        assertThat(session.closed.get()).as("once").isEqualTo(1);
    }

    @Test
    void whatTheServiceSendsWhileTheSocketOpensGoesOutFirstInOrder() throws Exception {
        start(streams);
        streams.greeting = List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        Received received = new Received();
        connect("", received, as("viewer")).get(10, TimeUnit.SECONDS);
        streams.sessions.get(0).client.send("{\"n\":4}", null, failure -> { });

        assertThat(List.of(received.next(), received.next(), received.next(), received.next()))
                .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
    }

    @Test
    void theServiceClosesWithItsCodeAndReason() throws Exception {
        start(streams);
        Received received = new Received();
        connect("", received, as("viewer")).get(10, TimeUnit.SECONDS);
        FakeSession session = streams.sessions.get(0);

        session.client.close(StreamClose.IDENTITY_ENDED, "the token was revoked: authenticate again");

        assertThat(received.closed.get(10, TimeUnit.SECONDS)).isEqualTo("4001 the token was revoked: authenticate again");
        await(() -> session.closed.get() == 1, "the session to end");
    }

    @Test
    void aSlowConsumerIsDroppedWithoutACloseFrame() throws Exception {
        start(streams);
        Received received = new Received();
        connect("", received, as("viewer")).get(10, TimeUnit.SECONDS);
        FakeSession session = streams.sessions.get(0);

        session.client.close(StreamClose.SLOW_CONSUMER, "slow consumer");

        assertThat(received.closed.get(10, TimeUnit.SECONDS)).as("dropped: no close frame could get through")
                .startsWith("1006");
        await(() -> session.closed.get() == 1, "the session to end");
    }

    /**
     * Found by attacking a running node (issue 14): a client that neither reads nor sends held its
     * stream slot for good (heartbeats filled its kernel buffer slowly, and Jetty counts writes as
     * activity). Pings find it: a client answers them by itself, but only while it reads. The JDK's
     * client here never asks for a message, so it never reads a ping; the other one reads.
     */
    @Test
    void aClientThatAnswersNoPingIsDroppedAndOneThatReadsStays() throws Exception {
        start(streams, Duration.ofMillis(100), Duration.ofMillis(600));
        CompletableFuture<Void> opened = new CompletableFuture<>();
        connect("", new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket socket) {
                opened.complete(null); // and no request(): this client never reads
            }
        }, as("viewer")).get(10, TimeUnit.SECONDS);
        Received reading = new Received();
        connect("", reading, as("operator")).get(10, TimeUnit.SECONDS);
        opened.get(10, TimeUnit.SECONDS);
        FakeSession deaf = streams.sessions.get(0);
        FakeSession reader = streams.sessions.get(1);

        await(() -> deaf.closed.get() == 1, "the client that answers no ping to be dropped");
        assertThat(reader.closed.get()).as("the reading client answered every ping").isZero();
        assertThat(reader.sendAndWait("{\"type\":\"heartbeat\"}", null)).isNull();
        assertThat(reading.next()).isEqualTo("{\"type\":\"heartbeat\"}");
        assertThat(reading.closed).isNotDone();
    }

    @Test
    void aBinaryMessageIsRefusedWith1003AndATooLargeOneWith1009() throws Exception {
        start(streams);
        Received binary = new Received();
        WebSocket socket = connect("", binary, as("viewer")).get(10, TimeUnit.SECONDS);
        socket.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true);
        assertThat(binary.closed.get(10, TimeUnit.SECONDS)).startsWith("1003 binary messages are not taken");

        Received large = new Received();
        WebSocket other = connect("", large, as("viewer")).get(10, TimeUnit.SECONDS);
        other.sendText("{\"type\":\"ping\",\"id\":\"" + "x".repeat(StreamServlet.MAX_MESSAGE) + "\"}", true);
        assertThat(large.closed.get(10, TimeUnit.SECONDS)).startsWith("1009");
        await(() -> streams.sessions.stream().allMatch(s -> s.closed.get() == 1), "both sessions to end");
        assertThat(streams.sessions.get(1).received).as("the large message never reaches the service").isEmpty();
    }

    @Test
    void aTicketOpensAWebSocketOnceAndTheTicketRouteIsNotShadowed() throws Exception {
        start(streams);
        HttpResponse<String> issued = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/stream/tickets")).POST(HttpRequest.BodyPublishers.noBody()).header("Authorization",
                        "Bearer viewer-token").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String ticket = Http.JSON.readTree(issued.body()).path("ticket").asText();

        connect("?ticket=" + ticket, new Received()).get(10, TimeUnit.SECONDS);
        assertThat(streams.sessions.get(0).client.caller().user()).isEqualTo("viewer-user");
        assertThat(refused(connect("?ticket=" + ticket, new Received())).statusCode()).as("used").isEqualTo(401);
        assertThat(streams.sessions).hasSize(1);
    }

    @Test
    void anUpgradeWithoutIdentityOrPermissionOpensNoStream() throws Exception {
        start(streams);
        assertThat(refused(connect("", new Received())).statusCode()).isEqualTo(401);
        assertThat(refused(connect("", new Received(), as("monitor"))).statusCode()).as("no read").isEqualTo(403);
        assertThat(streams.sessions).isEmpty();
    }

    @Test
    void anUpgradeFromAForeignPageIsRefusedWithoutAnyConfiguration() throws Exception {
        start(streams);
        HttpResponse<?> foreign = refused(connect("", new Received(), "Authorization", "Bearer admin-token", "Origin",
                "http://evil.example"));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(streams.sessions).isEmpty();

        connect("", new Received(), "Authorization", "Bearer admin-token", "Origin", "http://127.0.0.1:" + port)
                .get(10, TimeUnit.SECONDS);
        assertThat(streams.sessions).as("a page the node serves").hasSize(1);
    }

    @Test
    void aFullNodeRefusesTheUpgradeWith503AndRetryAfter() throws Exception {
        streams.refusal = new NexusException(ErrorCode.OVERLOADED, "the node serves 2000 streams, its maximum",
                Duration.ofSeconds(7));
        start(streams);

        HttpResponse<?> full = refused(connect("", new Received(), as("viewer")));
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.headers().firstValue("Retry-After")).hasValue("7");

        HttpResponse<String> events = get(SseServlet.PATTERN + "?path=p/a", as("viewer"));
        assertThat(problem(events, 503, "OVERLOADED").path("detail").asText()).isEqualTo("the node serves 2000 streams, its maximum");
        assertThat(events.headers().firstValue("Retry-After")).hasValue("7");
    }

    @Test
    void withoutTheStreamServiceStreamsAre503() throws Exception {
        start(null);
        assertThat(refused(connect("", new Received(), as("viewer"))).statusCode()).isEqualTo(503);
        problem(get(SseServlet.PATTERN + "?path=p/a", as("viewer")), 503, "BACKEND_UNAVAILABLE");
    }

    @Test
    void aPlainGetOfTheWebSocketIs426SayingWhatToUse() throws Exception {
        start(streams);
        HttpResponse<String> plain = get(AccessFilter.STREAMS, as("viewer"));

        assertThat(problem(plain, 426, "UPGRADE_REQUIRED").path("detail").asText())
                .contains("connect with a WebSocket client", SseServlet.PATTERN);
        assertThat(plain.headers().firstValue("Upgrade")).hasValue("websocket");
        problem(get(AccessFilter.STREAMS, as("monitor")), 403, "FORBIDDEN");
        assertThat(streams.sessions).isEmpty();
    }

    @Test
    void anIncompleteHandshakeIs400AndItsSessionEnds() throws Exception {
        start(streams);
        String status;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + AccessFilter.STREAMS + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nAuthorization: Bearer viewer-token\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }

        assertThat(status).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(streams.sessions).hasSize(1);
        await(() -> streams.sessions.get(0).closed.get() == 1, "the session opened for the upgrade to end with it");
    }

    @Test
    void eventsCarryTheSubscriptionOfTheQueryStringAndEndWithTheClose() throws Exception {
        start(streams);
        streams.answer = (session, message) -> {
            session.client.send("{\"type\":\"alarms\",\"id\":\"sse\",\"seq\":1}", "r1:41", failure -> { });
            session.client.send("{\"type\":\"heartbeat\"}", null, failure -> { });
            session.client.close(StreamClose.GOING_AWAY, "the node is stopping");
        };
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + SseServlet.PATTERN + "?alarms&severity=HIGH&severity=CRITICAL")).header("Authorization", "Bearer viewer-token")
                .header("Last-Event-ID", "r1:40").build(), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(lines::add);
        }
        assertThat(lines).containsExactly("id: r1:41", "data: {\"type\":\"alarms\",\"id\":\"sse\",\"seq\":1}", "",
                "data: {\"type\":\"heartbeat\"}", "",
                "data: {\"type\":\"close\",\"code\":1001,\"reason\":\"the node is stopping\"}", "");
        FakeSession session = streams.sessions.get(0);
        assertThat(Http.JSON.readTree(session.received.get(0))).isEqualTo(Http.JSON.readTree("{\"type\":\"subscribe\","
                + "\"id\":\"sse\",\"alarms\":{\"severities\":[\"HIGH\",\"CRITICAL\"]},\"resume\":{\"run\":\"r1\",\"sequence\":40}}"));
        assertThat(session.client.transport()).isEqualTo("sse");
        await(() -> session.closed.get() == 1, "the session to end");
    }

    @Test
    void aTicketOpensAnEventStream() throws Exception {
        start(streams);
        streams.answer = (session, message) -> session.client.close(StreamClose.NORMAL, "done");
        HttpResponse<String> issued = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/stream/tickets")).POST(HttpRequest.BodyPublishers.noBody()).header("Authorization",
                        "Bearer viewer-token").build(), HttpResponse.BodyHandlers.ofString());
        String ticket = Http.JSON.readTree(issued.body()).path("ticket").asText();

        JsonNode notAStream = problem(get(SseServlet.PATTERN + "?path=p/a&ticket=" + ticket), 401, "UNAUTHENTICATED");
        assertThat(notAStream.path("detail").asText()).as("says why the ticket did not count")
                .contains("a ticket opens a stream only", "Accept: text/event-stream");
        HttpResponse<String> events = get(SseServlet.PATTERN + "?path=p/a&ticket=" + ticket, "Accept", "text/event-stream");

        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.body()).isEqualTo("data: {\"type\":\"close\",\"code\":1000,\"reason\":\"done\"}\n\n");
        assertThat(streams.sessions.get(0).client.caller().user()).isEqualTo("viewer-user");
        assertThat(Http.JSON.readTree(streams.sessions.get(0).received.get(0)).has("ticket")).isFalse();
    }

    @Test
    void aSubscriptionTheServiceRefusesIs400WithItsError() throws Exception {
        start(streams);
        streams.answer = (session, message) -> session.client.send("{\"type\":\"error\",\"id\":\"sse\",\"code\":\"QUERY_REJECTED\","
                + "\"message\":\"only SELECT statements are allowed\"}", null, failure -> { });

        HttpResponse<String> refused = get(SseServlet.PATTERN + "?sql=DELETE+FROM+tags", as("viewer"));

        JsonNode problem = problem(refused, 400, "QUERY_REJECTED");
        assertThat(problem.path("detail").asText()).isEqualTo("only SELECT statements are allowed");
        await(() -> streams.sessions.get(0).closed.get() == 1, "the session to end");
    }

    @Test
    void aWrongParameterIs400BeforeAnyStreamOpens() throws Exception {
        start(streams);
        assertThat(problem(get(SseServlet.PATTERN + "?paths=p/a", as("viewer")), 400, "INVALID_ARGUMENT").path("detail")
                .asText()).startsWith("unknown parameter 'paths'");
        problem(get(SseServlet.PATTERN + "?path=p/a"), 401, "UNAUTHENTICATED");
        problem(get(SseServlet.PATTERN + "?path=p/a", as("monitor")), 403, "FORBIDDEN");
        assertThat(streams.sessions).isEmpty();
    }

    @Test
    void anEventStreamWhoseClientLeftEndsItsSession() throws Exception {
        start(streams);
        streams.answer = (session, message) -> session.client.send("{\"type\":\"data\"}", null, failure -> { });
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + SseServlet.PATTERN + "?path=p/a")).header("Authorization", "Bearer viewer-token").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(reader.readLine()).isEqualTo("data: {\"type\":\"data\"}");
        FakeSession session = streams.sessions.get(0);

        reader.close();

        await(() -> {
            try {
                return session.sendAndWait("{\"type\":\"heartbeat\"}", null) != null;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "a send to fail once the client left");
        await(() -> session.closed.get() == 1, "the session to end");
    }
}
