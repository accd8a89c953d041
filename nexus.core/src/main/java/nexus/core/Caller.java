package nexus.core;

import java.util.Objects;

/**
 * Who asks: comes in with every read, write and alarm action and goes out in its audit record.
 * Until access control exists (phase 4) the user is what the client says it is and the role is
 * {@code null}; the source is what the front-end saw (an address, the console).
 *
 * @param user   who: an operator's or a client's name; never blank
 * @param role   the role the user acts in, or {@code null} while no access control assigns one
 * @param source where the call came through, e.g. {@code http 127.0.0.1}, {@code shell}
 * @since 1.4
 */
public record Caller(String user, String role, String source) {

    /** The longest user name, in characters. */
    public static final int MAX_USER = 128;

    /**
     * The user is stripped of surrounding blanks.
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
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** @return a caller without a role */
    public static Caller of(String user, String source) {
        return new Caller(user, null, source);
    }
}
