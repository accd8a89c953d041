package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
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

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.DispatcherType;
import nexus.core.NexusException;
import nexus.stream.StreamClient;
import nexus.stream.StreamInfo;
import nexus.stream.StreamService;
import nexus.stream.StreamSession;
/**
 * What the stream transport tests share: the bundle's filters and both stream servlets in a Jetty
 * server with its WebSocket support, chained as the whiteboard chains them, real clients (the JDK's
 * WebSocket and HTTP clients) over loopback, and a fake stream service that records what the
 * transports hand it and answers as told.
 */
abstract class StreamTransportFixture {

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
        final FakeStreams service;

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
        final StringBuilder partial = new StringBuilder();

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

    final TestAccess access = new TestAccess();
    final FakeStreams streams = new FakeStreams();
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    Server server;
    int port;

    void start(StreamService service) throws Exception {
        start(service, StreamServlet.PING_EVERY, StreamServlet.SILENT);
    }

    void start(StreamService service, Duration pingEvery, Duration silent) throws Exception {
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

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s for " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** @param headers name, value, name, value… */
    CompletableFuture<WebSocket> connect(String query, WebSocket.Listener listener, String... headers) {
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.buildAsync(URI.create("ws://127.0.0.1:" + port + AccessFilter.STREAMS + query), listener);
    }

    static String[] as(String role) {
        return new String[] { "Authorization", "Bearer " + role + "-token" };
    }

    /** @return the status of the answer that refused a handshake */
    static HttpResponse<?> refused(CompletableFuture<WebSocket> handshake) {
        Throwable failure = null;
        try {
            handshake.join();
        } catch (CompletionException e) {
            failure = e.getCause();
        }
        assertThat(failure).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure).getResponse();
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode problem(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith(Problems.CONTENT_TYPE);
        JsonNode problem = Http.JSON.readTree(response.body());
        assertThat(problem.path("code").asText()).isEqualTo(code);
        return problem;
    }

}
