package nexus.stream;

/**
 * The close codes a stream ends with (WebSocket close codes; Server-Sent Events send them in a last
 * {@code close} message). docs/streams.md lists what a client should do for each.
 *
 * @since 1.0
 */
public final class StreamClose {

    /** The client closed, or the service ended normally. */
    public static final int NORMAL = 1000;
    /** The node is stopping, or the stream service went away: reconnect later. */
    public static final int GOING_AWAY = 1001;
    /** A binary message: the protocol is JSON text (WebSocket 1003). */
    public static final int UNSUPPORTED = 1003;
    /** The node could not send a message (the transport failed): reconnect (WebSocket 1011). */
    public static final int INTERNAL_ERROR = 1011;
    /** A message larger than {@link StreamSession#MESSAGE_BYTES_MAX} (WebSocket 1009). */
    public static final int TOO_BIG = 1009;
    /** The connection's identity ended: its token was revoked, its roles changed or its JWT expired. */
    public static final int IDENTITY_ENDED = 4001;
    /** The client took too long to read: its buffer stayed full past the stall time. */
    public static final int SLOW_CONSUMER = 4008;
    /** The client sent more messages than the inbound rate allows. */
    public static final int TOO_MANY_MESSAGES = 4029;

    private StreamClose() {
    }
}
