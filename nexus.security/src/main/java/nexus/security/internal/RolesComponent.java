package nexus.security.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.Access;
import nexus.core.AuditRecord;
import nexus.core.AuditTrail;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.security.RoleInfo;
import nexus.security.internal.RoleTable.RoleChange;
import nexus.security.internal.RoleTable.Update;

/**
 * The roles in force, as the {@link RoleBook} of this bundle: the built-in roles and the role
 * configurations ({@link RoleConfiguration}, factory PID {@code nexus.security.role}), applied as
 * they arrive, change and go, without a restart. Every change of a role in force while the node
 * runs is logged and appended to the {@link AuditTrail} (target {@code ROLE}; when no trail is
 * registered the log line is all there is), and so is every configuration refused. The roles found
 * at start, before this component serves, are logged only, and the configurations leaving with it
 * at stop are not reported: neither is a change of any role.
 */
@Component(service = RoleBook.class, immediate = true)
public final class RolesComponent implements RoleBook {

    private static final Logger LOG = LoggerFactory.getLogger(RolesComponent.class);

    /** Who changes a role: the node, reading a configuration file an administrator wrote. */
    static final String NODE_USER = "nexus";

    private final RoleTable table = new RoleTable();

    /** Whether configurations that come and go now are changes (not the node starting or stopping). */
    private volatile boolean serving;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile AuditTrail audit;

    /** A role configuration arrived (at start, every one there is, before this component serves). */
    @Reference(name = "roles", service = RoleConfiguration.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "removeRole",
            updated = "updateRole")
    synchronized void addRole(Map<String, Object> properties) {
        report(table.put(key(properties), properties), properties);
    }

    synchronized void updateRole(Map<String, Object> properties) {
        report(table.put(key(properties), properties), properties);
    }

    synchronized void removeRole(Map<String, Object> properties) {
        if (!serving || stopping()) {
            table.remove(key(properties));
            return;
        }
        boolean failing = table.failure().isPresent();
        Update update = table.remove(key(properties));
        report(update, properties);
        if (failing && update.failure().isEmpty()) {
            LOG.info("Role configuration {} removed: the roles are in force again", RoleParser.fileOf(properties));
        }
    }

    @Activate
    void activate() {
        serving = true;
        LOG.info("Roles in force: {}{}", table.roles().stream()
                .map(role -> role.source().equals(BuiltInRoles.SOURCE) ? role.name() : role.name() + " (" + role.source() + ")")
                .collect(Collectors.joining(", ")), table.failure().map(failure -> "; " + failure).orElse(""));
    }

    @Deactivate
    void deactivate() {
        serving = false;
    }

    @Override
    public Access access(Set<String> roles) {
        return table.access(roles);
    }

    @Override
    public boolean exists(String role) {
        return table.exists(role);
    }

    @Override
    public List<RoleInfo> roles() {
        return table.roles();
    }

    @Override
    public Optional<String> failure() {
        return table.failure();
    }

    @Override
    public List<String> refusals() {
        return table.refusals();
    }

    /**
     * Whether this bundle is stopping: DS then disposes the role configurations before this
     * component, and their going is no change of the roles.
     */
    private static boolean stopping() {
        Bundle bundle = FrameworkUtil.getBundle(RolesComponent.class);
        return bundle != null && bundle.getState() == Bundle.STOPPING;
    }

    /** The configuration's PID: its key in the table, the same through every change of the file. */
    private static String key(Map<String, Object> properties) {
        Object pid = properties.get("service.pid");
        return pid != null ? pid.toString() : "component " + properties.get("component.id");
    }

    private void report(Update update, Map<String, Object> properties) {
        String file = RoleParser.fileOf(properties);
        Caller by = Caller.of(NODE_USER, "configuration " + file);
        for (RoleChange change : update.changes()) {
            if (!serving) {
                LOG.debug("Role {} at start: {}", change.role(), change.detail());
                continue;
            }
            LOG.info("Role {}: {} ({})", change.role(), change.action(), change.detail());
            append(AuditRecord.done(by, AuditRecord.Target.ROLE, change.role(), change.action(), null, null,
                    change.detail()));
        }
        if (update.refusal().isPresent()) {
            RoleRefusal refusal = update.refusal().get();
            if (update.kept().isPresent()) {
                RoleInfo kept = update.kept().get();
                LOG.warn("Role configuration refused: {}. Role {} keeps its last good definition ({}) until the file is"
                        + " fixed", refusal.message(), kept.name(), kept.source());
            } else if (update.failure().isEmpty()) {
                LOG.warn("Role configuration refused: {}. The definition in force stays until the file is fixed or"
                        + " removed", refusal.message());
            } else {
                LOG.error("Role configuration refused: {}. It has no last good definition, so every request is refused"
                        + " until the file is fixed or removed", refusal.message());
            }
            String role = refusal.role() != null ? refusal.role() : file;
            if (!serving) {
                return;
            }
            append(AuditRecord.refused(by, AuditRecord.Target.ROLE, role, update.kept().isPresent() ? "change" : "define",
                    null, null, new NexusException(ErrorCode.INVALID_ARGUMENT, refusal.message())));
        }
    }

    private void append(AuditRecord record) {
        AuditTrail trail = audit;
        if (trail == null) {
            return;
        }
        try {
            trail.append(record);
        } catch (NexusException e) {
            LOG.error("The audit trail did not take the role change {} {} ({}): {}", record.name(), record.action(),
                    record.detail(), e.getMessage());
        }
    }
}
