package nexus.security;

import nexus.core.Caller;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An authenticated identity, as long-lived front-ends (streams, sessions) keep it: they ask
 * {@link #current()} at least once a second and close what the identity opened as soon as it is
 * not, so that revoking a token or changing its roles takes effect within a second.
 *
 * @since 1.0
 */
@ProviderType
public interface Identity {

    /** @return the caller to hand to services: the identity's name, roles and source */
    Caller caller();

    /** @return how it was established: {@code token}, {@code jwt}, {@code ticket}, {@code anonymous} or {@code console} */
    String kind();

    /**
     * @return whether the identity still holds: its token is not revoked and its roles did not
     *         change, its JWT has not expired, the node has not left the open state it was
     *         admitted in
     */
    boolean current();
}
