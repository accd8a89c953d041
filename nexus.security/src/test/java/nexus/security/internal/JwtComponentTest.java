package nexus.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import nexus.core.ErrorCode;
import nexus.core.HealthStatus;
import nexus.core.NexusException;

/**
 * The JWT component through its constructor, against a stand-in identity provider whose JWK set is
 * served over real loopback HTTP, with real RSA and EC keys and JWTs signed by nimbus.
 */
class JwtComponentTest {

    @TempDir
    Path home;

    private final SteppedClock clock = new SteppedClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    private StandInIdp idp;
    private JwtComponent component;

    @BeforeEach
    void startIdp() throws Exception {
        idp = new StandInIdp();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (component != null) {
            component.deactivate();
        }
        idp.close();
    }

    private JwtComponent start(Map<String, Object> config) {
        component = new JwtComponent(home.toString(), JwtConfigs.forIdp(idp.url(), config), clock);
        return component;
    }

    private JwtComponent started(Map<String, Object> config) {
        start(config);
        await("the keys are fetched", () -> component.health().status() == HealthStatus.UP);
        return component;
    }

    private String good() {
        return StandInIdp.sign(idp.rsa, StandInIdp.claims(clock.instant()).build());
    }

    /** Refused as UNAUTHENTICATED, with a message that repeats no part of the JWT. */
    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String jwt) {
        return assertThatThrownBy(() -> component.verify(jwt)).isInstanceOf(NexusException.class)
                .satisfies(e -> assertThat(((NexusException) e).code()).isEqualTo(ErrorCode.UNAUTHENTICATED))
                .satisfies(e -> assertThat(e.getMessage()).startsWith("JWT refused: "))
                .satisfies(e -> {
                    for (String part : jwt.split("\\.")) {
                        if (part.length() >= 8) {
                            assertThat(e.getMessage()).doesNotContain(part);
                        }
                    }
                });
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static boolean accepted(JwtComponent component, String jwt) {
        try {
            component.verify(jwt);
            return true;
        } catch (NexusException e) {
            return false;
        }
    }

    // ---- good JWTs ----

    @Test
    void acceptsAGoodJwtWithItsUserRolesAndExpiry() {
        started(Map.of());
        JWTClaimsSet claims = StandInIdp.claims(clock.instant()).claim("roles", List.of("operator", "viewer")).build();

        VerifiedJwt verified = component.verify(StandInIdp.sign(idp.rsa, claims));

        assertThat(verified.subject()).isEqualTo("alice");
        assertThat(verified.roles()).containsExactlyInAnyOrder("operator", "viewer");
        assertThat(verified.expires()).as("exp and the default clock skew of 30 s")
                .isEqualTo(claims.getExpirationTime().toInstant().plusSeconds(30));
        assertThat(component.name()).isEqualTo("jwt");
        assertThat(component.required()).isFalse();
        assertThat(component.health().detail()).contains("2 keys from " + idp.url());
        assertThat(component.health().data()).containsEntry("keys", List.of("rsa-1", "ec-1")).containsEntry("verified", 1L);
    }

    @Test
    void acceptsAnEs256Jwt() {
        started(Map.of());

        assertThat(component.verify(StandInIdp.sign(idp.ec, StandInIdp.claims(clock.instant()).build())).subject())
                .isEqualTo("alice");
    }

    @Test
    void takesRolesAndUserFromConfiguredClaimsNestedOnesToo() {
        started(Map.of("roles_claim", "realm_access.roles", "user_claim", "preferred_username"));
        JWTClaimsSet claims = StandInIdp.claims(clock.instant()).claim("preferred_username", "bob")
                .claim("realm_access", Map.of("roles", List.of("engineer", "offline_access"))).build();

        VerifiedJwt verified = component.verify(StandInIdp.sign(idp.rsa, claims));

        assertThat(verified.subject()).isEqualTo("bob");
        assertThat(verified.roles()).containsExactlyInAnyOrder("engineer", "offline_access");
    }

    @Test
    void aRolesClaimMayBeOneStringOrMissing() {
        started(Map.of());

        assertThat(component.verify(StandInIdp.sign(idp.rsa, StandInIdp.claims(clock.instant()).claim("roles", "viewer")
                .build())).roles()).containsExactly("viewer");
        assertThat(component.verify(StandInIdp.sign(idp.rsa, StandInIdp.claims(clock.instant()).claim("roles", null)
                .build())).roles()).isEmpty();
    }

    @Test
    void refusesARolesClaimThatIsNeitherAStringNorStrings() {
        started(Map.of());

        assertRefused(StandInIdp.sign(idp.rsa, StandInIdp.claims(clock.instant()).claim("roles", List.of("viewer", 7))
                .build())).hasMessageContaining("its claim 'roles' is neither a string nor an array of strings");
    }

    @Test
    void refusesAJwtWithoutTheUserClaimNamingTheClaim() {
        started(Map.of("user_claim", "preferred_username"));

        assertRefused(good()).hasMessageContaining("it has no claim 'preferred_username' naming the user");
    }

    // ---- times ----

    @Test
    void refusesAnExpiredJwtAndAcceptsOneWithinTheClockSkew() {
        started(Map.of("clock_skew_s", 30));
        Instant now = clock.instant();

        assertRefused(StandInIdp.sign(idp.rsa, StandInIdp.claims(now).expirationTime(Date.from(now.minusSeconds(31)))
                .build())).hasMessageContaining("it expired at " + now.minusSeconds(31));
        VerifiedJwt withinSkew = component.verify(StandInIdp.sign(idp.rsa, StandInIdp.claims(now)
                .expirationTime(Date.from(now.minusSeconds(29))).build()));
        assertThat(withinSkew.subject()).isEqualTo("alice");
        assertThat(withinSkew.expires()).as("accepted by the authenticator, which goes by this instant, until the skew ends")
                .isEqualTo(now.minusSeconds(29).plusSeconds(30));
    }

    @Test
    void refusesAJwtWithoutExpiry() {
        started(Map.of());

        assertRefused(StandInIdp.sign(idp.rsa, StandInIdp.claims(clock.instant()).expirationTime(null).build()))
                .hasMessageContaining("it has no expiry (exp), which is required");
    }

    @Test
    void refusesAJwtNotYetValid() {
        started(Map.of());
        Instant now = clock.instant();
        String early = StandInIdp.sign(idp.rsa, StandInIdp.claims(now).notBeforeTime(Date.from(now.plusSeconds(60))).build());

        assertRefused(early).hasMessageContaining("it is not valid before " + now.plusSeconds(60));
        clock.advance(Duration.ofSeconds(60));
        assertThat(component.verify(early).subject()).isEqualTo("alice");
    }

    // ---- issuer, audience, signature ----

    @Test
    void refusesAWrongIssuer() {
        started(Map.of());

        assertRefused(StandInIdp.sign(idp.rsa, StandInIdp.claims(clock.instant()).issuer("https://evil.example").build()))
                .hasMessageContaining("it was issued by 'https://evil.example', not by the configured issuer '"
                        + StandInIdp.ISSUER + "'");
    }

    @Test
    void refusesAWrongAudience() {
        started(Map.of());

        assertRefused(StandInIdp.sign(idp.rsa, StandInIdp.claims(clock.instant()).audience("grafana").build()))
                .hasMessageContaining("its audience [grafana] does not contain 'rma-nexus'");
    }

    @Test
    void refusesAJwtSignedByAnotherKeyUnderAKnownKeyId() {
        started(Map.of());
        RSAKey impostor = StandInIdp.rsa("rsa-1");

        assertRefused(StandInIdp.sign(impostor, StandInIdp.claims(clock.instant()).build()))
                .hasMessageContaining("its signature does not verify with the issuer's key 'rsa-1'");
    }

    @Test
    void refusesAnAlteredJwt() {
        started(Map.of());
        String[] parts = good().split("\\.");
        String altered = parts[0] + "." + StandInIdp.claims(clock.instant()).subject("mallory").build().toPayload()
                .toBase64URL() + "." + parts[2];

        assertRefused(altered).hasMessageContaining("its signature does not verify");
    }

    @Test
    void refusesAnUnsignedJwt() {
        started(Map.of());

        assertRefused(new PlainJWT(StandInIdp.claims(clock.instant()).build()).serialize())
                .hasMessageContaining("it is unsigned (alg none)");
    }

    @Test
    void refusesHs256EvenWithTheIssuersPublicKeyAsSecret() throws JOSEException {
        started(Map.of());
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                StandInIdp.claims(clock.instant()).build());
        byte[] secret = idp.rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        hmac.sign(new MACSigner(secret));

        assertRefused(hmac.serialize()).hasMessageContaining("it is signed with HS256, which is not accepted (accepted: ES256, RS256");
    }

    @Test
    void refusesAnAlgorithmNotConfigured() {
        started(Map.of("algorithms", new String[] { "RS256" }));

        assertRefused(StandInIdp.sign(idp.ec, StandInIdp.claims(clock.instant()).build()))
                .hasMessageContaining("it is signed with ES256, which is not accepted (accepted: RS256;");
    }

    @Test
    void refusesWhatIsNotAJwtWithoutRepeatingIt() {
        started(Map.of());

        assertRefused("not-a-jwt").hasMessageContaining("it is not a well-formed JWT");
        assertRefused("").hasMessage("JWT refused: the bearer credential is empty");
        assertRefused("a".repeat(JwtVerifier.MAX_LENGTH + 1)).hasMessageContaining("longer than a JWT may be");
    }

    // ---- keys ----

    @Test
    void anUnknownKeyIdIsRefusedThenARotatedKeyIsPickedUpFetchingAtMostOnceEvery10Seconds() {
        started(Map.of());
        RSAKey next = StandInIdp.rsa("rsa-2");
        String rotated = StandInIdp.sign(next, StandInIdp.claims(clock.instant()).build());

        assertRefused(rotated).hasMessageContaining("its key id 'rsa-2' is not among the issuer's keys (JWKS)");
        idp.serve(idp.rsa, next);
        clock.advance(IssuerKeys.RETRY);
        await("the rotated key is fetched", () -> accepted(component, rotated));

        assertThat(component.verify(rotated).subject()).isEqualTo("alice");
        assertThat(idp.fetches).hasValue(2);
        assertThat(component.health().data()).containsEntry("keys", List.of("rsa-1", "rsa-2"));
    }

    @Test
    void whileTheJwksCannotBeFetchedJwtsAreRefusedAndHealthIsDownThenItRecoversWithoutARestart() throws Exception {
        idp.down();
        start(Map.of());
        await("a fetch failed", () -> component.health().data().get("failed") != null);
        String jwt = good();

        assertThat(component.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(component.health().detail()).startsWith("the issuer's keys (JWKS) cannot be fetched from " + idp.url()
                + ": cannot connect (connection refused, or the host is unreachable)");
        assertRefused(jwt).hasMessageStartingWith("JWT refused: the issuer's keys (JWKS) cannot be fetched: cannot connect");
        assertThat(component.ready()).isFalse();

        idp.up();
        clock.advance(IssuerKeys.RETRY);
        await("the keys are fetched", () -> accepted(component, jwt));
        assertThat(component.ready()).isTrue();
        assertThat(component.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aFailedRefreshKeepsTheKeysAndReportsDegraded() {
        started(Map.of());
        idp.answer(503);

        assertThat(component.fetchKeys()).isFalse();
        assertThat(component.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(component.health().detail()).contains("cannot be fetched again from " + idp.url() + ": HTTP 503;"
                + " keeping the 2 fetched at");
        assertThat(component.verify(good()).subject()).isEqualTo("alice");
        idp.answer(200);
        assertThat(component.fetchKeys()).isTrue();
        assertThat(component.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void anAnswerThatIsNotAJwkSetIsAFailedFetch() {
        idp.serve();
        start(Map.of());
        await("a fetch failed", () -> component.health().data().get("failed") != null);

        assertThat(component.health().detail()).endsWith(": the JWK set holds no public keys");
        assertRefused(good()).hasMessage("JWT refused: the issuer's keys (JWKS) cannot be fetched: the JWK set holds no"
                + " public keys");
    }

    @Test
    void anAnswerLargerThanAnyJwkSetIsAFailedFetch() {
        idp.answer(new byte[JwksSource.MAX_BYTES + 1]);
        start(Map.of());
        await("a fetch failed", () -> component.health().data().get("failed") != null);

        assertThat(component.health().detail()).endsWith(": the answer is larger than 1048576 bytes, too large for a"
                + " JWK set");
    }

    @Test
    void readsTheKeysFromAFileUnderTheHomeFolder() throws Exception {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/jwks.json"), new JWKSet(idp.rsa).toPublicJWKSet().toString());
        component = new JwtComponent(home.toString(), JwtConfigs.jwt(Map.of("issuer", StandInIdp.ISSUER, "audience",
                StandInIdp.AUDIENCE, "jwks_file", "etc/jwks.json")), clock);
        await("the keys are read", () -> component.health().status() == HealthStatus.UP);

        assertThat(component.verify(good()).subject()).isEqualTo("alice");
        assertThat(component.health().data()).containsEntry("jwks", home.resolve("etc/jwks.json").toString());
        Files.delete(home.resolve("etc/jwks.json"));
        assertThat(component.fetchKeys()).isFalse();
        assertThat(component.health().detail()).contains(": the file does not exist;");
    }

    // ---- the cache ----

    @Test
    void aVerifiedJwtIsKeptUntilItExpiresWithoutCheckingItsSignatureAgain() {
        started(Map.of());
        String cached = good();
        component.verify(cached);

        idp.serve(StandInIdp.rsa("rsa-9")); // the key that signed it is gone
        assertThat(component.fetchKeys()).isTrue();

        assertThat(component.verify(cached).subject()).isEqualTo("alice");
        String fresh = StandInIdp.sign(idp.rsa, StandInIdp.claims(clock.instant()).jwtID("another").build());
        assertRefused(fresh).hasMessageContaining("its key id 'rsa-1' is not among the issuer's keys");
        assertThat(component.health().data()).containsEntry("verified", 1L).containsEntry("cacheHits", 1L)
                .containsEntry("cached", 1);
        clock.advance(Duration.ofSeconds(300 + 29));
        assertThat(component.verify(cached).subject()).as("within the clock skew after exp").isEqualTo("alice");
        clock.advance(Duration.ofSeconds(1));
        assertRefused(cached);
    }

    @Test
    void aRefusedJwtIsNotKept() {
        started(Map.of());
        Instant now = clock.instant();
        String early = StandInIdp.sign(idp.rsa, StandInIdp.claims(now).notBeforeTime(Date.from(now.plusSeconds(60))).build());
        assertRefused(early);
        assertRefused(early);

        assertThat(component.health().data()).containsEntry("refused", 2L).containsEntry("cached", 0);
    }

    @Test
    void noCacheWhenCacheMaxIsZero() {
        started(Map.of("cache_max", 0));
        String jwt = good();
        component.verify(jwt);
        component.verify(jwt);

        assertThat(component.health().data()).containsEntry("verified", 2L).containsEntry("cacheHits", 0L)
                .containsEntry("cached", 0);
    }

    // ---- configuration and lifecycle ----

    @Test
    void aRefusedConfigurationRefusesEveryJwtAndShowsDown() {
        component = new JwtComponent(home.toString(), JwtConfigs.forIdp("http://idp.example.com/certs", Map.of()), clock);

        assertThat(component.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(component.health().detail()).startsWith("configuration refused: jwks.url = 'http://idp.example.com/certs'"
                + " uses http to another host");
        assertRefused(good()).hasMessageContaining("the JWT configuration is refused: jwks.url");
        assertThat(component.ready()).isFalse();
    }

    @Test
    void fetchesOnAThreadOfItsOwnThatStopsWithTheComponent() throws InterruptedException {
        started(Map.of());
        assertThat(threads()).contains(IssuerKeys.THREAD);

        component.deactivate();
        component = null;

        // The executor has terminated; its worker thread ends a moment later.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (threads().contains(IssuerKeys.THREAD) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(threads()).doesNotContain(IssuerKeys.THREAD);
    }

    private static List<String> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }
}
