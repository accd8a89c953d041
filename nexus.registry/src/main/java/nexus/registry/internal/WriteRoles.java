package nexus.registry.internal;

import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A tag's write roles as the registry stores them (column {@code tag.write_roles}, docs/registry.md):
 * role names separated by single spaces, {@code NULL} for none. A role name is a lowercase letter
 * followed by up to 63 lowercase letters, digits, {@code _} or {@code -}, the names role
 * configurations use.
 */
final class WriteRoles {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

    /** What a role name is, for messages. */
    static final String RULE = "a role name is a lowercase letter followed by up to 63 lowercase letters,"
            + " digits, '_' or '-'";

    private WriteRoles() {
    }

    /** @return why the name is no role name, or empty when it is one */
    static Optional<String> refuse(String name) {
        if (NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        String shown = name.length() > 70 ? name.substring(0, 70) + "…" : name;
        return Optional.of("'" + shown + "' is not a role name: " + RULE);
    }

    /** @return the stored form: the names sorted, separated by single spaces; {@code null} for none */
    static String format(Set<String> roles) {
        return roles.isEmpty() ? null : String.join(" ", new TreeSet<>(roles));
    }

    /**
     * Reads the stored form. The names are taken as they are; {@link #problem} says whether they are
     * valid.
     *
     * @return the names; empty for {@code null} or blank
     */
    static SortedSet<String> parse(String stored) {
        SortedSet<String> roles = new TreeSet<>();
        if (stored != null && !stored.isBlank()) {
            for (String name : stored.strip().split(" +")) {
                roles.add(name);
            }
        }
        return roles;
    }

    /** @return what is wrong with a stored value (not single-space separated names), or empty */
    static Optional<String> problem(String stored) {
        if (stored == null) {
            return Optional.empty();
        }
        if (stored.isEmpty() || !stored.equals(stored.strip()) || stored.contains("  ")) {
            return Optional.of("write_roles '" + stored + "' is not role names separated by single spaces"
                    + " (NULL when the tag names none)");
        }
        for (String name : stored.split(" ")) {
            Optional<String> refused = refuse(name);
            if (refused.isPresent()) {
                return Optional.of("write_roles holds " + refused.get());
            }
        }
        return Optional.empty();
    }
}
