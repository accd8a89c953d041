package nexus.api.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import nexus.stream.StreamClose;

/**
 * One Server-Sent Events stream of {@code GET /api/v1/stream/sse}: each message of the stream
 * session is one event ({@code data: <json>}, with {@code id: <run>:<sequence>} for alarm events),
 * and a close is a last {@code close} message before the response ends. The answer is decided by
 * the session's first message: an {@code error} (the subscription was refused) is answered 400 with
 * a problem carrying its code and message instead of a stream.
 *
 * <p>Output is non-blocking (a {@link WriteListener}): events wait in order here until the container
 * can take them, and each one's {@code done} is called once it was handed over or failed; the stream
 * service bounds what waits. A close for {@link StreamClose#SLOW_CONSUMER} ends the response without
 * the close message, which would wait behind what the client did not read. Callbacks into the
 * service run outside this object's lock, so a service thread that sends while holding its own lock
 * cannot deadlock with a container thread that completes a write.
 */
final class SseStream extends StreamConnection implements WriteListener, AsyncListener {

    private static final Logger LOG = LoggerFactory.getLogger(SseStream.class);

    /** One event on its way out. */
    private record Pending(byte[] bytes, Consumer<Throwable> done) {
    }

    private final HttpServletResponse response;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private AsyncContext async;
    private ServletOutputStream output;
    /** Whether the first message decided the answer (a stream, or a refusal). */
    private boolean answered;
    /** Whether the response ends once the queue is written. */
    private boolean closing;
    private boolean completed;

    SseStream(Requester requester, String remote, HttpServletResponse response) {
        super(requester, "sse", remote);
        this.response = response;
    }

    /** Starts writing, once the session is open and the request is asynchronous. */
    void start(AsyncContext context) throws IOException {
        ServletOutputStream stream = context.getResponse().getOutputStream();
        synchronized (this) {
            async = context;
            output = stream;
        }
        context.addListener(this);
        stream.setWriteListener(this);
    }

    @Override
    public void send(String message, String resumeId, Consumer<Throwable> done) {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            if (completed) {
                after.add(() -> done.accept(new IOException("the event stream has ended")));
            } else {
                byte[] bytes = answered ? event(message, resumeId) : answer(message, resumeId);
                queue.add(new Pending(bytes, done));
                flush(after);
            }
        }
        after.forEach(Runnable::run);
    }

    /**
     * The first message decides the answer: a refusal of the subscription is a 400 problem, anything
     * else starts the event stream.
     *
     * @return what goes out first
     */
    private byte[] answer(String message, String resumeId) {
        answered = true;
        JsonNode first = parsed(message);
        if (first != null && first.path("type").asText().equals("error")) {
            closing = true;
            String code = first.path("code").asText("INVALID_ARGUMENT");
            response.setStatus(400);
            response.setContentType(Problems.CONTENT_TYPE);
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            try {
                return Http.JSON.writeValueAsBytes(Problems.document(400, code, "Subscription refused",
                        first.path("message").asText()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a problem document cannot be written", e);
            }
        }
        streamHeaders();
        return event(message, resumeId);
    }

    private void streamHeaders() {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no"); // a proxy in front must not hold events back
    }

    @Override
    public void close(int code, String reason) {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            if (completed || closing) {
                return;
            }
            closing = true;
            if (!answered) {
                answered = true;
                streamHeaders();
            }
            if (code == StreamClose.SLOW_CONSUMER) {
                LOG.debug("event stream of {} from {} dropped: {}", caller().user(), remote(), reason);
                end(new IOException("the stream was closed: " + reason), after);
            } else {
                ObjectNode close = Http.JSON.createObjectNode().put("type", "close").put("code", code).put("reason", reason);
                queue.add(new Pending(event(close.toString(), null), failure -> { }));
                flush(after);
            }
        }
        after.forEach(Runnable::run);
    }

    @Override
    public void onWritePossible() {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            flush(after);
        }
        after.forEach(Runnable::run);
    }

    /** Writes while the container takes it without blocking; the rest waits for {@link #onWritePossible}. */
    private void flush(List<Runnable> after) {
        if (output == null || completed) {
            return;
        }
        try {
            while (!queue.isEmpty() && output.isReady()) {
                Pending next = queue.poll();
                output.write(next.bytes());
                after.add(() -> next.done().accept(null));
                if (output.isReady()) {
                    output.flush(); // an event is sent now, not when the container's buffer fills
                }
            }
            if (queue.isEmpty() && closing && output.isReady()) {
                end(null, after);
            }
        } catch (IOException | IllegalStateException e) {
            end(e, after);
        }
    }

    /**
     * Ends the response and the session; what still waits fails with the cause.
     *
     * @param cause why, or null for an orderly end
     */
    private void end(Throwable cause, List<Runnable> after) {
        if (completed) {
            return;
        }
        completed = true;
        Throwable failure = cause != null ? cause : new IOException("the event stream has ended");
        for (Pending pending; (pending = queue.poll()) != null;) {
            Consumer<Throwable> done = pending.done();
            after.add(() -> done.accept(failure));
        }
        AsyncContext context = async;
        if (context != null) {
            after.add(() -> {
                try {
                    context.complete();
                } catch (IllegalStateException alreadyOver) {
                    LOG.debug("event stream of {} from {} was over already", caller().user(), remote());
                }
            });
        }
        after.add(this::ended);
    }

    private void failed(Throwable cause) {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            end(cause, after);
        }
        after.forEach(Runnable::run);
    }

    @Override
    public void onError(Throwable failure) {
        LOG.debug("event stream of {} from {} failed: {}", caller().user(), remote(), failure.toString());
        failed(failure);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        failed(null);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        failed(new IOException("the event stream timed out"));
    }

    @Override
    public void onError(AsyncEvent event) {
        failed(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // the stream is started once, by the servlet
    }

    /**
     * @param json     one JSON message
     * @param resumeId the event's id, or null
     * @return the Server-Sent Event that carries it: {@code id:} when given, one {@code data:} line
     *         per line of the message, and the blank line that ends the event
     */
    static byte[] event(String json, String resumeId) {
        StringBuilder event = new StringBuilder(json.length() + 32);
        if (resumeId != null) {
            event.append("id: ").append(resumeId.replaceAll("[\r\n]", "")).append('\n');
        }
        for (String line : json.split("\r\n|\r|\n", -1)) {
            event.append("data: ").append(line).append('\n');
        }
        return event.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode parsed(String message) {
        try {
            return Http.JSON.readTree(message);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
