package nexus.core;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a role may do, beyond seeing the part of the namespace its read scope covers. The wire names
 * are what role configurations, problem documents and audit records say; they are never renamed.
 *
 * @since 2.0
 */
public enum Permission {
    /** Read tags, run queries, list alarms, within the role's read scope. */
    READ("read"),
    /** Write tags within the role's write scope that the tag's own rules let it write. */
    WRITE("write"),
    /** Acknowledge alarms, and reset latched ones. */
    ACKNOWLEDGE("acknowledge"),
    /** Shelve and unshelve alarms. */
    SHELVE("shelve"),
    /** Suppress alarms by design, and end a suppression. */
    SUPPRESS("suppress"),
    /** Remove alarms from service and return them to service. */
    REMOVE_FROM_SERVICE("remove-from-service"),
    /** Disable and enable alarms. */
    DISABLE("disable"),
    /** Administer the registry: import, reload, confirm, export. */
    REGISTRY("registry"),
    /** Create, list and revoke API tokens. */
    TOKENS("tokens"),
    /** Read the whole {@code /health} document: components, paths, counts. */
    HEALTH("health"),
    /** Scrape {@code /metrics}. */
    METRICS("metrics");

    private final String wireName;

    Permission(String wireName) {
        this.wireName = wireName;
    }

    /** @return the name in configurations and messages, e.g. {@code remove-from-service} */
    public String wireName() {
        return wireName;
    }

    /** @return the permission with this wire name */
    public static Optional<Permission> byWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }

    /** @return every wire name, separated by commas, for error messages */
    public static String wireNames() {
        return Arrays.stream(values()).map(Permission::wireName).collect(Collectors.joining(", "));
    }
}
