package nexus.api.http.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import nexus.core.Caller;
import nexus.stream.StreamClient;
import nexus.stream.StreamSession;

/**
 * What both stream transports ({@link StreamSocket}, {@link SseStream}) are to the stream service: a
 * client that acts as the identity of the request that opened it. The identity is the request's
 * {@link Requester}, never a new one: a ticket or token checked by {@link AccessFilter} once, and
 * asked again through {@link #current()} while the stream lasts. Tells the session once that the
 * connection ended, whichever way it ended (the client left, a write failed, the service closed it).
 */
abstract class StreamConnection implements StreamClient {

    private final Requester requester;
    private final String transport;
    private final String remote;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile StreamSession session;

    /**
     * @param transport {@code websocket} or {@code sse}
     * @param remote    where the client connects from ({@link StreamGate#remote})
     */
    StreamConnection(Requester requester, String transport, String remote) {
        this.requester = requester;
        this.transport = transport;
        this.remote = remote;
    }

    /**
     * The session the service opened for this connection; messages from the client go to it. A
     * connection that ended while the session was being opened ends it at once.
     */
    final synchronized void attach(StreamSession opened) {
        this.session = opened;
        if (ended.get()) {
            opened.closed();
        }
    }

    /** @return the session, or null before {@link #attach} */
    final StreamSession session() {
        return session;
    }

    /** Hands one message from the client to the session. */
    final void received(String message) {
        StreamSession current = session;
        if (current != null && !ended.get()) {
            current.receive(message);
        }
    }

    /**
     * The connection ended: the session hears it once, however many ways the transport reports it.
     *
     * @return whether this call ended it (false when it had ended already)
     */
    final synchronized boolean ended() {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        StreamSession current = session;
        if (current != null) {
            current.closed();
        }
        return true;
    }

    /** @return whether the connection ended */
    final boolean isEnded() {
        return ended.get();
    }

    @Override
    public final Caller caller() {
        return requester.caller();
    }

    @Override
    public final boolean current() {
        return requester.identity().current();
    }

    @Override
    public final String transport() {
        return transport;
    }

    @Override
    public final String remote() {
        return remote;
    }
}
