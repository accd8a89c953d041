package nexus.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.stream.StreamClose;
/** The Server-Sent Events transport over real loopback ({@link StreamTransportFixture}). */
class SseTransportTest extends StreamTransportFixture {

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
