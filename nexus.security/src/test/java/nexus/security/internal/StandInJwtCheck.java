package nexus.security.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** A JWT check for tests: knows the JWTs it was told about, refuses every other one. */
final class StandInJwtCheck implements JwtCheck {

    private final Map<String, VerifiedJwt> known = new ConcurrentHashMap<>();

    void accept(String jwt, VerifiedJwt verified) {
        known.put(jwt, verified);
    }

    @Override
    public VerifiedJwt verify(String jwt) {
        VerifiedJwt verified = known.get(jwt);
        if (verified == null) {
            throw new NexusException(ErrorCode.UNAUTHENTICATED, "the JWT's signature does not match the issuer's keys");
        }
        return verified;
    }
}
