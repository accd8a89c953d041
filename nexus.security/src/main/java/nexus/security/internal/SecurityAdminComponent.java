package nexus.security.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
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
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.security.IssuedToken;
import nexus.security.RoleInfo;
import nexus.security.SecurityAdmin;
import nexus.security.TokenInfo;

/**
 * Administration of API tokens, checked and audited: the acting caller needs the {@code tokens}
 * permission (from the role book, for its roles), every change is appended to the {@link AuditTrail}
 * ({@code TOKEN}, {@code create}/{@code revoke}, the roles as detail) once the new store file is
 * written and before it replaces the old one, so an act is never carried out unaudited. Refusals
 * (permission, a bad name or role) are audited too, when the trail is there. Thread-safe.
 */
@Component(service = SecurityAdmin.class)
public final class SecurityAdminComponent implements SecurityAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityAdminComponent.class);

    private final TokenStore store;
    private final RoleBook roles;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditTrail trail;

    @Activate
    public SecurityAdminComponent(@Reference TokenStore store, @Reference RoleBook roles) {
        this.store = store;
        this.roles = roles;
    }

    /** For tests: with this audit trail, or {@code null} for none. */
    SecurityAdminComponent(TokenStore store, RoleBook roles, AuditTrail trail) {
        this(store, roles);
        this.trail = trail;
    }

    @Override
    public IssuedToken createToken(Caller by, String name, Set<String> roleNames) {
        AuditTrail audit = trail;
        String what = name == null ? "" : name;
        String detail = roleNames == null ? "" : String.join(", ", roleNames.stream().map(String::valueOf)
                .collect(Collectors.toCollection(TreeSet::new)));
        Append append = new Append(audit);
        try {
            requireTrail(audit);
            refuse(by, "creating tokens");
            SortedSet<String> checked = checkCreate(name, roleNames);
            refuseBeyondOwn(by, checked);
            IssuedToken issued = store.create(name, checked, by.user(),
                    info -> append.record(AuditRecord.done(by, AuditRecord.Target.TOKEN, name, "create", null, null, detail)));
            LOG.info("Token '{}' ({}) created by {} ({})", name, detail, by.user(), by.source());
            return issued;
        } catch (NexusException e) {
            append.refusal(by, what, "create", e);
            throw e;
        }
    }

    @Override
    public void revokeToken(Caller by, String name) {
        AuditTrail audit = trail;
        String what = name == null ? "" : name;
        Append append = new Append(audit);
        try {
            requireTrail(audit);
            refuse(by, "revoking tokens");
            TokenInfo revoked = store.revoke(what, info -> {
                refuseBeyondOwn(by, info.roles());
                append.record(AuditRecord.done(by, AuditRecord.Target.TOKEN, info.name(), "revoke", null, null,
                        String.join(", ", info.roles())));
            });
            LOG.info("Token '{}' ({}) revoked by {} ({})", revoked.name(), revoked.roles(), by.user(), by.source());
        } catch (NexusException e) {
            append.refusal(by, what, "revoke", e);
            throw e;
        }
    }

    @Override
    public List<TokenInfo> tokens(Caller by) {
        refuse(by, "listing tokens");
        return store.list();
    }

    @Override
    public List<RoleInfo> roles() {
        return roles.roles();
    }

    @Override
    public Access access(Caller caller) {
        return roles.access(caller.roles());
    }

    private void refuse(Caller by, String what) {
        roles.access(by.roles()).refuse(Permission.TOKENS, what).ifPresent(e -> {
            throw e;
        });
    }

    /**
     * The {@code tokens} permission lets a role hand out and take back tokens that may do no more
     * than it may itself: their roles grant no permission the caller's lack, and read or write no
     * path glob beyond theirs (else a custom role with {@code tokens} could mint an admin token, or
     * revoke the admins').
     */
    private void refuseBeyondOwn(Caller by, SortedSet<String> given) {
        Access own = roles.access(by.roles());
        Access granted = roles.access(given);
        Set<Permission> beyond = EnumSet.noneOf(Permission.class);
        beyond.addAll(granted.permissions());
        beyond.removeAll(own.permissions());
        boolean pathsBeyond = !covers(own.read(), granted.read()) || granted.actsIn().entrySet().stream()
                .anyMatch(acting -> !covers(own.scopeOf(acting.getKey()), acting.getValue()));
        if (!beyond.isEmpty() || pathsBeyond) {
            throw new NexusException(ErrorCode.FORBIDDEN, "a token may be created or revoked only by a caller who may do"
                    + " what it may: the roles "
                    + String.join(", ", given) + " grant more than " + by.rolesText() + " ("
                    + (beyond.isEmpty() ? "paths beyond theirs"
                            : beyond.stream().map(Permission::wireName).collect(Collectors.joining(", ")))
                    + ")");
        }
    }

    /** @return whether every path of {@code part} is in {@code whole}, judged by the globs as written */
    private static boolean covers(PathScope whole, PathScope part) {
        return whole.isAll() || part.isEmpty() || whole.globs().containsAll(part.globs());
    }

    private SortedSet<String> checkCreate(String name, Set<String> roleNames) {
        if (name == null || !StoredToken.NAME.matcher(name).matches()) {
            throw invalid("a token's name is 1 to 64 letters, digits, '.', '_' or '-'"
                    + (name == null || name.isEmpty() ? ", and none was given" : ""));
        }
        if (roleNames == null || roleNames.isEmpty()) {
            throw invalid("a token needs at least one role; the roles in force are " + known());
        }
        SortedSet<String> unknown = roleNames.stream().filter(r -> r == null || !roles.exists(r))
                .map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
        if (!unknown.isEmpty()) {
            throw invalid((unknown.size() == 1 ? "no role is named " : "no roles are named ") + String.join(", ", unknown)
                    + "; the roles in force are " + known());
        }
        return new TreeSet<>(roleNames);
    }

    private String known() {
        List<RoleInfo> all = roles.roles();
        return all.isEmpty() ? "none (the role configuration is not in force)"
                : all.stream().map(RoleInfo::name).collect(Collectors.joining(", "));
    }

    private static void requireTrail(AuditTrail audit) {
        if (audit == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the audit trail is not running, and token changes"
                    + " are audited before they are made: nothing was changed (is the bundle nexus.audit active?)");
        }
    }

    /**
     * The audit appends of one call: the act's record, then, when the act did not happen, a record of
     * why (a refusal, or the store failing after the act was audited) unless the trail itself failed.
     */
    private static final class Append {
        private final AuditTrail audit;
        private boolean trailFailed;

        Append(AuditTrail audit) {
            this.audit = audit;
        }

        void record(AuditRecord draft) {
            try {
                audit.append(draft);
            } catch (RuntimeException e) {
                trailFailed = true;
                throw e;
            }
        }

        void refusal(Caller by, String name, String action, NexusException why) {
            if (audit == null || trailFailed) {
                return;
            }
            try {
                audit.append(AuditRecord.refused(by, AuditRecord.Target.TOKEN, name, action, null, null, why));
            } catch (RuntimeException e) {
                LOG.warn("A refused token {} by {} could not be audited: {}", action, by.user(), e.getMessage());
            }
        }
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
