package nexus.api.http.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Reads away the unread body of a request before its answer — a refusal (401, 403, 413, a route's
 * permission) or a route that ignores the body it was sent — without letting a client that never
 * sends the body hold a request thread.
 *
 * <p>Why the body is read at all: a connection closed with bytes unread is reset by TCP, and the
 * reset can overtake the answer, so the client reads "connection reset" instead of the refusal. Why
 * not simply read it: a client that declares a body ({@code Content-Length: 1000} or chunked) and
 * sends nothing would block the reading thread until the connection's idle timeout (30 s), and a
 * few hundred such clients took every request thread, delaying {@code /health} by 22 s.
 *
 * <p>So the body is read asynchronously (servlet non-blocking I/O): no thread waits for it. What
 * arrives within {@link #WAIT}, up to {@link Http#DRAIN_MAX} bytes, is read away and the answer keeps
 * the connection usable; a body that is not whole by then, or is longer, gets the answer at once
 * with {@code Connection: close}. A request without a body, or on a servlet that does not support
 * asynchronous processing, is answered at once (in the latter case with {@code Connection: close}
 * when it declares a body). Thread-safe: each call works on its own request.
 */
final class BodyDrain {

    private static final Logger LOG = LoggerFactory.getLogger(BodyDrain.class);

    /** How long an answer waits for the rest of a body before it is sent and the connection closed. */
    static final Duration WAIT = Duration.ofSeconds(1);

    /** Writes the answer; runs on whichever thread the drain ends on. */
    @FunctionalInterface
    interface Answer {
        void write(HttpServletResponse response) throws IOException;
    }

    private BodyDrain() {
    }

    /**
     * Reads the request's body away, asynchronously and within {@link #WAIT}, then writes the answer.
     * Returns at once; the answer may be written later on another thread, so the caller must not
     * touch the response after this call.
     *
     * @param status the status the answer will have, set at once so that whoever counts the request
     *               on this thread (metrics) sees it
     */
    static void thenAnswer(HttpServletRequest request, HttpServletResponse response, int status, Answer answer)
            throws IOException {
        response.setStatus(status);
        long length = request.getContentLengthLong();
        boolean declared = length > 0 || request.getHeader("Transfer-Encoding") != null;
        if (!declared) {
            answer.write(response);
            return;
        }
        ServletInputStream in;
        try {
            in = request.getInputStream();
        } catch (IllegalStateException e) {
            // The body was taken as a reader: whatever it left, this cannot read.
            response.setHeader("Connection", "close");
            answer.write(response);
            return;
        }
        if (in.isFinished()) {
            answer.write(response); // read whole already: nothing to wait for
            return;
        }
        if (length > Http.DRAIN_MAX || !request.isAsyncSupported() || request.isAsyncStarted()) {
            response.setHeader("Connection", "close");
            answer.write(response);
            return;
        }
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(WAIT.toMillis());
        Drain drain = new Drain(in, async, response, answer);
        async.addListener(drain);
        in.setReadListener(drain);
    }

    /** One body read away: ends once, by the body's end, its excess, an error or the timeout. */
    private static final class Drain implements ReadListener, AsyncListener {
        private final ServletInputStream in;
        private final AsyncContext async;
        private final HttpServletResponse response;
        private final Answer answer;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final byte[] buffer = new byte[8192];
        private long read;

        Drain(ServletInputStream in, AsyncContext async, HttpServletResponse response, Answer answer) {
            this.in = in;
            this.async = async;
            this.response = response;
            this.answer = answer;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!ended.get() && in.isReady()) {
                int n = in.read(buffer);
                if (n < 0) {
                    return; // onAllDataRead follows
                }
                read += n;
                if (read > Http.DRAIN_MAX) {
                    end(true);
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() {
            end(false);
        }

        @Override
        public void onError(Throwable failure) {
            LOG.debug("an unread request body could not be read away: {}", failure.toString());
            end(true);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            end(true); // the body did not come whole within WAIT
        }

        @Override
        public void onError(AsyncEvent event) {
            end(true);
        }

        @Override
        public void onComplete(AsyncEvent event) {
            // nothing to release
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
        }

        private void end(boolean close) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            try {
                if (close) {
                    response.setHeader("Connection", "close");
                }
                answer.write(response);
            } catch (IOException | RuntimeException e) {
                LOG.debug("the answer could not be sent: {}", e.toString());
            } finally {
                async.complete();
            }
        }
    }
}
