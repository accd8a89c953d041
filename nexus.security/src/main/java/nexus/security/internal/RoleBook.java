package nexus.security.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import nexus.core.Access;
import nexus.security.RoleInfo;

/**
 * The roles in force (built-in and configured), as the rest of this bundle sees them: registered as
 * a service by the roles component, used by the authenticator (which roles exist, whether an
 * identity's access changed) and by the access policy. Thread-safe; answers from memory.
 */
interface RoleBook {

    /**
     * @return what these roles grant together: the union of their permissions and scopes, the
     *         largest row cap and time limit (0, none of its own, wins); unknown roles grant nothing;
     *         {@link Access#NONE} while no valid configuration is in force (fail closed)
     */
    Access access(Set<String> roles);

    /** @return whether a role of this name is in force */
    boolean exists(String role);

    /** @return every role in force, by name */
    List<RoleInfo> roles();

    /** @return why no role configuration is in force (every request is refused then), or empty */
    Optional<String> failure();

    /**
     * @return every role configuration refused now, each in one sentence naming its file, the line
     *         and the reason ({@code etc/nexus.security.role-ops.cfg line 3: the permission 'wirte' is
     *         unknown; ...}), in the order the configurations arrived; empty when none is. The last
     *         good definition of a refused configuration's role stays in force; one without any makes
     *         {@link #failure()} present.
     */
    List<String> refusals();
}
