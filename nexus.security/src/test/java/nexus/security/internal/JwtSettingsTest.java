package nexus.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

class JwtSettingsTest {

    private static JwtSettings settings(Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(Map.of("issuer", "https://idp.example.com/realms/plant",
                "audience", "rma-nexus"));
        all.putAll(values);
        return JwtSettings.of(JwtConfigs.jwt(all), "/opt/nexus");
    }

    private static void assertInvalid(Map<String, Object> values, String message) {
        assertThatThrownBy(() -> settings(values)).isInstanceOf(NexusException.class)
                .satisfies(e -> assertThat(((NexusException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(message).hasMessageEndingWith("(etc/nexus.security.jwt.cfg)");
    }

    @Test
    void theDefaults() {
        JwtSettings settings = settings(Map.of("jwks_url", "https://idp.example.com/certs"));

        assertThat(settings.jwks()).isInstanceOfSatisfying(JwksSource.Url.class,
                url -> assertThat(url.uri()).isEqualTo(URI.create("https://idp.example.com/certs")));
        assertThat(settings.rolesClaim()).isEqualTo("roles");
        assertThat(settings.userClaim()).isEqualTo("sub");
        assertThat(settings.algorithms()).containsExactlyInAnyOrder(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
        assertThat(settings.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.refresh()).isEqualTo(Duration.ofSeconds(300));
        assertThat(settings.cacheMax()).isEqualTo(10_000);
    }

    @Test
    void aRelativeJwksFileIsUnderTheHomeFolder() {
        assertThat(settings(Map.of("jwks_file", "etc/jwks.json")).jwks())
                .isEqualTo(new JwksSource.File(Path.of("/opt/nexus/etc/jwks.json")));
    }

    @Test
    void algorithmsMayBeOneCommaSeparatedValueAsAConfigFileGivesThem() {
        assertThat(settings(Map.of("jwks_file", "k.json", "algorithms", new String[] { "RS256, PS256 es384" }))
                .algorithms()).containsExactlyInAnyOrder(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES384);
    }

    @Test
    void refusesMissingIssuerOrAudience() {
        assertInvalid(Map.of("issuer", " ", "jwks_file", "k.json"), "issuer is not set");
        assertInvalid(Map.of("audience", "", "jwks_file", "k.json"), "audience is not set");
    }

    @Test
    void refusesNeitherOrBothKeySources() {
        assertInvalid(Map.of(), "neither jwks.url nor jwks.file is set");
        assertInvalid(Map.of("jwks_url", "https://idp/certs", "jwks_file", "k.json"), "both jwks.url and jwks.file are set");
    }

    @Test
    void acceptsHttpOnlyToLoopback() {
        assertThat(settings(Map.of("jwks_url", "http://localhost:8080/certs")).jwks()).isInstanceOf(JwksSource.Url.class);
        assertThat(settings(Map.of("jwks_url", "http://127.0.0.1:8080/certs")).jwks()).isInstanceOf(JwksSource.Url.class);
        assertThat(settings(Map.of("jwks_url", "http://[::1]:8080/certs")).jwks()).isInstanceOf(JwksSource.Url.class);
        assertInvalid(Map.of("jwks_url", "http://10.0.0.5/certs"), "uses http to another host");
        assertInvalid(Map.of("jwks_url", "http://127.0.0.1.evil.example/certs"), "uses http to another host");
        assertInvalid(Map.of("jwks_url", "ftp://idp/certs"), "is not an https address");
        assertInvalid(Map.of("jwks_url", "https:// bad"), "is not an address");
    }

    @Test
    void refusesSymmetricAndUnknownAlgorithms() {
        assertInvalid(Map.of("jwks_file", "k.json", "algorithms", new String[] { "HS256" }),
                "algorithms names 'HS256', which is not accepted: use some of RS256, RS384, RS512, PS256, PS384, PS512,"
                        + " ES256, ES384, ES512 (a shared secret would let whoever verifies a JWT also sign one)");
        assertInvalid(Map.of("jwks_file", "k.json", "algorithms", new String[] { "none" }), "algorithms names 'none'");
        assertInvalid(Map.of("jwks_file", "k.json", "algorithms", new String[0]), "algorithms is empty");
    }

    @Test
    void refusesNumbersOutOfRange() {
        assertInvalid(Map.of("jwks_file", "k.json", "clock_skew_s", -1), "clock.skew.s = -1 is out of range: use 0 to 600");
        assertInvalid(Map.of("jwks_file", "k.json", "jwks_refresh_s", 5), "jwks.refresh.s = 5 is out of range: use 10 to 86400");
        assertInvalid(Map.of("jwks_file", "k.json", "cache_max", 2_000_000), "cache.max = 2000000 is out of range");
    }

    @Test
    void refusesAClaimThatIsNotAPath() {
        assertInvalid(Map.of("jwks_file", "k.json", "roles_claim", "realm_access..roles"),
                "roles.claim = 'realm_access..roles' is not a claim name or a dotted path");
        assertInvalid(Map.of("jwks_file", "k.json", "user_claim", ""), "user.claim = '' is not a claim name");
    }
}
