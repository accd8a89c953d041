package nexus.api.http.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.stream.StreamClose;

/**
 * One WebSocket connection of {@code /api/v1/stream}: text frames from the client go to the stream
 * session, the session's messages go out as text frames. Public because Jetty calls the listener
 * methods reflectively.
 *
 * <p>Sending never blocks: a frame is queued in Jetty and its callback tells the service when it
 * left (the service bounds what is outstanding per connection). Messages the service sends, and a
 * close it asks for, between opening the session and the end of the upgrade wait here for the socket
 * to open. A binary frame is
 * refused with 1003 (the protocol is JSON text); a text message above
 * {@link StreamServlet#MAX_MESSAGE} is closed with 1009 by Jetty. A close for
 * {@link StreamClose#SLOW_CONSUMER} drops the connection instead of sending a close frame: the
 * client does not read, so the frame would wait behind everything it did not read. {@link StreamPings}
 * pings the open socket; every frame from the client (a pong, a message) counts as hearing from it.
 */
public final class StreamSocket extends StreamConnection implements Session.Listener.AutoDemanding, StreamPings.Pinged {

    private static final Logger LOG = LoggerFactory.getLogger(StreamSocket.class);

    /** The most bytes of UTF-8 a close frame's reason holds. */
    static final int MAX_REASON = 123;

    /** A message sent before the socket opened. */
    private record Early(String message, Consumer<Throwable> done) {
    }

    /** A close asked for before the socket opened. */
    private record Close(int code, String reason) {
    }

    private static final ByteBuffer PING = ByteBuffer.allocate(0);

    private final StreamPings pings;
    private Session socket;
    private List<Early> early = new ArrayList<>();
    private Close earlyClose;
    /** When a frame last came from the client (the upgrade, at first), {@link System#nanoTime}. */
    private volatile long lastHeard = System.nanoTime();

    StreamSocket(Requester requester, String remote, StreamPings pings) {
        super(requester, "websocket", remote);
        this.pings = pings;
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        LOG.debug("stream of {} opened from {}", caller().user(), remote());
        heard();
        pings.add(this);
        Close close;
        while (true) {
            List<Early> waiting;
            synchronized (this) {
                if (early.isEmpty()) {
                    // From now on send() writes directly: everything sent before went out first, in order.
                    socket = opened;
                    early = null;
                    close = earlyClose;
                    break;
                }
                waiting = early;
                early = new ArrayList<>();
            }
            // Written outside the lock: a failing write calls the service back at once.
            for (Early message : waiting) {
                write(opened, message.message(), message.done());
            }
        }
        if (close != null) {
            close(opened, close.code(), close.reason());
        }
    }

    @Override
    public void onWebSocketText(String message) {
        heard();
        received(message);
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        heard();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        heard();
        Session current = opened();
        if (current != null) {
            current.sendPong(payload, Callback.NOOP); // RFC 6455 5.5.2; a listener that takes pings answers them itself
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        heard();
        callback.succeed();
        Session current = opened();
        if (current != null) {
            current.close(StreamClose.UNSUPPORTED, "binary messages are not taken: send JSON text messages (docs/streams.md)",
                    Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketClose(int status, String reason) {
        LOG.debug("stream of {} from {} closed: {} {}", caller().user(), remote(), status, reason);
        pings.remove(this);
        ended();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("stream of {} from {} failed: {}", caller().user(), remote(), cause.toString());
        pings.remove(this);
        ended();
    }

    private void heard() {
        lastHeard = System.nanoTime();
    }

    @Override
    public long lastHeard() {
        return lastHeard;
    }

    @Override
    public void ping() {
        Session current = opened();
        if (current != null) {
            current.sendPing(PING.duplicate(), Callback.NOOP); // a failure shows as the socket's error or close
        }
    }

    /**
     * The client answered no ping for so long: the stream ends now (its slot is free at once), and
     * the close frame, which a client that does not read never sees, is followed by a disconnect
     * once written, without waiting for the client's answer.
     */
    @Override
    public void silent(Duration silent) {
        Session current = opened();
        if (current == null) {
            return;
        }
        LOG.debug("stream of {} from {} dropped: no answer to pings for {}", caller().user(), remote(), silent);
        current.close(StreamClose.SLOW_CONSUMER, "did not answer pings for " + silent.toSeconds() + " s",
                Callback.from(current::disconnect, failure -> current.disconnect()));
        ended();
    }

    @Override
    public void send(String message, String resumeId, Consumer<Throwable> done) {
        Session current;
        synchronized (this) {
            current = socket;
            if (current == null) {
                early.add(new Early(message, done));
                return;
            }
        }
        write(current, message, done);
    }

    private static void write(Session session, String message, Consumer<Throwable> done) {
        session.sendText(message, Callback.from(() -> done.accept(null), done));
    }

    @Override
    public void close(int code, String reason) {
        Session current;
        synchronized (this) {
            current = socket;
            if (current == null) {
                earlyClose = new Close(code, reason); // done once the socket opens
                return;
            }
        }
        close(current, code, reason);
    }

    private void close(Session current, int code, String reason) {
        if (code == StreamClose.SLOW_CONSUMER) {
            LOG.debug("stream of {} from {} dropped: {}", caller().user(), remote(), reason);
            pings.remove(this);
            current.disconnect();
            ended();
            return;
        }
        current.close(code, fitted(reason), Callback.from(() -> { }, failure -> current.disconnect()));
    }

    /** @return the reason cut to the 123 bytes of UTF-8 a close frame holds (RFC 6455 5.5.1), at a character */
    static String fitted(String reason) {
        if (reason == null) {
            return null;
        }
        StringBuilder fitted = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < reason.length(); i = reason.offsetByCodePoints(i, 1)) {
            int codePoint = reason.codePointAt(i);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > MAX_REASON) {
                break;
            }
            bytes += size;
            fitted.appendCodePoint(codePoint);
        }
        return fitted.toString();
    }

    private synchronized Session opened() {
        return socket;
    }
}
