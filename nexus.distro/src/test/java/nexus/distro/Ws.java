package nexus.distro;

import static org.junit.Assert.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A stream client for the ITs: the JDK's WebSocket client over real loopback, collecting whole
 * text messages as JSON and the close. {@link #pause()} stops reading (no demand: the JDK client then
 * stops taking bytes from the socket, and TCP pushes back on the node); {@link #resume()} reads on.
 */
final class Ws implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean paused;
    private WebSocket socket;

    /** Opens a stream; {@code token} may be null (open mode, or a ticket in the query). */
    static Ws open(HttpClient http, URI ws, String token, boolean paused) {
        Ws client = new Ws();
        client.paused = paused;
        WebSocket.Builder builder = http.newWebSocketBuilder();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        client.socket = builder.buildAsync(ws, client).join();
        return client;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (!paused) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                closed.complete("not JSON: " + partial);
            }
            partial.setLength(0);
        }
        if (!paused) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
        closed.complete(code + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete("error " + error);
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
        socket.request(1);
    }

    /** @return the next message, skipping heartbeats; fails after 15 s */
    JsonNode next() throws InterruptedException {
        return next(m -> !m.path("type").asText().equals("heartbeat"));
    }

    /** @return the next message that matches, dropping the ones before it; fails after 15 s */
    JsonNode next(Predicate<JsonNode> wanted) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            JsonNode message = messages.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull("a message within 15 s (closed: " + closed.getNow("no") + ")", message);
            if (wanted.test(message)) {
                return message;
            }
        }
    }

    /** @return how the stream ended, waiting up to 15 s */
    String awaitClose() throws Exception {
        return awaitClose(15);
    }

    /** @return how the stream ended, waiting up to this many seconds */
    String awaitClose(int seconds) throws Exception {
        return closed.get(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        socket.abort();
    }
}
