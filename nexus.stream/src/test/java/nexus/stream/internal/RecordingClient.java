package nexus.stream.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import nexus.core.Caller;
import nexus.stream.StreamClient;

/**
 * A transport that records what it is sent. Running, it completes every send at once; paused, it
 * keeps the done callbacks until {@link #resume}, as a client that does not read.
 */
final class RecordingClient implements StreamClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Caller caller;
    private final List<JsonNode> received = new ArrayList<>();
    private final List<Consumer<Throwable>> withheld = new ArrayList<>();
    private boolean paused;
    /** Every send fails from now on (the connection was reset). */
    volatile boolean failing;
    /** Every send throws from now on (the transport refuses it). */
    volatile boolean throwing;
    volatile boolean current = true;
    /** The resume ids of the sends, in order (null for messages without one). */
    final List<String> resumeIds = new ArrayList<>();
    /** The thread of the last send. */
    volatile String sendThread;
    Integer closeCode;
    String closeReason;

    RecordingClient(String user) {
        this.caller = Caller.of(user, "test");
    }

    @Override
    public Caller caller() {
        return caller;
    }

    @Override
    public boolean current() {
        return current;
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public String remote() {
        return "127.0.0.1:50000";
    }

    @Override
    public void send(String message, String resumeId, Consumer<Throwable> done) {
        sendThread = Thread.currentThread().getName();
        if (throwing) {
            throw new IllegalStateException("the transport is broken");
        }
        if (failing) {
            done.accept(new java.io.IOException("connection reset"));
            return;
        }
        Consumer<Throwable> callback;
        synchronized (this) {
            try {
                resumeIds.add(resumeId);
                received.add(JSON.readTree(message));
            } catch (JsonProcessingException e) {
                throw new AssertionError("the engine sent a message that is not JSON: " + message, e);
            }
            if (paused) {
                withheld.add(done);
                return;
            }
            callback = done;
        }
        callback.accept(null);
    }

    @Override
    public synchronized void close(int code, String reason) {
        closeCode = code;
        closeReason = reason;
    }

    synchronized void pause() {
        paused = true;
    }

    /** Completes every withheld send, and sends at once from now on. */
    void resume() {
        List<Consumer<Throwable>> callbacks;
        synchronized (this) {
            paused = false;
            callbacks = new ArrayList<>(withheld);
            withheld.clear();
        }
        callbacks.forEach(done -> done.accept(null));
    }

    /** @return every message received so far, and forgets them */
    synchronized List<JsonNode> take() {
        List<JsonNode> all = new ArrayList<>(received);
        received.clear();
        return all;
    }
}
