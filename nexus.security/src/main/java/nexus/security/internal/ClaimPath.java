package nexus.security.internal;

import java.util.Map;
import java.util.Optional;

/**
 * Finds a claim by name or by dotted path: {@code realm_access.roles} is the {@code roles} member of
 * the {@code realm_access} object. A top-level claim whose name is the whole path wins, so that
 * namespaced claims such as {@code https://nexus.example.com/roles} work too.
 */
final class ClaimPath {

    private ClaimPath() {
    }

    /** @return the value at {@code path} in {@code claims}, or empty when there is none (or it is null) */
    static Optional<Object> find(Map<String, Object> claims, String path) {
        Object whole = claims.get(path);
        if (whole != null) {
            return Optional.of(whole);
        }
        Object at = claims;
        for (String step : path.split("\\.")) {
            if (!(at instanceof Map<?, ?> object)) {
                return Optional.empty();
            }
            at = object.get(step);
        }
        return Optional.ofNullable(at);
    }
}
