package nexus.mcp.internal;

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
import jakarta.servlet.http.HttpServletResponse;

/**
 * Reads an MCP request's body without a thread waiting for it (servlet non-blocking I/O): a client
 * that declares a body and sends it slowly or never would otherwise hold a request thread until the
 * connection's idle timeout (30 s), and a few hundred of them hold every thread of the node
 * ({@code /health} included). The same rule as the HTTP API's (nexus.api.http's {@code AsyncBody}),
 * kept here because bundles share no internal code. Thread-safe: each call works on its own request.
 */
final class McpBody {

    private static final Logger LOG = LoggerFactory.getLogger(McpBody.class);

    /** How long a message's body may take to arrive whole. */
    static final Duration BODY_WAIT = Duration.ofSeconds(10);
    /** How long a refused body is read away before the refusal is sent and the connection closed. */
    static final Duration DRAIN_WAIT = Duration.ofSeconds(1);

    /** What to do once the read ended; runs on the thread that ended it, and the request completes after it. */
    @FunctionalInterface
    interface Then {
        /**
         * @param whole whether the body's end was read (else it was longer than the limit, late, or broken)
         * @param kept  its first bytes, as many as asked to keep
         */
        void ended(boolean whole, byte[] kept) throws IOException;
    }

    private McpBody() {
    }

    /** @return whether this request's body can be read asynchronously: the container supports it here */
    static boolean possible(HttpServletRequest request) {
        return request.isAsyncSupported() && !request.isAsyncStarted();
    }

    /**
     * Starts reading the body: keeps its first {@code keep} bytes, reads at most {@code limit}, waits
     * at most {@code wait}. Returns at once; the caller must not touch the response afterwards.
     *
     * @throws IllegalStateException when not {@link #possible}
     */
    static void read(HttpServletRequest request, HttpServletResponse response, int keep, long limit, Duration wait, Then then)
            throws IOException {
        ServletInputStream in = request.getInputStream();
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(wait.toMillis());
        Reader reader = new Reader(in, async, keep, limit, then);
        async.addListener(reader);
        in.setReadListener(reader);
    }

    /** One body read; ends once, by the body's end, its excess, an error or the timeout. */
    private static final class Reader implements ReadListener, AsyncListener {
        private final ServletInputStream in;
        private final AsyncContext async;
        private final int keep;
        private final long limit;
        private final Then then;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[8192];
        private long read;

        Reader(ServletInputStream in, AsyncContext async, int keep, long limit, Then then) {
            this.in = in;
            this.async = async;
            this.keep = keep;
            this.limit = limit;
            this.then = then;
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
            LOG.debug("an MCP request body could not be read: {}", failure.toString());
            end(false);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            end(false);
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
                then.ended(whole, kept.toByteArray());
            } catch (IOException | RuntimeException e) {
                LOG.debug("the MCP answer could not be sent: {}", e.toString());
            } finally {
                async.complete();
            }
        }
    }
}
