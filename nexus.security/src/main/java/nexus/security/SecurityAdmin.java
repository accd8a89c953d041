package nexus.security;

import java.util.List;
import java.util.Set;

import nexus.core.Caller;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Administration of identities: API tokens and a view of the roles. Every call is checked against
 * the acting caller's permissions ({@code tokens} for tokens) and audited. Thread-safe.
 *
 * @since 1.0
 */
@ProviderType
public interface SecurityAdmin {

    /**
     * Creates an API token. Only a SHA-256 hash of it is stored (in {@code etc/tokens.json}, mode
     * 0600); the token itself is in the answer and nowhere else.
     *
     * @param by    who creates it (needs the {@code tokens} permission, and may give the token no
     *              permission or path its own roles do not grant)
     * @param name  the token's name, which is the identity's user name: letters, digits, {@code . _ -},
     *              at most 64 characters, unique
     * @param roles the roles it acts in, each a known role
     * @throws nexus.core.NexusException FORBIDDEN without the permission, or for roles that grant
     *                                   more than the creator's; INVALID_ARGUMENT for a bad
     *                                   or taken name, no role or an unknown role;
     *                                   BACKEND_UNAVAILABLE when the store cannot be written (no token
     *                                   is created then)
     */
    IssuedToken createToken(Caller by, String name, Set<String> roles);

    /**
     * Revokes a token: it stops working at once, and streams and sessions it opened close within a
     * second.
     *
     * @throws nexus.core.NexusException FORBIDDEN without the permission, or for a token whose roles
     *                                   grant more than the caller's; NOT_FOUND when no token has the
     *                                   name; BACKEND_UNAVAILABLE when the store cannot be
     *                                   written (the token keeps working then)
     */
    void revokeToken(Caller by, String name);

    /**
     * @return the tokens, by name (never their secrets)
     * @throws nexus.core.NexusException FORBIDDEN without the {@code tokens} permission
     */
    List<TokenInfo> tokens(Caller by);

    /** @return every role in force, built-in and configured, by name */
    List<RoleInfo> roles();

    /** @return what the caller may do, for {@code whoami} */
    nexus.core.Access access(Caller caller);
}
