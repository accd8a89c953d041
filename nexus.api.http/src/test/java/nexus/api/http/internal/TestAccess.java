package nexus.api.http.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import nexus.core.Access;
import nexus.core.AccessPolicy;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.security.Authenticator;
import nexus.security.Identity;
import nexus.security.Ticket;

/**
 * A small authenticator and access policy for the HTTP tests, standing in for nexus.security (whose
 * own tests and the distro's IT cover the real one). Tokens are {@code <role>-token}; the roles:
 * {@code admin} (everything), {@code viewer} (read {@code p/a} and {@code site1/**}), {@code operator}
 * (read and write everything, acknowledge), {@code monitor} (health and metrics only). The address
 * {@code 192.0.2.66}, or a token named {@code blocked}, has failed too often.
 */
final class TestAccess implements Authenticator, AccessPolicy {

    static final Map<String, Access> ROLES = Map.of(
            "admin", Access.UNRESTRICTED,
            "viewer", access("viewer", EnumSet.of(Permission.READ), PathScope.of("p/a", "site1/**"), PathScope.NONE),
            "operator", access("operator", EnumSet.of(Permission.READ, Permission.WRITE, Permission.ACKNOWLEDGE),
                    PathScope.ALL, PathScope.ALL),
            "monitor", access("monitor", EnumSet.of(Permission.HEALTH, Permission.METRICS), PathScope.NONE, PathScope.NONE));

    /** The role a request without credentials acts in, or null: then it is refused. */
    volatile String anonymousRole;

    /** Whether the node is open (no identities: nexus.security's state before the first token). */
    volatile boolean open;

    /** The tickets issued and not redeemed yet, by value. */
    final Map<String, Identity> tickets = new ConcurrentHashMap<>();

    private static Access access(String role, Set<Permission> permissions, PathScope read, PathScope write) {
        return new Access(new TreeSet<>(Set.of(role)), permissions, read, write, 0, 0);
    }

    record TestIdentity(Caller caller, String kind) implements Identity {
        @Override
        public boolean current() {
            return true;
        }
    }

    static Identity identity(String role, String kind) {
        return new TestIdentity(Caller.of(role.equals("anonymous") ? "anonymous" : role + "-user", Set.of(role), "http 127.0.0.1"),
                kind);
    }

    /** @return a requester in this role, as the filter would have made it */
    static Requester requester(String role) {
        TestAccess access = new TestAccess();
        return new Requester(identity(role, "token"), access, access);
    }

    @Override
    public Identity authenticate(String authorization, String address, String via) {
        if (address.equals("192.0.2.66") || "Bearer blocked".equals(authorization)) {
            throw new NexusException(ErrorCode.TOO_MANY_FAILURES, "too many failed authentications from " + address
                    + " lately: try again later", Duration.ofSeconds(30));
        }
        if (authorization == null) {
            if (anonymousRole == null) {
                throw new NexusException(ErrorCode.UNAUTHENTICATED, "the request has no credentials: send Authorization:"
                        + " Bearer <token>");
            }
            return new TestIdentity(Caller.of("anonymous", Set.of(anonymousRole), via + " " + address), "anonymous");
        }
        if (!authorization.startsWith("Bearer ") || authorization.length() == 7) {
            throw new NexusException(ErrorCode.UNAUTHENTICATED, "the Authorization header is malformed: send Bearer <token>");
        }
        String token = authorization.substring(7);
        String role = token.endsWith("-token") ? token.substring(0, token.length() - 6) : null;
        if (role == null || !ROLES.containsKey(role)) {
            throw new NexusException(ErrorCode.UNAUTHENTICATED, "the token is unknown or revoked");
        }
        return new TestIdentity(Caller.of(role + "-user", Set.of(role), via + " " + address), "token");
    }

    @Override
    public Ticket issueTicket(Identity identity) {
        String value = "t" + tickets.size() + "-" + identity.caller().user();
        tickets.put(value, identity);
        return new Ticket(value, Instant.parse("2030-01-01T00:00:30Z"));
    }

    @Override
    public Identity redeemTicket(String ticket, Identity presenter, String address, String via) {
        Identity identity = tickets.remove(ticket);
        if (identity == null || presenter != null && !presenter.caller().user().equals(identity.caller().user())) {
            throw new NexusException(ErrorCode.UNAUTHENTICATED, "the ticket is unknown, used or expired");
        }
        return new TestIdentity(new Caller(identity.caller().user(), identity.caller().roles(), via + " " + address), "ticket");
    }

    @Override
    public Identity console() {
        return identity("admin", "console");
    }

    @Override
    public boolean open() {
        return open;
    }

    @Override
    public Access access(Caller caller) {
        return caller.roles().stream().map(ROLES::get).filter(a -> a != null).findFirst().orElse(Access.NONE);
    }
}
