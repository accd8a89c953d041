package nexus.security;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Establishes who a request is, from the credentials it carries: an API token or a JWT as
 * {@code Authorization: Bearer …}, or a single-use stream ticket. Never from a token in a URL.
 * Thread-safe; answers from memory (a JWT's signature is checked once, then the result is kept until
 * the JWT expires).
 *
 * <p>While the node has no identities at all (no API token, no JWT issuer configured) it is
 * <em>open</em>: a request without credentials acts as {@code anonymous} with the {@code admin}
 * role. The node refuses to listen on anything but loopback in that state unless started with
 * {@code --insecure}. Once an identity exists, a request without credentials acts in the configured
 * anonymous role, or is refused when none is configured (the default).
 *
 * @since 1.0
 */
@ProviderType
public interface Authenticator {

    /**
     * @param authorization the request's {@code Authorization} header, or {@code null} when it has none
     * @param address       the client's address: failures are counted and slowed per address, and it
     *                      goes into the caller's source
     * @param via           the front-end, e.g. {@code http}: the caller's source is
     *                      {@code via + " " + address}
     * @return who the request is
     * @throws nexus.core.NexusException UNAUTHENTICATED when the credentials are missing (and no
     *                                   anonymous role is configured), malformed, unknown, revoked,
     *                                   expired or wrongly signed (the message says which, and never
     *                                   repeats the credential); TOO_MANY_FAILURES with a retry hint
     *                                   when this address failed too often lately
     */
    Identity authenticate(String authorization, String address, String via);

    /**
     * Issues a ticket a browser presents once, within {@link Ticket#expires()}, to open a stream
     * (browsers cannot send {@code Authorization} on a WebSocket or EventSource).
     *
     * @throws nexus.core.NexusException UNAUTHENTICATED when the identity is no longer current
     */
    Ticket issueTicket(Identity identity);

    /**
     * Redeems a ticket: it is gone afterwards, whatever the answer.
     *
     * @param ticket    the ticket's value
     * @param presenter the identity the request that presents it established by other means (its
     *                  {@code Authorization}), or {@code null} when it carries none
     * @param address   the client's address (failures count as for {@link #authenticate})
     * @param via       the front-end, as for {@link #authenticate}
     * @return the identity the ticket was issued to, with this address as its source
     * @throws nexus.core.NexusException UNAUTHENTICATED when the ticket is unknown, was used already,
     *                                   has expired, belongs to another identity than the presenter,
     *                                   or its identity is no longer current; TOO_MANY_FAILURES as for
     *                                   {@link #authenticate}
     */
    Identity redeemTicket(String ticket, Identity presenter, String address, String via);

    /**
     * @return the identity of the local operator console: the OS user who started the node, in the
     *         {@code admin} role, with source {@code shell}
     */
    Identity console();

    /** @return whether the node has no identities yet, so that every local client is admin */
    boolean open();
}
