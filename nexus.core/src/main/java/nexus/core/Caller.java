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
     * @throws NexusException INVALID_ARGUMENT when the user is blank or longer than {@value #MAX_USER}
     *                        characters, with the message every front-end shows
     */
    public Caller {
        Objects.requireNonNull(source, "source");
        if (user == null || user.isBlank()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "a user is required: name who does it");
        }
        if (user.length() > MAX_USER) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "the user is " + user.length()
                    + " characters long; the longest allowed is " + MAX_USER);
        }
    }

    /** @return a caller without a role */
    public static Caller of(String user, String source) {
        return new Caller(user, null, source);
    }
}
