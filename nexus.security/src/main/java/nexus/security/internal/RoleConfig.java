package nexus.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One role, factory configuration PID {@code nexus.security.role}: a file
 * {@code etc/nexus.security.role-<anything>.cfg} per role. Describes the keys for Metatype; the
 * values are read and checked by {@link RoleParser}, which refuses what Metatype would only coerce.
 */
@ObjectClassDefinition(name = "RMA Nexus role", description = "A role: what it may do and which part of the"
        + " namespace it sees and writes. A role named like a built-in one (viewer, operator, engineer, admin)"
        + " replaces it.")
@interface RoleConfig {

    @AttributeDefinition(name = "name", description = "The role's name: letters, digits, . _ -, at most 64 characters;"
            + " one configuration per name")
    String name();

    @AttributeDefinition(name = "permissions", description = "What the role may do, comma-separated: read, write,"
            + " acknowledge, shelve, suppress, remove-from-service, disable, registry, tokens, health, metrics. Absent:"
            + " the built-in role's permissions for a built-in name, refused for another name", required = false)
    String[] permissions();

    @AttributeDefinition(name = "read", description = "The path globs the role sees, comma-separated (site1/area2/**);"
            + " empty for nothing", required = false)
    String[] read() default { "**" };

    @AttributeDefinition(name = "write", description = "The path globs the role writes and acts on alarms in,"
            + " comma-separated; empty for nothing. Absent: the read globs", required = false)
    String[] write();

    @AttributeDefinition(name = "rows.max", description = "The most rows one query returns for the role; 0 for the"
            + " query engine's own cap only", required = false)
    int rows_max() default 0;

    @AttributeDefinition(name = "timeout.ms", description = "Milliseconds one query may run for the role; 0 for the"
            + " query engine's own limit only", required = false)
    long timeout_ms() default 0;
}
