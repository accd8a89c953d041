package nexus.security.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import nexus.core.Access;
import nexus.core.AccessPolicy;
import nexus.core.Caller;

/**
 * The node's {@link AccessPolicy}: a caller may do what its roles grant together, as the
 * {@link RoleBook} says (nothing for everyone while no valid role configuration is in force).
 */
@Component(service = AccessPolicy.class)
public final class PolicyComponent implements AccessPolicy {

    private final RoleBook roles;

    @Activate
    public PolicyComponent(@Reference RoleBook roles) {
        this.roles = roles;
    }

    @Override
    public Access access(Caller caller) {
        return roles.access(caller.roles());
    }
}
