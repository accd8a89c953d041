package nexus.stream;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Serves streams to transports. Thread-safe. A transport opens one {@link StreamSession} per client
 * connection once the connection's identity is established, hands it every text message the client
 * sends, and tells it when the connection ends; the service sends through the
 * {@link StreamClient}. Nothing the service does for one connection waits for another connection,
 * the RMA or the alarm scan: messages a client does not take are bounded per connection in bytes,
 * coalesced past that, and the connection is closed with {@link StreamClose#SLOW_CONSUMER} when it
 * stays behind.
 *
 * @since 1.0
 */
@ProviderType
public interface StreamService {

    /**
     * Opens a stream for a client connection.
     *
     * @return the session to hand the client's messages to
     * @throws nexus.core.NexusException OVERLOADED when the node already serves its maximum of
     *                                   connections (the transport refuses the connection)
     */
    StreamSession open(StreamClient client);

    /** @return the open streams now, with their subscriptions, in the order they were opened */
    List<StreamInfo> streams();
}
