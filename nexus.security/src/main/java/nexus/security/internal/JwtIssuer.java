package nexus.security.internal;

import java.util.Objects;

/**
 * The JWT check registered now, with the issuer it verifies for (shown in {@code /health}).
 *
 * @param check  the check
 * @param issuer the issuer's name as the check's service property {@value #ISSUER_PROPERTY} gives it, or
 *               {@code null} when it gives none
 */
record JwtIssuer(JwtCheck check, String issuer) {

    /** The service property of a {@link JwtCheck} naming the issuer it accepts. */
    static final String ISSUER_PROPERTY = "issuer"; // the JWT component's configuration, which DS publishes with its service

    JwtIssuer {
        Objects.requireNonNull(check, "check");
    }
}
