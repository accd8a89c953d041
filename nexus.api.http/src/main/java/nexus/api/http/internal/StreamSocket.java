package nexus.api.http.internal;

import java.nio.ByteBuffer;
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
 * client does not read, so the frame would wait behind everything it did not read.
 */
public final class StreamSocket extends StreamConnection implements Session.Listener.AutoDemanding {

    private static final Logger LOG = LoggerFactory.getLogger(StreamSocket.class);

    /** The most bytes of UTF-8 a close frame's reason holds. */
    static final int MAX_REASON = 123;

    /** A message sent before the socket opened. */
    private record Early(String message, Consumer<Throwable> done) {
    }

    /** A close asked for before the socket opened. */
    private record Close(int code, String reason) {
    }

    private Session socket;
    private List<Early> early = new ArrayList<>();
    private Close earlyClose;

    StreamSocket(Requester requester, String remote) {
        super(requester, "websocket", remote);
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        LOG.debug("stream of {} opened from {}", caller().user(), remote());
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
        received(message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
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
        ended();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("stream of {} from {} failed: {}", caller().user(), remote(), cause.toString());
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
