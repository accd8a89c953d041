package nexus.security.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

import nexus.security.TokenInfo;

/**
 * One API token as {@code etc/tokens.json} keeps it: never the token itself, only its public id and
 * the SHA-256 of the whole token.
 *
 * @param id        the public id embedded in the token, by which it is looked up
 * @param name      the token's name, which is the identity's user name
 * @param roles     the roles it acts in
 * @param sha256    the SHA-256 of the token, 64 lower-case hex digits
 * @param created   when it was created
 * @param createdBy who created it
 */
record StoredToken(String id, String name, SortedSet<String> roles, String sha256, Instant created, String createdBy) {

    /** What a token name may be: letters, digits, {@code . _ -}, at most 64 characters. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    StoredToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        roles = Collections.unmodifiableSortedSet(new TreeSet<>(roles));
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(createdBy, "createdBy");
    }

    /** @return whether this record is the given token's: compares the hashes in constant time */
    boolean matches(String token) {
        return Secrets.sameHash(Secrets.sha256Hex(token).getBytes(StandardCharsets.US_ASCII),
                sha256.getBytes(StandardCharsets.US_ASCII));
    }

    TokenInfo info() {
        return new TokenInfo(name, roles, created, createdBy);
    }
}
