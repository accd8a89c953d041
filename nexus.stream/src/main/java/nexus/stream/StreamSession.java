package nexus.stream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One client connection as the {@link StreamService} serves it. Thread-safe; the transport calls
 * {@link #receive} from whatever thread reads the connection.
 *
 * @since 1.0
 */
@ProviderType
public interface StreamSession {

    /**
     * The longest message a client may send, in UTF-8 bytes: a transport refuses a longer one (a
     * WebSocket closes with {@link StreamClose#TOO_BIG}), and {@link #receive} closes the connection
     * with it too, for any transport.
     */
    int MESSAGE_BYTES_MAX = 64 * 1024;

    /**
     * Takes one message from the client (a JSON text of docs/streams.md). A bad message is answered
     * with an {@code error} message naming the request id and the reason; the connection and its other
     * subscriptions go on. A client that sends faster than allowed is closed with
     * {@link StreamClose#TOO_MANY_MESSAGES}. Never blocks on I/O.
     */
    void receive(String message);

    /** The connection ended (the client left, or the transport closed it): every subscription ends. */
    void closed();
}
