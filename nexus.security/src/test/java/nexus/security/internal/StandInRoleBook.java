package nexus.security.internal;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import nexus.core.Access;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.security.RoleInfo;

/**
 * A role book for tests: {@code admin} (everything), {@code operator} (read, write, acknowledge) and
 * {@code viewer} (read); a role's permissions can be changed and a configuration failure set.
 */
final class StandInRoleBook implements RoleBook {

    private final Map<String, Set<Permission>> roles = new ConcurrentHashMap<>();
    private volatile String failure;

    StandInRoleBook() {
        roles.put("admin", EnumSet.allOf(Permission.class));
        roles.put("operator", EnumSet.of(Permission.READ, Permission.WRITE, Permission.ACKNOWLEDGE));
        roles.put("viewer", EnumSet.of(Permission.READ));
    }

    void grant(String role, Set<Permission> permissions) {
        roles.put(role, permissions.isEmpty() ? Set.of() : EnumSet.copyOf(permissions));
    }

    void fail(String why) {
        failure = why;
    }

    @Override
    public Access access(Set<String> names) {
        if (failure != null) {
            return Access.NONE;
        }
        Set<Permission> permissions = new HashSet<>();
        TreeSet<String> known = new TreeSet<>();
        for (String name : names) {
            Set<Permission> granted = roles.get(name);
            if (granted != null) {
                permissions.addAll(granted);
                known.add(name);
            }
        }
        return new Access(new TreeSet<>(names), permissions, known.isEmpty() ? PathScope.NONE : PathScope.ALL,
                known.isEmpty() ? PathScope.NONE : PathScope.ALL, 0, 0);
    }

    @Override
    public java.util.List<String> refusals() {
        return java.util.List.of();
    }

    @Override
    public boolean exists(String role) {
        return failure == null && roles.containsKey(role);
    }

    @Override
    public List<RoleInfo> roles() {
        if (failure != null) {
            return List.of();
        }
        return new TreeSet<>(roles.keySet()).stream()
                .map(name -> new RoleInfo(name, true, access(Set.of(name)), "built-in")).toList();
    }

    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }
}
