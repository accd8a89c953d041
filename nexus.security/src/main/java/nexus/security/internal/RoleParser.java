package nexus.security.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.security.RoleInfo;

/**
 * Reads one role configuration (PID {@code nexus.security.role}, see {@link RoleConfig}) into a role,
 * or into the reason it is refused, naming the file and the line of the offending key. Values come
 * as a {@code .cfg} file gives them (text, lists comma-separated) or typed (arrays, numbers).
 */
final class RoleParser {

    static final String NAME = "name";
    static final String PERMISSIONS = "permissions";
    static final String READ = "read";
    static final String WRITE = "write";
    static final String ROWS_MAX = "rows.max";
    static final String TIMEOUT_MS = "timeout.ms";

    /** The property File Install puts into every configuration it made from a file. */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private static final List<String> KEYS = List.of(NAME, PERMISSIONS, READ, WRITE, ROWS_MAX, TIMEOUT_MS);
    private static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** A role configuration read: the role it defines, or why it is refused. */
    sealed interface Parsed {
        /** @return the configuration's file, for messages and {@link RoleInfo#source()} */
        String file();
    }

    /**
     * A valid configuration.
     *
     * @param nameLine the line of its {@code name} key, from 1; 0 when unknown
     */
    record Defined(String file, RoleInfo role, int nameLine) implements Parsed {
    }

    /** A refused configuration. */
    record Refused(String file, RoleRefusal refusal) implements Parsed {
    }

    private RoleParser() {
    }

    /**
     * @param properties the configuration's properties, with those of Configuration Admin, DS and File
     *                   Install (they are ignored)
     * @return the role, or why the configuration is refused
     */
    static Parsed parse(Map<String, ?> properties) {
        String file = fileOf(properties);
        Location at = new Location(file, properties.get(FILE_PROPERTY));
        Object nameValue = properties.get(NAME);
        String name = nameValue == null ? "" : nameValue.toString().strip();
        if (name.isEmpty()) {
            return at.refuse(NAME, null, "the role has no name: write a line such as 'name = operator' (letters,"
                    + " digits, . _ -)");
        }
        if (!ROLE_NAME.matcher(name).matches()) {
            return at.refuse(NAME, null, "the role name '" + shortened(name) + "' is not valid: use letters, digits,"
                    + " . _ - and at most 64 characters");
        }
        List<String> unknown = properties.keySet().stream().filter(key -> !KEYS.contains(key) && !frameworkKey(key))
                .sorted().toList();
        if (!unknown.isEmpty()) {
            return at.refuse(unknown.get(0), name, "the key '" + shortened(unknown.get(0)) + "' is unknown (the keys"
                    + " are " + String.join(", ", KEYS) + "): a mistyped key would leave the role wider than meant");
        }

        Set<Permission> permissions;
        Object permissionValue = properties.get(PERMISSIONS);
        if (permissionValue == null) {
            RoleInfo builtIn = BuiltInRoles.ALL.get(name);
            if (builtIn == null) {
                return at.refuse(PERMISSIONS, name, "role '" + name + "' lists no permissions: write a line such as"
                        + " 'permissions = read, acknowledge' (known: " + Permission.wireNames() + ")");
            }
            permissions = builtIn.access().permissions();
        } else {
            permissions = EnumSet.noneOf(Permission.class);
            for (String entry : entries(permissionValue)) {
                Optional<Permission> permission = Permission.byWireName(entry.toLowerCase(Locale.ROOT));
                if (permission.isEmpty()) {
                    return at.refuse(PERMISSIONS, name, "the permission '" + shortened(entry) + "' is unknown; the"
                            + " known ones are " + Permission.wireNames());
                }
                permissions.add(permission.get());
            }
        }

        PathScope read;
        PathScope write;
        try {
            read = scope(properties.get(READ), PathScope.ALL);
        } catch (IllegalArgumentException e) {
            return at.refuse(READ, name, "read: " + e.getMessage());
        }
        try {
            // Absent, the role writes what it reads: a default of everything would let this role's
            // write permission reach what another role of the same caller sees.
            write = scope(properties.get(WRITE), read);
        } catch (IllegalArgumentException e) {
            return at.refuse(WRITE, name, "write: " + e.getMessage());
        }

        long rows;
        long timeout;
        try {
            rows = count(properties.get(ROWS_MAX), ROWS_MAX, "rows", Integer.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            return at.refuse(ROWS_MAX, name, e.getMessage());
        }
        try {
            timeout = count(properties.get(TIMEOUT_MS), TIMEOUT_MS, "milliseconds", Long.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            return at.refuse(TIMEOUT_MS, name, e.getMessage());
        }
        return new Defined(file, RoleTable.role(name, BuiltInRoles.ALL.containsKey(name), permissions, read, write,
                (int) rows, timeout, file), at.lineOf(NAME));
    }

    /** @return the configuration's file as File Install names it (a path), or its PID */
    static String fileOf(Map<String, ?> properties) {
        Object name = properties.get(FILE_PROPERTY);
        if (name == null) {
            Object pid = properties.get("service.pid");
            return "configuration " + (pid == null ? "without a PID" : pid);
        }
        Path path = path(name);
        return path == null ? name.toString() : path.toString();
    }

    private static boolean frameworkKey(String key) {
        return key.startsWith("service.") || key.startsWith("component.") || key.startsWith("osgi.")
                || key.startsWith("felix.fileinstall.") || key.startsWith(".") || key.equals("objectClass");
    }

    /** Entries as configured: text or an array or a collection, each element possibly comma-separated. */
    private static List<String> entries(Object value) {
        List<String> entries = new ArrayList<>();
        if (value instanceof Object[] array) {
            for (Object element : array) {
                entries.addAll(entries(element));
            }
        } else if (value instanceof Collection<?> collection) {
            for (Object element : collection) {
                entries.addAll(entries(element));
            }
        } else if (value != null) {
            for (String entry : value.toString().split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.strip());
                }
            }
        }
        return entries;
    }

    private static PathScope scope(Object value, PathScope absent) {
        return value == null ? absent : new PathScope(entries(value));
    }

    private static long count(Object value, String key, String unit, long most) {
        if (value == null || value.toString().isBlank()) {
            return 0;
        }
        long number;
        if (value instanceof Number n && !(value instanceof Double || value instanceof Float)) {
            number = n.longValue();
        } else {
            try {
                number = Long.parseLong(value.toString().strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " '" + shortened(value.toString()) + "' is not a whole number"
                        + " of " + unit + ": write 0 (none of the role's own) or a positive number");
            }
        }
        if (number < 0) {
            throw new IllegalArgumentException(key + " is " + number + ", which is negative: write 0 (none of the role's"
                    + " own) or a positive number of " + unit);
        }
        if (number > most) {
            throw new IllegalArgumentException(key + " is " + number + ", more than the most, " + most);
        }
        return number;
    }

    private static String shortened(String text) {
        String line = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        StringBuilder out = new StringBuilder(line.length());
        line.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    private static Path path(Object name) {
        String text = name.toString();
        try {
            return text.startsWith("file:") ? Path.of(URI.create(text)) : Path.of(text);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    /** Where a configuration came from, to name the line of a key in refusals. */
    private record Location(String file, Object fileProperty) {

        Refused refuse(String key, String role, String reason) {
            return new Refused(file, new RoleRefusal(file, lineOf(key), role, reason));
        }

        /** @return the last line that sets the key (as File Install keeps the last), or 0 */
        int lineOf(String key) {
            Path path = fileProperty == null ? null : path(fileProperty);
            if (path == null) {
                return 0;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(path, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return 0;
            }
            int found = 0;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).stripLeading();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                    continue;
                }
                int end = 0;
                while (end < line.length() && "=: \t\f".indexOf(line.charAt(end)) < 0) {
                    end++;
                }
                if (line.substring(0, end).equals(key)) {
                    found = i + 1;
                }
            }
            return found;
        }
    }
}
