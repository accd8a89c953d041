package nexus.security;

import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An API token as listed: never its secret.
 *
 * @param name      the token's name, the identity's user name
 * @param roles     the roles it acts in
 * @param created   when it was created
 * @param createdBy who created it
 * @since 1.0
 */
public record TokenInfo(String name, SortedSet<String> roles, Instant created, String createdBy) {

    public TokenInfo {
        Objects.requireNonNull(name, "name");
        roles = Collections.unmodifiableSortedSet(new TreeSet<>(roles));
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(createdBy, "createdBy");
    }
}
