package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;


import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.stream.StreamClose;
/** The WebSocket transport over real loopback ({@link StreamTransportFixture}). */
class StreamTransportTest extends StreamTransportFixture {

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
}
