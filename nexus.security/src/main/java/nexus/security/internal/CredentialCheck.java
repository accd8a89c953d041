package nexus.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.Access;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.security.Authenticator;
import nexus.security.Identity;
import nexus.security.Ticket;

/**
 * The authenticator in plain Java: from a request's {@code Authorization} header (or a stream ticket)
 * to an {@link Identity}, refusing with {@code UNAUTHENTICATED} and counting, logging and slowing
 * down failures per address. Messages and logs say what was wrong, never the credential.
 *
 * <p>An identity stays current while what admitted it holds: a token's identity while the store
 * holds the token unchanged and its roles grant what they granted; a JWT's until it expires (and
 * while the JWT configuration that verified it is in force and its roles grant the same); an anonymous one while the node is in
 * the state it was admitted in. Thread-safe.
 */
final class CredentialCheck implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialCheck.class);
    static final int MAX_HEADER = 8192;
    static final int MAX_TICKET = 256;
    static final String ANONYMOUS = "anonymous";
    private static final Pattern JWT_SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private final TokenStore store;
    private final RoleBook roles;
    private final Supplier<JwtIssuer> jwt;
    private final Supplier<SecuritySettings> settings;
    private final Clock clock;
    private final FailureThrottle throttle = new FailureThrottle();
    private final TicketBook tickets = new TicketBook();
    private final AuthCounters counters = new AuthCounters();
    private final AuthenticatedIdentity console;
    /** Where HTTP listens when that is not loopback (and --insecure was not given), else null. */
    private final String exposedOn;
    private final boolean insecure;
    /** Whether the node has had an identity (a token, a JWT issuer) since it started. */
    private final AtomicBoolean identified = new AtomicBoolean();

    /**
     * @param jwt       the JWT check registered now, or {@code null} while none is
     * @param settings  the settings in force now
     * @param exposedOn the address HTTP listens on when it is not loopback and the node was not
     *                  started with --insecure; {@code null} otherwise. An open node that is
     *                  exposed admits nobody without credentials: revoking the last token of a node
     *                  on the network must not make every client on the network admin.
     */
    CredentialCheck(TokenStore store, RoleBook roles, Supplier<JwtIssuer> jwt, Supplier<SecuritySettings> settings,
            Clock clock, String exposedOn) {
        this(store, roles, jwt, settings, clock, exposedOn, false);
    }

    /**
     * @param exposedOn the address HTTP listens on beyond loopback, or null on loopback
     * @param insecure  started with --insecure: while it has had no identity yet, an exposed node admits
     *                  requests without credentials as admin; once it has had one, never again this run
     */
    CredentialCheck(TokenStore store, RoleBook roles, Supplier<JwtIssuer> jwt, Supplier<SecuritySettings> settings,
            Clock clock, String exposedOn, boolean insecure) {
        this.exposedOn = exposedOn;
        this.insecure = insecure;
        this.store = store;
        this.roles = roles;
        this.jwt = jwt;
        this.settings = settings;
        this.clock = clock;
        this.console = consoleIdentity();
    }

    AuthCounters counters() {
        return counters;
    }

    @Override
    public boolean open() {
        TokenStore.Snapshot tokens = store.snapshot();
        boolean open = jwt.get() == null && !tokens.isDamaged() && tokens.byId().isEmpty();
        if (!open) {
            identified.set(true);
        }
        return open;
    }

    /** @return whether the node has had an identity since it started (--insecure no longer opens it then) */
    boolean identified() {
        return identified.get();
    }

    @Override
    public Identity authenticate(String authorization, String address, String via) {
        String from = address(address);
        String source = via + " " + from;
        if (authorization == null) {
            return withoutCredentials(from, source);
        }
        String header = authorization.strip();
        if (header.isEmpty()) {
            throw fail(AuthFailure.MALFORMED, from, "the Authorization header is empty: send 'Authorization: Bearer <token>'");
        }
        if (header.length() > MAX_HEADER) {
            throw fail(AuthFailure.MALFORMED, from, "the Authorization header is longer than " + MAX_HEADER + " characters");
        }
        int space = header.indexOf(' ');
        // the scheme is not repeated: a header without a space may be the bare credential
        if (space < 0 ? !header.equalsIgnoreCase("Bearer") : !header.substring(0, space).equalsIgnoreCase("Bearer")) {
            throw fail(AuthFailure.MALFORMED, from, "the Authorization header does not use the Bearer scheme: send"
                    + " 'Authorization: Bearer <token>'");
        }
        String credential = space < 0 ? "" : header.substring(space + 1).strip();
        if (credential.isEmpty()) {
            throw fail(AuthFailure.MALFORMED, from, "the Authorization header has no token after 'Bearer'");
        }
        if (credential.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw fail(AuthFailure.MALFORMED, from, "the bearer token contains blanks or control characters; it is one word");
        }
        if (credential.startsWith(Secrets.TOKEN_PREFIX)) {
            return token(credential, from, source);
        }
        if (JWT_SHAPE.matcher(credential).matches()) {
            refuseWhenThrottled(from); // a throttled address spends no signature checks
            return jwt(credential, from, source);
        }
        throw fail(AuthFailure.MALFORMED, from, "the bearer token is neither an RMA Nexus API token (" + Secrets.TOKEN_PREFIX
                + "…) nor a JWT (three base64url parts separated by dots)");
    }

    private Identity withoutCredentials(String from, String source) {
        boolean open = open();
        if (open && exposedOn != null && (!insecure || identified.get())) {
            // --insecure opened a node that never had an identity; one whose tokens are gone stays closed.
            throw fail(AuthFailure.MISSING, from, "RMA Nexus has no identities and listens on " + exposedOn
                    + ", so nobody is admitted without credentials: an administrator creates a token at the console"
                    + " (nexus:token create NAME ROLE…) or configures a JWT issuer");
        }
        if (open) {
            return new AuthenticatedIdentity(Caller.of(ANONYMOUS, Set.of(Access.ADMIN), source), ANONYMOUS,
                    "anonymous:open", this::open);
        }
        String role = settings.get().anonymousRole();
        if (role.isEmpty()) {
            throw fail(AuthFailure.MISSING, from, "no credentials: send 'Authorization: Bearer <token>' (an administrator"
                    + " creates tokens with nexus:token create)");
        }
        Set<String> anonymousRoles = Set.of(role);
        Access admitted = roles.access(anonymousRoles);
        return new AuthenticatedIdentity(Caller.of(ANONYMOUS, anonymousRoles, source), ANONYMOUS, "anonymous:" + role,
                () -> !open() && role.equals(settings.get().anonymousRole()) && admitted.equals(roles.access(anonymousRoles)));
    }

    private Identity token(String credential, String from, String source) {
        if (!Secrets.looksLikeToken(credential)) {
            throw fail(AuthFailure.MALFORMED, from, "the API token is malformed: an RMA Nexus token is '"
                    + Secrets.TOKEN_PREFIX + "' and " + (Secrets.TOKEN_CHARS - Secrets.TOKEN_PREFIX.length())
                    + " base64url characters (was it cut when copied?)");
        }
        if (store.snapshot().isDamaged()) {
            throw fail(AuthFailure.STORE_DAMAGED, from, "API tokens cannot be checked now: the token store is damaged"
                    + " and every token is refused until an administrator repairs it (/health says why)");
        }
        StoredToken stored = store.find(credential).orElseThrow(
                () -> fail(AuthFailure.UNKNOWN_TOKEN, from, "the API token is unknown or was revoked"));
        identified.set(true);
        Access admitted = roles.access(stored.roles());
        return new AuthenticatedIdentity(new Caller(stored.name(), stored.roles(), source), "token", "token:" + stored.id(),
                () -> store.holds(stored) && admitted.equals(roles.access(stored.roles())));
    }

    private Identity jwt(String credential, String from, String source) {
        JwtIssuer issuer = jwt.get();
        if (issuer == null) {
            throw fail(AuthFailure.JWT_NOT_ACCEPTED, from, "JWTs are not accepted: no issuer is configured");
        }
        VerifiedJwt verified;
        try {
            verified = issuer.check().verify(credential);
        } catch (NexusException e) {
            throw fail(issuer.check().ready() ? AuthFailure.JWT_REFUSED : AuthFailure.JWT_UNVERIFIABLE, from,
                    e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("The JWT check failed unexpectedly; the JWT is refused", e);
            throw fail(AuthFailure.JWT_REFUSED, from, "the JWT could not be verified");
        }
        if (!clock.instant().isBefore(verified.expires())) {
            throw fail(AuthFailure.JWT_REFUSED, from, "the JWT has expired");
        }
        Caller caller;
        try {
            caller = Caller.of(verified.subject(), verified.roles(), source);
        } catch (NexusException e) {
            throw fail(AuthFailure.JWT_REFUSED, from, "the JWT's subject is not a usable user name: " + e.getMessage());
        }
        Access admitted = roles.access(verified.roles());
        Instant expires = verified.expires();
        // Current while the check that verified it is the one registered: a new JWT configuration (another
        // issuer, audience or key source) registers another, and what the old one admitted ends.
        return new AuthenticatedIdentity(caller, "jwt", "jwt:" + caller.user(),
                () -> clock.instant().isBefore(expires) && sameCheck(jwt.get(), issuer)
                        && admitted.equals(roles.access(verified.roles())));
    }

    private static boolean sameCheck(JwtIssuer now, JwtIssuer verifiedBy) {
        return now != null && now.check() == verifiedBy.check();
    }

    @Override
    public Ticket issueTicket(Identity identity) {
        AuthenticatedIdentity own = own(identity);
        if (!own.current()) {
            throw new NexusException(ErrorCode.UNAUTHENTICATED, "the identity is no longer valid (its token was revoked,"
                    + " its roles changed or its JWT expired): authenticate again");
        }
        SecuritySettings now = settings.get();
        Ticket ticket = tickets.issue(own, clock.instant(), now.ticketTtl(), now.ticketsMax());
        counters.ticketIssued();
        return ticket;
    }

    @Override
    public Identity redeemTicket(String ticket, Identity presenter, String address, String via) {
        String from = address(address);
        TicketBook.Redeemed redeemed = ticket == null || ticket.length() > MAX_TICKET ? new TicketBook.Redeemed.Unknown()
                : tickets.redeem(ticket.strip(), clock.instant());
        if (redeemed instanceof TicketBook.Redeemed.Expired) {
            throw fail(AuthFailure.TICKET_REFUSED, from, "the ticket has expired (a ticket is valid for "
                    + settings.get().ticketTtl().toSeconds() + " s): ask for a new one");
        }
        if (!(redeemed instanceof TicketBook.Redeemed.Found found)) {
            throw fail(AuthFailure.TICKET_REFUSED, from,
                    "the ticket is unknown or was used already (a ticket opens one stream): ask for a new one");
        }
        TicketBook.Issued issued = found.issued();
        if (presenter != null && !(presenter instanceof AuthenticatedIdentity p
                && p.principal().equals(issued.identity().principal()))) {
            throw fail(AuthFailure.TICKET_REFUSED, from, "the ticket was issued to another identity than the request's");
        }
        if (!issued.identity().current()) {
            throw fail(AuthFailure.TICKET_REFUSED, from, "the identity the ticket was issued to is no longer valid (its"
                    + " token was revoked, its roles changed or its JWT expired)");
        }
        return issued.identity().redeemedFrom(via + " " + from);
    }

    @Override
    public Identity console() {
        return console;
    }

    /** @return how many addresses have failures remembered (the throttle's table) */
    int throttledAddresses() {
        return throttle.size();
    }

    /** @return how many tickets wait to be redeemed */
    int pendingTickets() {
        return tickets.size();
    }

    private void refuseWhenThrottled(String from) {
        Optional<Duration> wait = throttle.blocked(from, clock.instant(), settings.get().limits());
        if (wait.isPresent()) {
            LOG.debug("Request from {} refused unread: too many failed authentications lately", from);
            throw throttled(from, wait.get());
        }
    }

    /**
     * A failure, counted and logged. An address that failed too often lately gets TOO_MANY_FAILURES
     * instead: only failures are slowed, so a valid API token from a shared address (a proxy, a NAT)
     * keeps working while someone behind it guesses.
     */
    private NexusException fail(AuthFailure failure, String from, String message) {
        counters.failed(failure);
        if (failure.throttles()) {
            FailureThrottle.Limits limits = settings.get().limits();
            Optional<Duration> wait = throttle.blocked(from, clock.instant(), limits);
            if (wait.isPresent()) {
                LOG.debug("Request from {} refused: too many failed authentications lately ({})", from, message);
                return throttled(from, wait.get());
            }
            int failures = throttle.failed(from, clock.instant(), limits);
            LOG.warn("Authentication failed from {} ({}): {}", from, failure.label(), message);
            if (failures == limits.max()) {
                LOG.warn("{} failed to authenticate {} times within {} s: its requests are refused until the window ends",
                        from, failures, limits.window().toSeconds());
            }
        } else {
            LOG.debug("Request from {} refused: {}", from, message);
        }
        return new NexusException(ErrorCode.UNAUTHENTICATED, message);
    }

    /** The answer to an address that failed too often lately, counted. */
    private NexusException throttled(String from, Duration wait) {
        counters.throttled();
        return new NexusException(ErrorCode.TOO_MANY_FAILURES, "too many failed authentications from " + from
                + " lately: try again in " + wait.toSeconds() + " s", wait);
    }

    private static AuthenticatedIdentity own(Identity identity) {
        if (identity instanceof AuthenticatedIdentity own) {
            return own;
        }
        throw new NexusException(ErrorCode.INVALID_ARGUMENT, "tickets are issued only to identities this node's"
                + " authenticator established");
    }

    private static String address(String address) {
        return address == null || address.isBlank() ? "unknown" : address.strip();
    }

    private static AuthenticatedIdentity consoleIdentity() {
        String user = System.getProperty("user.name");
        Caller caller;
        try {
            caller = Caller.of(user, Set.of(Access.ADMIN), "shell");
        } catch (NexusException e) {
            caller = Caller.of("console", Set.of(Access.ADMIN), "shell");
        }
        return new AuthenticatedIdentity(caller, "console", "console:" + caller.user(), () -> true);
    }
}
