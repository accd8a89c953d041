package nexus.security.internal;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import nexus.core.Access;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.security.RoleInfo;

/**
 * The four roles every node has. Each sees and writes the whole namespace, without a row cap or
 * time limit of its own; a role configuration of the same name replaces one (see {@link RoleTable}).
 *
 * <table>
 * <caption>Built-in roles</caption>
 * <tr><th>role</th><th>permissions</th></tr>
 * <tr><td>viewer</td><td>read</td></tr>
 * <tr><td>operator</td><td>read, write, acknowledge</td></tr>
 * <tr><td>engineer</td><td>operator's, and shelve, suppress, remove-from-service, disable, registry,
 * health, metrics</td></tr>
 * <tr><td>admin</td><td>every permission (tokens included)</td></tr>
 * </table>
 */
final class BuiltInRoles {

    static final String SOURCE = "built-in";

    /** The built-in roles, by name, in the order of the table above. */
    static final Map<String, RoleInfo> ALL = builtIns();

    private BuiltInRoles() {
    }

    private static Map<String, RoleInfo> builtIns() {
        Map<String, RoleInfo> roles = new LinkedHashMap<>();
        put(roles, "viewer", EnumSet.of(Permission.READ));
        put(roles, "operator", EnumSet.of(Permission.READ, Permission.WRITE, Permission.ACKNOWLEDGE));
        put(roles, "engineer", EnumSet.of(Permission.READ, Permission.WRITE, Permission.ACKNOWLEDGE, Permission.SHELVE,
                Permission.SUPPRESS, Permission.REMOVE_FROM_SERVICE, Permission.DISABLE, Permission.REGISTRY,
                Permission.HEALTH, Permission.METRICS));
        put(roles, Access.ADMIN, EnumSet.allOf(Permission.class));
        return Collections.unmodifiableMap(roles);
    }

    private static void put(Map<String, RoleInfo> roles, String name, Set<Permission> permissions) {
        roles.put(name, RoleTable.role(name, true, permissions, PathScope.ALL, PathScope.ALL, 0, 0, SOURCE));
    }
}
