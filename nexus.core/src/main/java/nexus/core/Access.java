package nexus.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a caller may do, as its {@link AccessPolicy} grants it from the caller's roles: the
 * permissions, the part of the namespace it sees and the part it may write, and its own row cap and
 * time limit for queries. Every front-end, service and adapter asks the same object, and the one
 * write decision lives here ({@link #refuseWrite}), so nothing else decides who may write a tag.
 *
 * <p>A part of the namespace the caller does not see does not exist for it: a tag or alarm outside
 * {@link #read()} is answered exactly like a missing one (not found, never forbidden), and no row,
 * count, plan or message may reveal it.
 *
 * @param roles         the roles this access combines, sorted
 * @param permissions   what the roles allow together
 * @param read          the paths the caller sees (tags, their properties, their alarms)
 * @param write         the paths it may write, and whose alarms it may act on; inside {@code read}
 *                      for anything to be allowed
 * @param maxRows       the most rows one query returns for it, 0 for the query engine's own cap only
 * @param timeoutMillis the longest one query runs for it, 0 for the query engine's own limit only
 * @param actsIn        for each permission that acts (writes a tag or an alarm's state), where it
 *                      applies: roles combine permission by permission, so a role that writes tags
 *                      under {@code site1/**} and another that acknowledges under {@code site2/**}
 *                      together still write only under {@code site1/**}. {@link #write()} is their
 *                      union, for display. The six-argument constructor applies {@code write} to
 *                      every acting permission granted.
 * @since 2.0
 */
public record Access(SortedSet<String> roles, Set<Permission> permissions, PathScope read, PathScope write,
        int maxRows, long timeoutMillis, Map<Permission, PathScope> actsIn) {

    /** The permissions that change something (a tag's value, an alarm's state): each has a scope. */
    public static final Set<Permission> ACTING = Collections.unmodifiableSet(EnumSet.of(Permission.WRITE,
            Permission.ACKNOWLEDGE, Permission.SHELVE, Permission.SUPPRESS, Permission.REMOVE_FROM_SERVICE,
            Permission.DISABLE));

    /** The role that may do everything, whatever a tag's own rules say. */
    public static final String ADMIN = "admin";

    /**
     * Everything, everywhere, as {@link #ADMIN}: what a node without an access policy grants every
     * caller (the node then has no identities to tell apart).
     */
    public static final Access UNRESTRICTED = new Access(new TreeSet<>(Set.of(ADMIN)), EnumSet.allOf(Permission.class),
            PathScope.ALL, PathScope.ALL, 0, 0);

    /** Nothing: for a caller no role grants anything, and for every caller while the policy cannot decide. */
    public static final Access NONE = new Access(Collections.emptySortedSet(), Set.of(), PathScope.NONE,
            PathScope.NONE, 0, 0);

    public Access {
        roles = Collections.unmodifiableSortedSet(new TreeSet<>(roles));
        permissions = permissions.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(permissions));
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(write, "write");
        if (maxRows < 0 || timeoutMillis < 0) {
            throw new IllegalArgumentException("maxRows and timeoutMillis are 0 (no limit of the role's own) or positive");
        }
        Map<Permission, PathScope> scopes = new EnumMap<>(Permission.class);
        for (Map.Entry<Permission, PathScope> entry : actsIn.entrySet()) {
            if (ACTING.contains(entry.getKey()) && permissions.contains(entry.getKey())) {
                scopes.put(entry.getKey(), Objects.requireNonNull(entry.getValue(), "scope"));
            }
        }
        actsIn = Collections.unmodifiableMap(scopes);
    }

    /** An access whose write scope applies to every acting permission it grants (one role's, say). */
    public Access(SortedSet<String> roles, Set<Permission> permissions, PathScope read, PathScope write, int maxRows,
            long timeoutMillis) {
        this(roles, permissions, read, write, maxRows, timeoutMillis, everywhere(permissions, write));
    }

    private static Map<Permission, PathScope> everywhere(Set<Permission> permissions, PathScope write) {
        Map<Permission, PathScope> scopes = new EnumMap<>(Permission.class);
        for (Permission permission : permissions) {
            if (ACTING.contains(permission)) {
                scopes.put(permission, write);
            }
        }
        return scopes;
    }

    /** @return where the acting permission applies; nothing when it is not granted */
    public PathScope scopeOf(Permission permission) {
        return actsIn.getOrDefault(permission, PathScope.NONE);
    }

    /** @return whether the access grants the permission */
    public boolean may(Permission permission) {
        return permissions.contains(permission);
    }

    /** @return whether the caller sees the tag at this path (and its properties and alarms) */
    public boolean sees(String path) {
        return permissions.contains(Permission.READ) && read.matches(path);
    }

    /** @return whether the caller sees the whole namespace: queries then need no scoping */
    public boolean seesAll() {
        return permissions.contains(Permission.READ) && read.isAll();
    }

    /**
     * The one decision whether the caller may write a tag it sees: the roles grant
     * {@link Permission#WRITE} ∧ the tag is inside {@link #scopeOf scopeOf(WRITE)} ∧ the tag's own write roles (when
     * the registry names any) include one of the caller's roles, or the caller is {@link #ADMIN} ∧
     * the tag is writable. Whether the caller sees the tag is asked first, apart ({@link #sees}): a
     * tag it does not see is not found.
     *
     * @param path           the tag's path
     * @param writable       whether the registry marks the tag writable
     * @param tagWriteRoles  the roles the registry says may write the tag; empty when it names none
     * @return why not: {@code FORBIDDEN} naming the missing permission or rule, or
     *         {@code NOT_WRITABLE}; empty when the caller may write the tag
     */
    public Optional<NexusException> refuseWrite(String path, boolean writable, Set<String> tagWriteRoles) {
        if (!may(Permission.WRITE)) {
            return forbidden("writing tags needs the permission 'write', " + notGranted());
        }
        if (!scopeOf(Permission.WRITE).matches(path)) {
            return forbidden(actsAs() + " may write only under " + scopeOf(Permission.WRITE) + "; " + path + " is outside");
        }
        if (!tagWriteRoles.isEmpty() && !roles.contains(ADMIN)
                && tagWriteRoles.stream().noneMatch(roles::contains)) {
            return forbidden("tag " + path + " may be written only by the roles " + String.join(", ", new TreeSet<>(tagWriteRoles))
                    + " (its write_roles in the registry); the caller acts as " + rolesOrNone());
        }
        if (!writable) {
            return Optional.of(new NexusException(ErrorCode.NOT_WRITABLE, "tag " + path + " is not writable"));
        }
        return Optional.empty();
    }

    /**
     * Whether the caller may act on an alarm it sees: the roles grant the action's permission ∧ the
     * alarm's tag is inside {@link #scopeOf that permission's scope}.
     *
     * @param action   the action's name, for the message (e.g. {@code shelve})
     * @param needed   the permission the action needs
     * @param alarm    the alarm's name
     * @param tagPath  the path of the tag the alarm watches
     * @return {@code FORBIDDEN} naming the missing permission or the scope; empty when it may
     */
    public Optional<NexusException> refuseAction(String action, Permission needed, String alarm, String tagPath) {
        if (!may(needed)) {
            return forbidden("'" + action + "' on alarms needs the permission '" + needed.wireName() + "', "
                    + notGranted());
        }
        if (!scopeOf(needed).matches(tagPath)) {
            return forbidden(actsAs() + " may " + action + " only alarms of tags under " + scopeOf(needed) + "; alarm "
                    + alarm + " watches " + tagPath);
        }
        return Optional.empty();
    }

    /**
     * @return {@code FORBIDDEN} naming the permission when the access does not grant it, for the
     *         routes and commands that need one permission and nothing else
     */
    public Optional<NexusException> refuse(Permission needed, String what) {
        return may(needed) ? Optional.empty()
                : forbidden(what + " needs the permission '" + needed.wireName() + "', " + notGranted());
    }

    private String rolesOrNone() {
        return roles.isEmpty() ? "no role" : String.join(", ", roles);
    }

    private String actsAs() {
        return roles.isEmpty() ? "a caller without roles" : "the roles " + String.join(", ", roles);
    }

    private String notGranted() {
        return roles.isEmpty() ? "which a caller without roles lacks"
                : "which the roles " + String.join(", ", roles) + " do not grant";
    }

    private static Optional<NexusException> forbidden(String message) {
        return Optional.of(new NexusException(ErrorCode.FORBIDDEN, message));
    }
}
