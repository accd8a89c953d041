package nexus.security.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** A JWT check for tests: knows the JWTs it was told about, refuses every other one. */
final class StandInJwtCheck implements JwtCheck {

    private final Map<String, VerifiedJwt> known = new ConcurrentHashMap<>();
    private volatile boolean ready = true;

    /** As while the issuer's keys cannot be fetched: every JWT is refused, and not by the client's fault. */
    void unready() {
        ready = false;
    }

    @Override
    public boolean ready() {
        return ready;
    }

    void accept(String jwt, VerifiedJwt verified) {
        known.put(jwt, verified);
    }

    @Override
    public VerifiedJwt verify(String jwt) {
        VerifiedJwt verified = ready ? known.get(jwt) : null;
        if (!ready) {
            throw new NexusException(ErrorCode.UNAUTHENTICATED, "JWT refused: the issuer's keys (JWKS) cannot be fetched");
        }
        if (verified == null) {
            throw new NexusException(ErrorCode.UNAUTHENTICATED, "the JWT's signature does not match the issuer's keys");
        }
        return verified;
    }
}
