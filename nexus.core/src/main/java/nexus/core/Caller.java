package nexus.core;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Who asks: comes in with every read, query, write and alarm action and goes out in its audit
 * record. A front-end never makes one up from what a client typed: it is the identity the
 * authenticator established (a token's name, a JWT's subject, the OS user at the console), with the
 * roles that identity holds; {@link AccessPolicy} turns the roles into what the caller may do.
 *
 * @param user   who: a token's name, a JWT's subject, an OS user; never blank
 * @param roles  the roles the user acts in, sorted by name; empty when the node runs without access
 *               control, or for an identity that holds none
 * @param source where the call came through, e.g. {@code http 127.0.0.1}, {@code shell}
 * @since 2.0
 */
public record Caller(String user, SortedSet<String> roles, String source) {

    /** The longest user name, in characters. */
    public static final int MAX_USER = 128;

    /**
     * The user is stripped of surrounding blanks; the roles are copied, sorted and unmodifiable.
     *
     * @throws NexusException INVALID_ARGUMENT when the user is missing or blank, longer than
     *                        {@value #MAX_USER} characters or holds control characters: the one
     *                        message every front-end shows
     */
    public Caller {
        Objects.requireNonNull(source, "source");
        if (user == null || user.isBlank()) {
            throw invalid("the user is missing: every write and every alarm action names who takes it");
        }
        user = user.strip();
        if (user.length() > MAX_USER) {
            throw invalid("the user name is " + user.length() + " characters long; the most is " + MAX_USER);
        }
        if (user.chars().anyMatch(Character::isISOControl)) {
            throw invalid("the user name contains control characters");
        }
        roles = roles == null || roles.isEmpty() ? Collections.emptySortedSet()
                : Collections.unmodifiableSortedSet(new TreeSet<>(roles));
    }

    /** @return a caller with these roles */
    public static Caller of(String user, Set<String> roles, String source) {
        return new Caller(user, roles == null ? null : new TreeSet<>(roles), source);
    }

    /** @return a caller without roles */
    public static Caller of(String user, String source) {
        return new Caller(user, null, source);
    }

    /** @return the roles for messages and logs: {@code operator, engineer}, or {@code no role} */
    public String rolesText() {
        return roles.isEmpty() ? "no role" : String.join(", ", roles);
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
