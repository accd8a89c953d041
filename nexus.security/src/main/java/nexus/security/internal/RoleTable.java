package nexus.security.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import nexus.core.Access;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.security.RoleInfo;
import nexus.security.internal.RoleParser.Defined;
import nexus.security.internal.RoleParser.Parsed;
import nexus.security.internal.RoleParser.Refused;

/**
 * The roles in force: the {@linkplain BuiltInRoles built-in} ones, replaced or joined by the role
 * configurations, each kept under its configuration's key (its PID) in the order they arrived.
 *
 * <p>A configuration that is refused (see {@link RoleParser}, or a second configuration of a name
 * an earlier one defines, whose definition then holds) leaves its last good definition in force; one
 * refused for another reason with no last good definition makes the table fail closed: {@link #failure()} says why and {@link #access} answers
 * {@link Access#NONE} for everyone until the file is fixed or removed.
 *
 * <p>Thread-safe: changes are serialised; readers see one immutable state, and {@link #access}
 * answers a combination of roles from a cache after its first time.
 */
final class RoleTable implements RoleBook {

    /** The most role combinations cached per state; beyond that they are computed on every call. */
    private static final int CACHE_MOST = 4096;

    /** The permissions that act on tags or alarms: only a role with one of them has a write scope. */
    private static final Set<Permission> ACTING = Access.ACTING;

    /** A change of a role in force: {@code define}, {@code change} or {@code remove}, and what changed. */
    record RoleChange(String role, String action, String detail) {
    }

    /**
     * What one configuration did to the table.
     *
     * @param changes the roles in force that changed, by name
     * @param refusal why the configuration was refused, or empty when it was taken
     * @param kept    the definition kept in force in its place (the last good one), or empty
     * @param failure why the table fails closed now, or empty
     */
    record Update(List<RoleChange> changes, Optional<RoleRefusal> refusal, Optional<RoleInfo> kept,
            Optional<String> failure) {
    }

    /** One configuration: what it says now, and what it said last that was taken. */
    private static final class Configuration {
        Parsed latest;
        RoleInfo lastGood;
        /** Set by {@link RoleTable#recompute()}: why it is refused now, or null. */
        RoleRefusal refusal;
        /** Set by {@link RoleTable#recompute()}: the definition in force for it, or null. */
        RoleInfo kept;
    }

    private record State(Map<String, RoleInfo> roles, List<RoleRefusal> refusals, Optional<String> failure,
            Map<Set<String>, Access> cache) {
    }

    /** Guarded by this. */
    private final Map<String, Configuration> configurations = new LinkedHashMap<>();
    private volatile State state = new State(Collections.unmodifiableMap(new TreeMap<>(BuiltInRoles.ALL)), List.of(),
            Optional.empty(), new ConcurrentHashMap<>());

    /**
     * A role of this definition: a role without {@code read} sees nothing and one without an acting
     * permission writes nothing, so that combined with another role its globs grant nothing more.
     */
    static RoleInfo role(String name, boolean builtIn, Set<Permission> permissions, PathScope read, PathScope write,
            int maxRows, long timeoutMillis, String source) {
        PathScope seen = permissions.contains(Permission.READ) ? read : PathScope.NONE;
        PathScope written = permissions.stream().anyMatch(ACTING::contains) ? write : PathScope.NONE;
        return new RoleInfo(name, builtIn,
                new Access(new TreeSet<>(Set.of(name)), permissions, seen, written, maxRows, timeoutMillis), source);
    }

    /**
     * A configuration arrived or changed.
     *
     * @param key        the configuration's key (its PID)
     * @param properties its properties
     */
    synchronized Update put(String key, Map<String, ?> properties) {
        Configuration configuration = configurations.computeIfAbsent(key, k -> new Configuration());
        configuration.latest = RoleParser.parse(properties);
        Map<String, RoleInfo> before = state.roles();
        recompute();
        return new Update(changes(before, state.roles()), Optional.ofNullable(configuration.refusal),
                Optional.ofNullable(configuration.refusal == null ? null : configuration.kept), state.failure());
    }

    /** A configuration was deleted (its file removed). */
    synchronized Update remove(String key) {
        if (configurations.remove(key) == null) {
            return new Update(List.of(), Optional.empty(), Optional.empty(), state.failure());
        }
        Map<String, RoleInfo> before = state.roles();
        recompute();
        return new Update(changes(before, state.roles()), Optional.empty(), Optional.empty(), state.failure());
    }

    @Override
    public Access access(Set<String> roles) {
        State now = state;
        if (now.failure().isPresent()) {
            return Access.NONE;
        }
        Access cached = now.cache().get(roles);
        if (cached != null) {
            return cached;
        }
        // Unknown roles (a JWT may carry any) are left out of the answer; the combination of the
        // known ones is what is worth computing once.
        SortedSet<String> known = new TreeSet<>();
        for (String role : roles) {
            if (now.roles().containsKey(role)) {
                known.add(role);
            }
        }
        Access combined = known.isEmpty() ? Access.NONE : now.cache().get(known);
        if (combined == null) {
            combined = combine(known, now.roles());
            remember(now, Collections.unmodifiableSortedSet(known), combined);
        }
        remember(now, Set.copyOf(roles), combined);
        return combined;
    }

    private static void remember(State state, Set<String> roles, Access access) {
        if (state.cache().size() < CACHE_MOST) {
            state.cache().put(roles, access);
        }
    }

    @Override
    public boolean exists(String role) {
        return state.roles().containsKey(role);
    }

    @Override
    public List<RoleInfo> roles() {
        return List.copyOf(state.roles().values());
    }

    @Override
    public Optional<String> failure() {
        return state.failure();
    }

    @Override
    public List<String> refusals() {
        return state.refusals().stream().map(RoleRefusal::message).toList();
    }

    /** @return the refused configurations, in the order they arrived */
    List<RoleRefusal> refused() {
        return state.refusals();
    }

    /** The union of the roles' grants; of the row caps and time limits the largest, 0 (none) above all. */
    private static Access combine(SortedSet<String> names, Map<String, RoleInfo> roles) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        PathScope read = PathScope.NONE;
        PathScope write = PathScope.NONE;
        Map<Permission, PathScope> actsIn = new EnumMap<>(Permission.class);
        int rows = -1;
        long timeout = -1;
        for (String name : names) {
            Access access = roles.get(name).access();
            permissions.addAll(access.permissions());
            read = read.or(access.read());
            write = write.or(access.write());
            // Permission by permission: one role's write scope never widens what another role's permission does.
            access.actsIn().forEach((permission, scope) -> actsIn.merge(permission, scope, PathScope::or));
            rows = rows == 0 || access.maxRows() == 0 ? 0 : Math.max(rows, access.maxRows());
            timeout = timeout == 0 || access.timeoutMillis() == 0 ? 0 : Math.max(timeout, access.timeoutMillis());
        }
        if (!(permissions.contains(Permission.READ) && read.isAll())) {
            // /health's details and /metrics are figures of the whole node (tags, alarms, banks):
            // only a caller who sees the whole namespace may read them.
            permissions.removeAll(WHOLE_NODE);
        }
        return new Access(names, permissions, read, write, rows, timeout, actsIn);
    }

    /** The permissions that show figures of the whole node, granted only with a read scope of {@code **}. */
    static final Set<Permission> WHOLE_NODE = EnumSet.of(Permission.HEALTH, Permission.METRICS);

    /**
     * Builds the roles in force from the configurations, in the order they arrived: a valid one
     * defines its role (and becomes its last good definition) unless an earlier one defined the
     * name; a refused one keeps its last good definition.
     */
    private void recompute() {
        Map<String, RoleInfo> roles = new TreeMap<>(BuiltInRoles.ALL);
        Map<String, String> definedBy = new HashMap<>();
        List<RoleRefusal> refusals = new ArrayList<>();
        List<RoleRefusal> failures = new ArrayList<>();
        for (Configuration configuration : configurations.values()) {
            RoleRefusal refusal = null;
            boolean inForceElsewhere = false;
            if (configuration.latest instanceof Defined defined) {
                String name = defined.role().name();
                String other = definedBy.get(name);
                if (other == null) {
                    configuration.lastGood = defined.role();
                } else {
                    inForceElsewhere = true;
                    refusal = new RoleRefusal(defined.file(), defined.nameLine(), name, "role '" + name
                            + "' is defined already in " + other + ": one configuration per role; remove or rename"
                            + " one of them");
                }
            } else if (configuration.latest instanceof Refused refused) {
                refusal = refused.refusal();
            }
            RoleInfo good = configuration.lastGood;
            boolean keeps = good != null && !definedBy.containsKey(good.name());
            configuration.refusal = refusal;
            configuration.kept = keeps ? good : null;
            if (refusal != null) {
                refusals.add(refusal);
                // A second definition of a role in force leaves nothing undecided: the first one holds.
                if (!keeps && !inForceElsewhere) {
                    failures.add(refusal);
                }
            }
            if (keeps) {
                roles.put(good.name(), good);
                definedBy.put(good.name(), good.source());
            }
        }
        Optional<String> failure = failures.isEmpty() ? Optional.empty()
                : Optional.of("no valid role configuration is in force, so every request is refused until "
                        + (failures.size() == 1 ? "this file is" : "these files are") + " fixed or removed: "
                        + failures.stream().map(RoleRefusal::message).collect(Collectors.joining("; ")));
        state = new State(Collections.unmodifiableMap(roles), List.copyOf(refusals), failure, new ConcurrentHashMap<>());
    }

    private static List<RoleChange> changes(Map<String, RoleInfo> before, Map<String, RoleInfo> after) {
        List<RoleChange> changes = new ArrayList<>();
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            RoleInfo old = before.get(name);
            RoleInfo now = after.get(name);
            if (old == null) {
                changes.add(new RoleChange(name, "define", describe(now)));
            } else if (now == null) {
                changes.add(new RoleChange(name, "remove", "was " + describe(old)));
            } else if (!old.equals(now)) {
                changes.add(new RoleChange(name, "change", differences(old, now)));
            }
        }
        return changes;
    }

    /** @return a role's definition in one line, as a configuration would say it */
    static String describe(RoleInfo role) {
        Access access = role.access();
        return "permissions " + permissions(access.permissions()) + "; read " + access.read() + "; write "
                + access.write() + "; rows.max " + access.maxRows() + "; timeout.ms " + access.timeoutMillis() + " ("
                + role.source() + ")";
    }

    private static String differences(RoleInfo old, RoleInfo now) {
        Access a = old.access();
        Access b = now.access();
        List<String> parts = new ArrayList<>();
        if (!a.permissions().equals(b.permissions())) {
            parts.add("permissions " + permissions(a.permissions()) + " -> " + permissions(b.permissions()));
        }
        if (!a.read().equals(b.read())) {
            parts.add("read " + a.read() + " -> " + b.read());
        }
        if (!a.write().equals(b.write())) {
            parts.add("write " + a.write() + " -> " + b.write());
        }
        if (a.maxRows() != b.maxRows()) {
            parts.add("rows.max " + a.maxRows() + " -> " + b.maxRows());
        }
        if (a.timeoutMillis() != b.timeoutMillis()) {
            parts.add("timeout.ms " + a.timeoutMillis() + " -> " + b.timeoutMillis());
        }
        if (!Objects.equals(old.source(), now.source())) {
            parts.add("defined in " + old.source() + " -> " + now.source());
        }
        return String.join("; ", parts);
    }

    private static String permissions(Set<Permission> permissions) {
        return permissions.isEmpty() ? "none"
                : permissions.stream().map(Permission::wireName).collect(Collectors.joining(", "));
    }
}
