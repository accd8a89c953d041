package nexus.security.internal;

import java.time.Instant;
import java.util.Set;

/**
 * A JWT whose signature, issuer, audience and times were checked.
 *
 * @param subject the user (the configured claim, {@code sub} by default)
 * @param roles   the roles from the configured claim (names of roles in force or not: the role book
 *                grants nothing for unknown ones)
 * @param expires its {@code exp} plus the clock skew allowed: it is kept, and an identity made from
 *                it is current, until then
 */
record VerifiedJwt(String subject, Set<String> roles, Instant expires) {

    VerifiedJwt {
        roles = Set.copyOf(roles);
    }
}
