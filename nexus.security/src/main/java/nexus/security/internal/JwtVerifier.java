package nexus.security.internal;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * Checks one JWT, every time it is asked (the cache is the component's): in this order, its form
 * (signed, with an accepted algorithm and a JWT type), that the issuer's keys are held and one of
 * them fits its header, its signature, then {@code iss}, {@code aud}, {@code exp} (required),
 * {@code nbf}, and finally reads the user and the roles from their claims. Every refusal is
 * UNAUTHENTICATED with a message that says what was wrong and never repeats the JWT. Thread-safe.
 */
final class JwtVerifier {

    /** Longer than any JWT an identity provider issues, short enough not to parse megabytes. */
    static final int MAX_LENGTH = 16 * 1024;

    /** {@code typ} values of JWTs (RFC 7519) and of access tokens (RFC 9068); {@code typ} may be absent too. */
    private static final Set<String> TYPES = Set.of("jwt", "at+jwt", "application/jwt", "application/at+jwt");

    /** A refusal found in the claims, carrying its message out of nimbus. */
    private static final class ClaimRefused extends BadJWTException {
        private static final long serialVersionUID = 1L;

        ClaimRefused(String message) {
            super(message);
        }
    }

    private final JwtSettings settings;
    private final IssuerKeys keys;
    private final Clock clock;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    JwtVerifier(JwtSettings settings, IssuerKeys keys, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        processor.setJWSTypeVerifier((type, context) -> {
            // checked before, with a message that says what was wrong
        });
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(settings.algorithms(),
                (selector, context) -> new ImmutableJWKSet<>(keys.keys()).get(selector, context)));
        processor.setJWTClaimsSetVerifier((claims, context) -> checkClaims(claims));
    }

    /**
     * @param jwt the compact JWT
     * @return what it says, verified
     * @throws NexusException UNAUTHENTICATED saying what was wrong
     */
    VerifiedJwt verify(String jwt) {
        SignedJWT signed = signed(jwt);
        JWSHeader header = signed.getHeader();
        if (!aKeyFits(header)) {
            keys.request(); // the issuer may have rotated its keys
            String again = ": they are fetched again (at most every " + IssuerKeys.RETRY.toSeconds() + " s) in case"
                    + " the issuer rotated them; retry shortly";
            throw refused(header.getKeyID() == null
                    ? "none of the issuer's keys (JWKS) fits it (it names no key id and is signed with "
                            + header.getAlgorithm() + ")" + again
                    : "its key id '" + shown(header.getKeyID()) + "' is not among the issuer's keys (JWKS)" + again);
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (ClaimRefused e) {
            throw refused(e.getMessage());
        } catch (BadJWTException e) {
            throw refused("its claims are not a JSON object whose registered claims (iss, aud, exp, nbf) have"
                    + " their standard types");
        } catch (BadJOSEException e) {
            throw refused("its signature does not verify with the issuer's key"
                    + (header.getKeyID() == null ? "s" : " '" + shown(header.getKeyID()) + "'")
                    + ": it was not signed by the issuer, or it was altered");
        } catch (JOSEException e) {
            throw refused("its signature cannot be checked with the issuer's key: " + e.getMessage());
        }
        // Accepted until exp and the skew allowed: the checks above let it in that long, and so must
        // the authenticator and the identity made from it, which go by this instant alone.
        return new VerifiedJwt(user(claims), roles(claims),
                claims.getExpirationTime().toInstant().plus(settings.clockSkew()));
    }

    /** Form: a signed JWT, an accepted algorithm, a JWT type. */
    private SignedJWT signed(String jwt) {
        if (jwt == null || jwt.isBlank()) {
            throw refused("the bearer credential is empty");
        }
        if (jwt.length() > MAX_LENGTH) {
            throw refused("it is " + jwt.length() + " characters long, longer than a JWT may be (" + MAX_LENGTH + ")");
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(jwt.strip());
        } catch (ParseException e) {
            throw refused("it is not a well-formed JWT (three base64url parts separated by dots: a JSON header,"
                    + " JSON claims and a signature)");
        }
        if (parsed instanceof PlainJWT) {
            throw refused("it is unsigned (alg none): only signed JWTs are accepted");
        }
        if (!(parsed instanceof SignedJWT signed)) {
            throw refused("it is encrypted (JWE): only signed JWTs (JWS) are accepted");
        }
        JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
        if (!settings.algorithms().contains(algorithm)) {
            throw refused("it is signed with " + shown(algorithm.getName()) + ", which is not accepted (accepted: "
                    + settings.algorithms().stream().map(JWSAlgorithm::getName).sorted().collect(Collectors.joining(", "))
                    + "; see algorithms in " + JwtSettings.FILE + ")");
        }
        JOSEObjectType type = signed.getHeader().getType();
        if (type != null && !TYPES.contains(type.getType().toLowerCase(java.util.Locale.ROOT))) {
            throw refused("its type (typ) is '" + shown(type.getType()) + "', not JWT or at+jwt");
        }
        return signed;
    }

    /** @return whether a key held fits the header (type, algorithm, key id, use) */
    private boolean aKeyFits(JWSHeader header) {
        return !new JWKSelector(JWKMatcher.forJWSHeader(header)).select(keys.keys()).isEmpty();
    }

    private void checkClaims(JWTClaimsSet claims) throws ClaimRefused {
        Instant now = clock.instant();
        String issuer = claims.getIssuer();
        if (!settings.issuer().equals(issuer)) {
            throw new ClaimRefused(issuer == null ? "it names no issuer (iss); '" + settings.issuer() + "' is expected"
                    : "it was issued by '" + shown(issuer) + "', not by the configured issuer '" + settings.issuer() + "'");
        }
        List<String> audience = claims.getAudience();
        if (!audience.contains(settings.audience())) {
            throw new ClaimRefused(audience.isEmpty() ? "it names no audience (aud); it must contain '"
                    + settings.audience() + "'" : "its audience " + shown(audience) + " does not contain '"
                            + settings.audience() + "', the configured audience");
        }
        Date expiry = claims.getExpirationTime();
        if (expiry == null) {
            throw new ClaimRefused("it has no expiry (exp), which is required");
        }
        if (!now.isBefore(expiry.toInstant().plus(settings.clockSkew()))) {
            throw new ClaimRefused("it expired at " + expiry.toInstant() + skew());
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.isBefore(notBefore.toInstant().minus(settings.clockSkew()))) {
            throw new ClaimRefused("it is not valid before " + notBefore.toInstant() + skew());
        }
    }

    private String skew() {
        return " (now " + clock.instant() + ", clock skew allowed " + settings.clockSkew().toSeconds() + " s)";
    }

    private String user(JWTClaimsSet claims) {
        return ClaimPath.find(claims.getClaims(), settings.userClaim()).filter(String.class::isInstance)
                .map(value -> ((String) value).strip()).filter(value -> !value.isEmpty())
                .orElseThrow(() -> refused("it has no claim '" + settings.userClaim() + "' naming the user as a string"
                        + " (user.claim in " + JwtSettings.FILE + ")"));
    }

    private Set<String> roles(JWTClaimsSet claims) {
        Optional<Object> value = ClaimPath.find(claims.getClaims(), settings.rolesClaim());
        if (value.isEmpty()) {
            return Set.of(); // no roles: the identity is known and may do nothing
        }
        if (value.get() instanceof String role) {
            return role.isBlank() ? Set.of() : Set.of(role.strip());
        }
        if (value.get() instanceof Collection<?> list && list.stream().allMatch(String.class::isInstance)) {
            Set<String> roles = new HashSet<>();
            list.forEach(role -> {
                if (!((String) role).isBlank()) {
                    roles.add(((String) role).strip());
                }
            });
            return roles;
        }
        throw refused("its claim '" + settings.rolesClaim() + "' is neither a string nor an array of strings"
                + " (roles.claim in " + JwtSettings.FILE + ")");
    }

    /** A value from the JWT, short and printable, for a message. */
    private static String shown(Object value) {
        String text = String.valueOf(value).replaceAll("\\p{Cntrl}", "?");
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }

    private static NexusException refused(String reason) {
        return new NexusException(ErrorCode.UNAUTHENTICATED, "JWT refused: " + reason);
    }
}
