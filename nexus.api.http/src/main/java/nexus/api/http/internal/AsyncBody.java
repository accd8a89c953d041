package nexus.api.http.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Reads request bodies without a thread waiting for them (servlet non-blocking I/O), so that a
 * client that declares a body ({@code Content-Length: 1000} or chunked) and sends it slowly or never
 * cannot hold a request thread until the connection's idle timeout (30 s). A few hundred such
 * clients took every request thread of the node and delayed {@code /health} by 22 s.
 *
 * <ul>
 * <li>{@link #drainThenAnswer}: a refusal (401, 403, 413, a route's permission) or a route that
 * ignores the body it was sent. The body is read away so that the connection stays usable — a
 * connection closed with bytes unread is reset by TCP, and the reset can overtake the answer — but
 * only what arrives within {@link #DRAIN_WAIT}, up to {@link Http#DRAIN_MAX} bytes; a body not whole
 * by then, or longer, gets the answer at once with {@code Connection: close}.</li>
 * <li>{@link #readThen}: a JSON body a route will parse, read whole into memory (up to the body
 * limit and one byte more, so that the route still sees a body too large) within
 * {@link #BODY_WAIT}; the route then runs on the thread that read its end.</li>
 * </ul>
 * A request on a servlet that does not support asynchronous processing cannot be read this way: it
 * is answered at once, with {@code Connection: close} when it has an unread body. Thread-safe: each
 * call works on its own request.
 */
final class AsyncBody {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncBody.class);

    /** How long an answer waits for the rest of a body it does not need before it is sent and the connection closed. */
    static final Duration DRAIN_WAIT = Duration.ofSeconds(1);

    /**
     * How long a route waits for the whole of a JSON body it needs: a 64 KiB body takes this long at
     * 6.5 KiB/s; a client slower than that gets 400 and the connection is closed.
     */
    static final Duration BODY_WAIT = Duration.ofSeconds(10);

    /** Writes an answer; runs on whichever thread the read ends on. */
    @FunctionalInterface
    interface Answer {
        void write(HttpServletResponse response) throws IOException;
    }

    /** What a route does with its body once read; runs on the thread that read the body's end. */
    @FunctionalInterface
    interface Then {
        /**
         * @param body the body, whole or (when longer than asked) the part kept; null when it did not
         *             arrive whole within {@link #BODY_WAIT} or could not be read
         */
        void received(byte[] body) throws IOException;
    }

    private AsyncBody() {
    }

    /**
     * Reads the request's unread body away, asynchronously and within {@link #DRAIN_WAIT}, then
     * writes the answer. Returns at once; the answer may be written later on another thread, so the
     * caller must not touch the response after this call.
     *
     * @param status the status the answer will have, set at once so that whoever counts the request
     *               on this thread (metrics) sees it
     */
    static void drainThenAnswer(HttpServletRequest request, HttpServletResponse response, int status, Answer answer)
            throws IOException {
        response.setStatus(status);
        ServletInputStream in = unread(request);
        if (in == null) {
            answer.write(response);
            return;
        }
        if (request.getContentLengthLong() > Http.DRAIN_MAX || !request.isAsyncSupported() || request.isAsyncStarted()) {
            response.setHeader("Connection", "close");
            answer.write(response);
            return;
        }
        start(request, response, in, DRAIN_WAIT, 0, Http.DRAIN_MAX, (whole, kept) -> {
            if (!whole) {
                response.setHeader("Connection", "close");
            }
            answer.write(response);
        });
    }

    /**
     * Reads the body asynchronously, keeping up to {@code keep} bytes, then hands it on.
     *
     * @return false when the body cannot be read asynchronously here (no body, a servlet without
     *         async support, async already started): the caller then reads it as before; true when
     *         {@code then} will be called, on another thread or this one, and the response completed
     *         after it
     */
    static boolean readThen(HttpServletRequest request, HttpServletResponse response, int keep, Then then) throws IOException {
        ServletInputStream in = unread(request);
        if (in == null || !request.isAsyncSupported() || request.isAsyncStarted()) {
            return false;
        }
        // Longer than kept: the route sees it too large; short of it and not whole: it did not come.
        start(request, response, in, BODY_WAIT, keep, keep, (whole, kept) -> then.received(whole || kept.length >= keep
                ? kept : null));
        return true;
    }

    /** @return the request with this body, read already, as its input */
    static HttpServletRequest withBody(HttpServletRequest request, byte[] body) {
        return new HttpServletRequestWrapper(request) {
            private final ByteArrayInputStream bytes = new ByteArrayInputStream(body);
            private final ServletInputStream in = new ServletInputStream() {
                @Override
                public int read() {
                    return bytes.read();
                }

                @Override
                public int read(byte[] into, int offset, int length) {
                    return bytes.read(into, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return bytes.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body was read already: read it as a stream");
                }
            };

            @Override
            public ServletInputStream getInputStream() {
                return in;
            }

            @Override
            public java.io.BufferedReader getReader() {
                String encoding = getCharacterEncoding();
                return new java.io.BufferedReader(new java.io.InputStreamReader(in,
                        encoding == null ? java.nio.charset.StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
            }
        };
    }

    /** @return the request's input when it declares a body not read to its end yet, else null */
    private static ServletInputStream unread(HttpServletRequest request) throws IOException {
        long length = request.getContentLengthLong();
        if (length <= 0 && request.getHeader("Transfer-Encoding") == null) {
            return null;
        }
        try {
            ServletInputStream in = request.getInputStream();
            return in.isFinished() ? null : in;
        } catch (IllegalStateException e) {
            return null; // taken as a reader by whoever read it
        }
    }

    private static void start(HttpServletRequest request, HttpServletResponse response, ServletInputStream in, Duration wait,
            int keep, long limit, Ending ending) {
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(wait.toMillis());
        Reader reader = new Reader(in, async, keep, limit, ending);
        async.addListener(reader);
        in.setReadListener(reader);
    }

    /** How a read ended: whole (the body's end was read), or not (longer than the limit, late, broken). */
    @FunctionalInterface
    private interface Ending {
        void ended(boolean whole, byte[] kept) throws IOException;
    }

    /**
     * One body read: keeps its first {@code keep} bytes, stops after {@code limit}; ends once, by the
     * body's end, its excess, an error or the timeout, then completes the request.
     */
    private static final class Reader implements ReadListener, AsyncListener {
        private final ServletInputStream in;
        private final AsyncContext async;
        private final int keep;
        private final long limit;
        private final Ending ending;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[8192];
        private long read;

        Reader(ServletInputStream in, AsyncContext async, int keep, long limit, Ending ending) {
            this.in = in;
            this.async = async;
            this.keep = keep;
            this.limit = limit;
            this.ending = ending;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!ended.get() && in.isReady()) {
                int n = in.read(buffer);
                if (n < 0) {
                    return; // onAllDataRead follows
                }
                kept.write(buffer, 0, (int) Math.max(0, Math.min(n, keep - read)));
                read += n;
                if (read > limit) {
                    end(false);
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() {
            end(true);
        }

        @Override
        public void onError(Throwable failure) {
            LOG.debug("a request body could not be read: {}", failure.toString());
            end(false);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            end(false); // the body did not come whole in time
        }

        @Override
        public void onError(AsyncEvent event) {
            end(false);
        }

        @Override
        public void onComplete(AsyncEvent event) {
            // nothing to release
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
        }

        private void end(boolean whole) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            try {
                ending.ended(whole, kept.toByteArray());
            } catch (IOException | RuntimeException e) {
                LOG.debug("the answer could not be sent: {}", e.toString());
            } finally {
                async.complete();
            }
        }
    }
}
