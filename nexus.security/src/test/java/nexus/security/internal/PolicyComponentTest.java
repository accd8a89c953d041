package nexus.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import nexus.core.Access;
import nexus.core.AccessPolicy;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.Permission;

class PolicyComponentTest {

    private final PolicyComponent policy = new PolicyComponent(new RoleTable());

    @Test
    void grantsWhatTheCallersRolesGrantTogether() {
        Access access = policy.access(Caller.of("ann", Set.of("viewer", "operator"), "http 127.0.0.1"));

        assertThat(access.roles()).containsExactly("operator", "viewer");
        assertThat(access.permissions()).containsExactlyInAnyOrder(Permission.READ, Permission.WRITE, Permission.ACKNOWLEDGE);
    }

    @Test
    void grantsNothingToACallerWithoutKnownRoles() {
        assertThat(policy.access(Caller.of("anonymous", "http 127.0.0.1"))).isEqualTo(Access.NONE);
        assertThat(AccessPolicy.accessOf(policy, Caller.of("bob", Set.of("ghost"), "shell"))).isEqualTo(Access.NONE);
    }

    @Test
    void letsTheWriteDecisionRefuseAViewer() {
        Access viewer = policy.access(Caller.of("ann", Set.of("viewer"), "http 127.0.0.1"));

        assertThat(viewer.refuseWrite("site1/t1", true, Set.of())).hasValueSatisfying(refusal -> {
            assertThat(refusal.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(refusal).hasMessage("writing tags needs the permission 'write', which the roles viewer do not grant");
        });
        assertThat(policy.access(Caller.of("ann", Set.of("operator"), "http 127.0.0.1"))
                .refuseWrite("site1/t1", true, Set.of("engineer"))).get().extracting(NexusException::code)
                .isEqualTo(ErrorCode.FORBIDDEN);
    }
}
