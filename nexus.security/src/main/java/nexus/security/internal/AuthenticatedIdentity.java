package nexus.security.internal;

import java.util.Objects;
import java.util.function.BooleanSupplier;

import nexus.core.Caller;
import nexus.security.Identity;

/**
 * An identity this bundle established. Its {@code principal} says who it is independent of where
 * the request came from ({@code token:<id>}, {@code jwt:<subject>}, {@code anonymous:<role>},
 * {@code console:<user>}): a ticket is bound to it. Whether it is still current is asked of the
 * function given at creation, which looks at the token store, the roles and the clock each time.
 */
final class AuthenticatedIdentity implements Identity {

    private final Caller caller;
    private final String kind;
    private final String principal;
    private final BooleanSupplier current;

    AuthenticatedIdentity(Caller caller, String kind, String principal, BooleanSupplier current) {
        this.caller = Objects.requireNonNull(caller, "caller");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.principal = Objects.requireNonNull(principal, "principal");
        this.current = Objects.requireNonNull(current, "current");
    }

    @Override
    public Caller caller() {
        return caller;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public boolean current() {
        return current.getAsBoolean();
    }

    /** @return who this is, wherever the request came from: what a ticket is bound to */
    String principal() {
        return principal;
    }

    /** @return the same identity, admitted through a ticket from another source */
    AuthenticatedIdentity redeemedFrom(String source) {
        return new AuthenticatedIdentity(new Caller(caller.user(), caller.roles(), source), "ticket", principal, current);
    }

    @Override
    public String toString() {
        return kind + " identity " + caller.user() + " (" + caller.rolesText() + ") from " + caller.source();
    }
}
