package nexus.security;

import java.util.Objects;

/**
 * A token just created: the only time its secret exists outside the client that keeps it.
 *
 * @param info   the token as listed from now on
 * @param secret the token to send as {@code Authorization: Bearer <secret>}
 * @since 1.0
 */
public record IssuedToken(TokenInfo info, String secret) {

    public IssuedToken {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "IssuedToken[" + info + ", secret=…]";
    }
}
