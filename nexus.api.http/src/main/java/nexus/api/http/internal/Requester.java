package nexus.api.http.internal;

import jakarta.servlet.ServletRequest;
import nexus.core.Access;
import nexus.core.AccessPolicy;
import nexus.core.Caller;
import nexus.security.Authenticator;
import nexus.security.Identity;

/**
 * Who a request is, as {@link AccessFilter} established it, kept in the request for the servlets:
 * the identity, the authenticator that established it (stream tickets are issued to it) and the
 * access policy that says what it may do. A request without one has no credentials and reached one
 * of the few places that answer without (the status of {@code /health}, {@code /metrics} with
 * {@code metrics.anonymous}), or did not pass the filter at all: it acts as nobody.
 *
 * @param policy the access policy registered when the request came in; never null ({@link AccessFilter}
 *               refuses every request while none is, rather than let an identity act without one)
 */
record Requester(Identity identity, Authenticator authenticator, AccessPolicy policy) {

    /** The request attribute that holds it. */
    static final String ATTRIBUTE = "nexus.api.http.requester";

    /** @return who the request is, or null when it carries no identity */
    static Requester of(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof Requester requester ? requester : null;
    }

    /** @return what the request may do: {@link Access#NONE} without an identity */
    static Access accessOf(ServletRequest request) {
        Requester requester = of(request);
        return requester == null ? Access.NONE : requester.access();
    }

    /** @return the caller to hand to the services */
    Caller caller() {
        return identity.caller();
    }

    /** @return what the identity may do now */
    Access access() {
        return AccessPolicy.accessOf(policy, identity.caller());
    }

    /** @return whether the identity is the one a request without credentials acts as */
    boolean anonymous() {
        return identity.kind().equals("anonymous");
    }
}
