package nexus.stream;

import java.util.function.Consumer;

import org.osgi.annotation.versioning.ConsumerType;

import nexus.core.Caller;

/**
 * A client connection as a transport (WebSocket, Server-Sent Events) carries it: who it is, and how
 * to send to it. Implemented by transports; the {@link StreamService} calls it.
 *
 * @since 1.0
 */
@ConsumerType
public interface StreamClient {

    /** @return who the connection acts as; every subscription sees what this caller may read */
    Caller caller();

    /**
     * @return whether the connection's identity still holds (a revoked token, changed roles or an
     *         expired JWT end it); asked about once a second, and the connection is closed with
     *         {@link StreamClose#IDENTITY_ENDED} as soon as it does not
     */
    boolean current();

    /** @return the transport's name for the console: {@code websocket} or {@code sse} */
    String transport();

    /** @return where the client connects from, for the console (an address and port) */
    String remote();

    /**
     * Sends one message without waiting: the transport queues it and calls {@code done} once, with
     * {@code null} when it was written out or with the failure. The service calls it from one
     * thread at a time per connection, and counts the bytes of messages not yet done against the
     * connection's buffer.
     *
     * @param message  a JSON text of docs/streams.md
     * @param resumeId for an alarm event, what a client resumes after ({@code <run>:<sequence>},
     *                 Server-Sent Events' {@code id:}); {@code null} for every other message
     * @param done     called once when the message left or could not be sent
     */
    void send(String message, String resumeId, Consumer<Throwable> done);

    /**
     * Ends the connection with a close code and a reason ({@link StreamClose}); the transport then
     * calls {@link StreamSession#closed()}. A connection that cannot take the close frame (it does
     * not read) is dropped.
     */
    void close(int code, String reason);
}
