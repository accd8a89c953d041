package nexus.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.HealthStatus;
import nexus.core.MetricFamily;
import nexus.core.NexusException;
import nexus.core.Permission;
import nexus.security.Identity;
import nexus.security.Ticket;

class AuthenticatorComponentTest {

    private static final String ADDRESS = "192.0.2.7";
    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl";

    @TempDir
    Path home;

    private final SteppedClock clock = new SteppedClock();
    private final StandInRoleBook roles = new StandInRoleBook();
    private TokenStore store;
    private AuthenticatorComponent auth;

    @BeforeEach
    void start() {
        store = new TokenStore(home.resolve("etc/tokens.json"), clock);
        auth = new AuthenticatorComponent(store, roles, SecurityConfigs.defaults(), clock);
    }

    private String token(String name, String... roleNames) {
        return store.create(name, new TreeSet<>(List.of(roleNames)), "alice", info -> { }).secret();
    }

    private Identity bearer(String token) {
        return auth.authenticate("Bearer " + token, ADDRESS, "http");
    }

    private static void assertRefused(Runnable call, ErrorCode code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(code)).hasMessageContaining(message);
    }

    private double metric(String name, String reason) {
        return auth.metrics().stream().filter(f -> f.name().equals(name)).flatMap(f -> f.samples().stream())
                .filter(s -> reason == null || reason.equals(s.labels().get("reason"))).mapToDouble(MetricFamily.Sample::value)
                .sum();
    }

    // ---- open mode ----

    @Test
    void anOpenNodeListeningBeyondLoopbackAdmitsNobodyWithoutCredentials() {
        AuthenticatorComponent exposed = new AuthenticatorComponent(store, roles, SecurityConfigs.defaults(), clock,
                "0.0.0.0");

        assertThat(exposed.open()).isTrue();
        assertRefused(() -> exposed.authenticate(null, ADDRESS, "http"), ErrorCode.UNAUTHENTICATED,
                "RMA Nexus has no identities and listens on 0.0.0.0, so nobody is admitted without credentials");
    }

    @Test
    void insecureAdmitsRequestsWithoutCredentialsOnlyUntilTheFirstIdentity() throws Exception {
        AuthenticatorComponent insecure = new AuthenticatorComponent(store, roles, SecurityConfigs.defaults(), clock,
                "0.0.0.0", true);
        assertThat(insecure.authenticate(null, ADDRESS, "http").caller().roles()).containsExactly("admin");

        token("scada", "operator");
        assertThat(insecure.open()).isFalse();
        java.nio.file.Files.delete(store.file()); // the token store moved away while the node runs
        clock.advance(TokenStore.RECHECK);

        assertThat(insecure.open()).isTrue();
        assertRefused(() -> insecure.authenticate(null, ADDRESS, "http"), ErrorCode.UNAUTHENTICATED,
                "RMA Nexus has no identities and listens on 0.0.0.0, so nobody is admitted without credentials");
    }

    @Test
    void withoutIdentitiesEveryRequestIsAnonymousAdmin() {
        Identity identity = auth.authenticate(null, ADDRESS, "http");

        assertThat(auth.open()).isTrue();
        assertThat(identity.caller()).isEqualTo(Caller.of("anonymous", Set.of("admin"), "http " + ADDRESS));
        assertThat(identity.kind()).isEqualTo("anonymous");
        assertThat(identity.current()).isTrue();
        assertThat(auth.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(auth.health().detail()).isEqualTo("open: no identities configured — every local client is admin");
    }

    @Test
    void theFirstTokenEndsOpenModeAndTheOpenIdentities() {
        Identity open = auth.authenticate(null, ADDRESS, "http");

        token("scada", "operator");

        assertThat(auth.open()).isFalse();
        assertThat(open.current()).isFalse();
        assertRefused(() -> auth.authenticate(null, ADDRESS, "http"), ErrorCode.UNAUTHENTICATED, "no credentials");
        assertThat(auth.health().detail()).isEqualTo("1 token");
    }

    @Test
    void aJwtIssuerAloneEndsOpenMode() {
        auth.bindJwt(new StandInJwtCheck(), Map.of(JwtIssuer.ISSUER_PROPERTY, "https://idp.plant.example"));

        assertThat(auth.open()).isFalse();
        assertThat(auth.health().detail()).isEqualTo("0 tokens, JWT issuer https://idp.plant.example");
    }

    @Test
    void aRequestWithoutCredentialsActsInTheConfiguredAnonymousRole() {
        token("scada", "operator");
        auth.modified(SecurityConfigs.security(Map.of("anonymous_role", "viewer")));

        Identity identity = auth.authenticate(null, ADDRESS, "http");

        assertThat(identity.caller().user()).isEqualTo("anonymous");
        assertThat(identity.caller().roles()).containsExactly("viewer");
        assertThat(identity.current()).isTrue();

        auth.modified(SecurityConfigs.security(Map.of("anonymous_role", "operator")));
        assertThat(identity.current()).isFalse();
    }

    @Test
    void anAnonymousRoleThatIsNoRoleShowsInHealth() {
        token("scada", "operator");
        auth.modified(SecurityConfigs.security(Map.of("anonymous_role", "guest")));

        assertThat(auth.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(auth.health().detail()).contains("anonymous.role 'guest' is not a role in force");
    }

    // ---- tokens ----

    @Test
    void aTokenIsItsNameInItsRoles() {
        String secret = token("scada", "operator", "viewer");

        Identity identity = bearer(secret);

        assertThat(identity.caller()).isEqualTo(Caller.of("scada", Set.of("operator", "viewer"), "http " + ADDRESS));
        assertThat(identity.kind()).isEqualTo("token");
        assertThat(identity.current()).isTrue();
        assertThat(auth.authenticate("bearer  " + secret + "  ", ADDRESS, "http").caller().user()).isEqualTo("scada");
    }

    @Test
    void aRevokedTokenStopsWorkingAndItsIdentityIsNoLongerCurrent() {
        String secret = token("scada", "operator");
        token("other", "viewer");
        Identity identity = bearer(secret);

        store.revoke("scada", info -> { });

        assertThat(identity.current()).isFalse();
        assertRefused(() -> bearer(secret), ErrorCode.UNAUTHENTICATED, "the API token is unknown or was revoked");
    }

    @Test
    void aTokenRemovedFromTheFileByHandStopsWorkingWithinASecond() throws IOException {
        String secret = token("scada", "operator");
        Identity identity = bearer(secret);
        Path file = home.resolve("etc/tokens.json");
        Files.writeString(file, "{\"format\":1,\"tokens\":[]}");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));

        clock.advance(Duration.ofSeconds(1));

        assertThat(identity.current()).isFalse();
        assertRefused(() -> bearer(secret), ErrorCode.UNAUTHENTICATED, "unknown or was revoked");
    }

    @Test
    void anIdentityIsNoLongerCurrentWhenWhatItsRolesGrantChanges() {
        String secret = token("scada", "operator");
        Identity identity = bearer(secret);
        Identity other = bearer(token("grafana", "viewer"));

        roles.grant("operator", EnumSet.of(Permission.READ));

        assertThat(identity.current()).isFalse();
        assertThat(other.current()).isTrue();
        assertThat(bearer(secret).current()).isTrue();
    }

    @Test
    void aDamagedStoreRefusesEveryTokenAndIsDown() throws IOException {
        String secret = token("scada", "operator");
        Path file = home.resolve("etc/tokens.json");
        Files.writeString(file, "{ this is not json");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        clock.advance(Duration.ofSeconds(1));

        assertRefused(() -> bearer(secret), ErrorCode.UNAUTHENTICATED, "the token store is damaged");
        assertThat(auth.open()).isFalse();
        assertRefused(() -> auth.authenticate(null, ADDRESS, "http"), ErrorCode.UNAUTHENTICATED, "no credentials");
        assertThat(auth.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(auth.health().detail()).contains(file.toString()).contains("not valid JSON");
    }

    @Test
    void aRoleConfigurationThatFailedIsDown() {
        roles.fail("etc/nexus.security.roles.cfg line 3: unknown permission 'wirte'");

        assertThat(auth.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(auth.health().detail()).isEqualTo("etc/nexus.security.roles.cfg line 3: unknown permission 'wirte'");
    }

    // ---- bad input ----

    @Test
    void saysWhatIsMalformedWithoutRepeatingTheCredential() {
        auth.modified(SecurityConfigs.security(Map.of("failures_max", 100)));
        String secret = token("scada", "operator");
        String cut = secret.substring(0, secret.length() - 3);

        assertRefused(() -> auth.authenticate("", ADDRESS, "http"), ErrorCode.UNAUTHENTICATED, "the Authorization header is empty");
        assertRefused(() -> auth.authenticate("Bearer", ADDRESS, "http"), ErrorCode.UNAUTHENTICATED, "no token after 'Bearer'");
        assertRefused(() -> auth.authenticate("Bearer a b", ADDRESS, "http"), ErrorCode.UNAUTHENTICATED, "one word");
        assertRefused(() -> bearer(cut), ErrorCode.UNAUTHENTICATED, "the API token is malformed");
        assertRefused(() -> bearer("hunter2"), ErrorCode.UNAUTHENTICATED, "neither an RMA Nexus API token");
        assertRefused(() -> auth.authenticate("x".repeat(9000), ADDRESS, "http"), ErrorCode.UNAUTHENTICATED, "longer than 8192");
        for (String header : List.of("Basic dXNlcjpodW50ZXIy", secret, "Token " + secret, "Bearer " + cut, "Bearer hunter2")) {
            assertThatThrownBy(() -> auth.authenticate(header, ADDRESS, "http"))
                    .hasMessageNotContaining("dXNlcjpodW50ZXIy").hasMessageNotContaining(cut).hasMessageNotContaining("hunter2");
        }
        assertThat(metric("nexus_auth_failures_total", "malformed")).isEqualTo(11);
    }

    // ---- JWTs ----

    @Test
    void aJwtIsRefusedWhileNoIssuerIsConfigured() {
        token("scada", "operator");

        assertRefused(() -> bearer(JWT), ErrorCode.UNAUTHENTICATED, "JWTs are not accepted: no issuer is configured");
        assertThat(metric("nexus_auth_failures_total", "jwt_not_accepted")).isEqualTo(1);
    }

    @Test
    void aVerifiedJwtIsItsSubjectInItsRolesUntilItExpires() {
        StandInJwtCheck jwts = new StandInJwtCheck();
        jwts.accept(JWT, new VerifiedJwt("bob", Set.of("operator"), clock.instant().plusSeconds(60)));
        auth.bindJwt(jwts, Map.of());

        Identity identity = bearer(JWT);

        assertThat(identity.caller()).isEqualTo(Caller.of("bob", Set.of("operator"), "http " + ADDRESS));
        assertThat(identity.kind()).isEqualTo("jwt");
        assertThat(identity.current()).isTrue();
        clock.advance(Duration.ofSeconds(60));
        assertThat(identity.current()).isFalse();
        assertRefused(() -> bearer(JWT), ErrorCode.UNAUTHENTICATED, "the JWT has expired");
    }

    @Test
    void aJwtRefusedByTheCheckIsUnauthenticatedWithItsReason() {
        auth.bindJwt(new StandInJwtCheck(), Map.of());

        assertRefused(() -> bearer(JWT), ErrorCode.UNAUTHENTICATED, "signature does not match");
        assertThat(metric("nexus_auth_failures_total", "jwt_refused")).isEqualTo(1);
    }

    @Test
    void jwtIdentitiesEndWhenTheIssuerIsRemoved() {
        StandInJwtCheck jwts = new StandInJwtCheck();
        jwts.accept(JWT, new VerifiedJwt("bob", Set.of("operator"), clock.instant().plusSeconds(600)));
        auth.bindJwt(jwts, Map.of());
        Identity identity = bearer(JWT);

        auth.unbindJwt(jwts);

        assertThat(identity.current()).isFalse();
        assertThat(auth.open()).isTrue();
    }

    @Test
    void jwtIdentitiesEndWhenTheJwtConfigurationChanges() {
        StandInJwtCheck before = new StandInJwtCheck();
        before.accept(JWT, new VerifiedJwt("bob", Set.of("operator"), clock.instant().plusSeconds(600)));
        auth.bindJwt(before, Map.of());
        Identity identity = bearer(JWT);

        StandInJwtCheck after = new StandInJwtCheck(); // e.g. another audience: bob's JWT no longer fits
        auth.bindJwt(after, Map.of());
        auth.unbindJwt(before);

        assertThat(identity.current()).isFalse();
        assertRefused(() -> bearer(JWT), ErrorCode.UNAUTHENTICATED, "does not match");
    }

    // ---- throttling ----

    @Test
    void anAddressThatFailedTooOftenGetsOnlyTooManyFailuresUntilItsWindowEndsWhileValidTokensStillWork() {
        String secret = token("scada", "operator");
        String unknown = "nexus_" + "A".repeat(Secrets.TOKEN_CHARS - 6);
        auth.modified(SecurityConfigs.security(Map.of("failures_max", 3, "failures_window_s", 60)));
        for (int i = 0; i < 3; i++) {
            assertRefused(() -> bearer(unknown), ErrorCode.UNAUTHENTICATED, "unknown");
        }
        clock.advance(Duration.ofSeconds(20));

        assertThatThrownBy(() -> bearer(unknown)).isInstanceOfSatisfying(NexusException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_FAILURES);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(40));
        });
        assertRefused(() -> bearer(JWT), ErrorCode.TOO_MANY_FAILURES, "too many failed authentications");
        assertThat(bearer(secret).caller().user()).as("a shared address (a proxy) is not locked out").isEqualTo("scada");
        assertThat(metric("nexus_auth_throttled_total", null)).isEqualTo(2);

        clock.advance(Duration.ofSeconds(40));
        assertRefused(() -> bearer(unknown), ErrorCode.UNAUTHENTICATED, "unknown");
    }

    @Test
    void missingCredentialsAreCountedButDoNotSlowTheAddressDown() {
        token("scada", "operator");
        auth.modified(SecurityConfigs.security(Map.of("failures_max", 1)));

        for (int i = 0; i < 3; i++) {
            assertRefused(() -> auth.authenticate(null, ADDRESS, "http"), ErrorCode.UNAUTHENTICATED, "no credentials");
        }

        assertThat(metric("nexus_auth_failures_total", "missing")).isEqualTo(3);
        assertThat(metric("nexus_auth_throttled_total", null)).isZero();
    }

    @Test
    void aDamagedStoreDoesNotSlowTheAddressDown() throws IOException {
        String secret = token("scada", "operator");
        auth.modified(SecurityConfigs.security(Map.of("failures_max", 1)));
        Path file = home.resolve("etc/tokens.json");
        Files.writeString(file, "{ this is not json");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        clock.advance(Duration.ofSeconds(1));

        for (int i = 0; i < 3; i++) {
            assertRefused(() -> bearer(secret), ErrorCode.UNAUTHENTICATED, "the token store is damaged");
        }

        assertThat(metric("nexus_auth_failures_total", "store_damaged")).isEqualTo(3);
        assertThat(metric("nexus_auth_throttled_total", null)).isZero();
        assertRefused(() -> bearer(JWT), ErrorCode.UNAUTHENTICATED, "JWTs are not accepted");
    }

    @Test
    void jwtsRefusedWhileTheIssuersKeysCannotBeFetchedDoNotSlowTheAddressDown() {
        StandInJwtCheck jwts = new StandInJwtCheck();
        jwts.accept(JWT, new VerifiedJwt("bob", Set.of("operator"), clock.instant().plusSeconds(600)));
        auth.bindJwt(jwts, Map.of());
        auth.modified(SecurityConfigs.security(Map.of("failures_max", 1)));
        jwts.unready();

        for (int i = 0; i < 3; i++) {
            assertRefused(() -> bearer(JWT), ErrorCode.UNAUTHENTICATED, "the issuer's keys (JWKS) cannot be fetched");
        }

        assertThat(metric("nexus_auth_failures_total", "jwt_unverifiable")).isEqualTo(3);
        assertThat(metric("nexus_auth_throttled_total", null)).isZero();
    }

    @Test
    void aRefusedConfigurationKeepsThePreviousSettings() {
        auth.modified(SecurityConfigs.security(Map.of("failures_max", 2)));
        auth.modified(SecurityConfigs.security(Map.of("failures_max", 0)));
        token("scada", "operator");

        assertThat(auth.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(auth.health().detail()).contains("failures.max = 0 is out of range");
        bearerFails();
        bearerFails();
        assertRefused(() -> bearer("nexus_"), ErrorCode.TOO_MANY_FAILURES, "too many failed authentications from " + ADDRESS);
    }

    private void bearerFails() {
        assertRefused(() -> bearer("nexus_"), ErrorCode.UNAUTHENTICATED, "malformed");
    }

    // ---- tickets ----

    @Test
    void aTicketOpensOneStreamForItsIdentity() {
        Identity identity = bearer(token("scada", "operator"));
        Ticket ticket = auth.issueTicket(identity);

        Identity redeemed = auth.redeemTicket(ticket.value(), null, "192.0.2.9", "ws");

        assertThat(ticket.expires()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(redeemed.caller()).isEqualTo(Caller.of("scada", Set.of("operator"), "ws 192.0.2.9"));
        assertThat(redeemed.kind()).isEqualTo("ticket");
        assertThat(redeemed.current()).isTrue();
        assertRefused(() -> auth.redeemTicket(ticket.value(), null, ADDRESS, "ws"), ErrorCode.UNAUTHENTICATED,
                "unknown or was used already");
        assertThat(metric("nexus_auth_tickets_issued_total", null)).isEqualTo(1);
        assertThat(metric("nexus_auth_tickets_refused_total", null)).isEqualTo(1);
    }

    @Test
    void anExpiredTicketIsRefusedAndGone() {
        Identity identity = bearer(token("scada", "operator"));
        Ticket ticket = auth.issueTicket(identity);
        clock.advance(Duration.ofSeconds(30));

        assertRefused(() -> auth.redeemTicket(ticket.value(), null, ADDRESS, "ws"), ErrorCode.UNAUTHENTICATED, "expired");
        assertRefused(() -> auth.redeemTicket(ticket.value(), null, ADDRESS, "ws"), ErrorCode.UNAUTHENTICATED, "unknown");
    }

    @Test
    void aTicketPresentedByAnotherIdentityIsRefusedAndGone() {
        String scadaToken = token("scada", "operator");
        Identity scada = bearer(scadaToken);
        Identity grafana = bearer(token("grafana", "viewer"));
        Ticket ticket = auth.issueTicket(scada);

        assertRefused(() -> auth.redeemTicket(ticket.value(), grafana, ADDRESS, "ws"), ErrorCode.UNAUTHENTICATED,
                "issued to another identity");
        assertRefused(() -> auth.redeemTicket(ticket.value(), scada, ADDRESS, "ws"), ErrorCode.UNAUTHENTICATED, "unknown");
    }

    @Test
    void aTicketPresentedWithTheSameTokenFromElsewhereIsAccepted() {
        String scadaToken = token("scada", "operator");
        Ticket ticket = auth.issueTicket(bearer(scadaToken));
        Identity sameTokenElsewhere = auth.authenticate("Bearer " + scadaToken, "192.0.2.99", "http");

        assertThat(auth.redeemTicket(ticket.value(), sameTokenElsewhere, "192.0.2.99", "ws").caller().user())
                .isEqualTo("scada");
    }

    @Test
    void aTicketOfARevokedTokenIsRefused() {
        Identity identity = bearer(token("scada", "operator"));
        token("other", "viewer");
        Ticket ticket = auth.issueTicket(identity);
        Identity redeemedEarlier = auth.redeemTicket(auth.issueTicket(identity).value(), null, ADDRESS, "ws");

        store.revoke("scada", info -> { });

        assertRefused(() -> auth.redeemTicket(ticket.value(), null, ADDRESS, "ws"), ErrorCode.UNAUTHENTICATED, "no longer valid");
        assertThat(redeemedEarlier.current()).isFalse();
        assertRefused(() -> auth.issueTicket(identity), ErrorCode.UNAUTHENTICATED, "no longer valid");
    }

    @Test
    void unknownAndOverlongTicketsAreRefused() {
        assertRefused(() -> auth.redeemTicket("nope", null, ADDRESS, "ws"), ErrorCode.UNAUTHENTICATED, "unknown");
        assertRefused(() -> auth.redeemTicket("x".repeat(1000), null, ADDRESS, "ws"), ErrorCode.UNAUTHENTICATED, "unknown");
        assertRefused(() -> auth.redeemTicket(null, null, ADDRESS, "ws"), ErrorCode.UNAUTHENTICATED, "unknown");
    }

    @Test
    void theTicketTableIsBounded() {
        auth.modified(SecurityConfigs.security(Map.of("tickets_max", 2)));
        Identity identity = bearer(token("scada", "operator"));
        Ticket oldest = auth.issueTicket(identity);
        Ticket second = auth.issueTicket(identity);
        Ticket third = auth.issueTicket(identity);

        assertRefused(() -> auth.redeemTicket(oldest.value(), null, ADDRESS, "ws"), ErrorCode.UNAUTHENTICATED, "unknown");
        assertThat(auth.redeemTicket(second.value(), null, ADDRESS, "ws").current()).isTrue();
        assertThat(auth.redeemTicket(third.value(), null, ADDRESS, "ws").current()).isTrue();
    }

    // ---- console ----

    @Test
    void theConsoleIsTheOsUserAsAdmin() {
        Identity console = auth.console();

        assertThat(console.caller().user()).isEqualTo(System.getProperty("user.name"));
        assertThat(console.caller().roles()).containsExactly("admin");
        assertThat(console.caller().source()).isEqualTo("shell");
        assertThat(console.kind()).isEqualTo("console");
        assertThat(console.current()).isTrue();
    }

    @Test
    void metricsListEveryFailureReason() {
        assertThat(auth.metrics()).extracting(MetricFamily::name).containsExactly("nexus_auth_failures_total",
                "nexus_auth_throttled_total", "nexus_auth_tokens", "nexus_auth_tickets_issued_total",
                "nexus_auth_tickets_refused_total");
        assertThat(auth.metrics().get(0).samples()).hasSize(AuthFailure.values().length);
        token("scada", "operator");
        assertThat(metric("nexus_auth_tokens", null)).isEqualTo(1);
    }
}
