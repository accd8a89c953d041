package nexus.security.internal;

/**
 * Verifies JWTs from the plant's identity provider: registered as a service by the JWT component
 * only while a JWT issuer is configured. Thread-safe; a JWT verified once is kept until it expires,
 * so its signature is not checked again.
 */
interface JwtCheck {

    /**
     * @param jwt the compact JWT, as it came after {@code Bearer }
     * @return the verified identity
     * @throws nexus.core.NexusException UNAUTHENTICATED saying what was wrong (malformed, wrongly
     *                                   signed, unknown key, wrong issuer or audience, expired, not
     *                                   yet valid, no keys because the JWKS cannot be fetched), never
     *                                   repeating the JWT
     */
    VerifiedJwt verify(String jwt);

    /**
     * @return whether JWTs can be verified now: the configuration is valid and the issuer's keys are
     *         held. While not, a refused JWT is the node's fault, not the client's, and its address is
     *         not slowed down for it.
     */
    default boolean ready() {
        return true;
    }
}
