package nexus.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.Access;
import nexus.core.AuditRecord;
import nexus.core.Caller;
import nexus.core.Permission;

class RolesComponentTest {

    @TempDir
    Path etc;

    private final RolesComponent roles = new RolesComponent();
    private final MemoryAuditTrail trail = new MemoryAuditTrail();

    @Test
    void auditsNeitherTheRolesFoundAtStartNorThoseLeavingAtStop() throws IOException {
        roles.audit = trail;
        Map<String, Object> shift = RoleFiles.write(etc, "shift", "name = shift", "permissions = read");
        roles.addRole(shift);
        roles.activate();

        roles.deactivate();
        roles.removeRole(shift);

        assertThat(trail.records()).isEmpty();
    }

    @Test
    void auditsTheDefinitionChangeAndRemovalOfARole() throws IOException {
        roles.audit = trail;
        roles.activate();
        Path file = etc.resolve("nexus.security.role-shift.cfg");

        roles.addRole(RoleFiles.write(etc, "shift", "name = shift", "permissions = read", "read = site1/**"));
        roles.updateRole(RoleFiles.write(etc, "shift", "name = shift", "permissions = read, acknowledge",
                "read = site1/**"));
        roles.removeRole(RoleFiles.write(etc, "shift", "name = shift", "permissions = read, acknowledge",
                "read = site1/**"));

        assertThat(trail.records()).extracting(AuditRecord::target, AuditRecord::name, AuditRecord::action,
                AuditRecord::detail).containsExactly(
                        tuple(AuditRecord.Target.ROLE, "shift", "define",
                                "permissions read; read site1/**; write nothing; rows.max 0; timeout.ms 0 (" + file + ")"),
                        tuple(AuditRecord.Target.ROLE, "shift", "change",
                                "permissions read -> read, acknowledge; write nothing -> site1/**"),
                        tuple(AuditRecord.Target.ROLE, "shift", "remove",
                                "was permissions read, acknowledge; read site1/**; write site1/**; rows.max 0;"
                                        + " timeout.ms 0 (" + file + ")"));
        assertThat(trail.records()).allSatisfy(record -> {
            assertThat(record.caller().user()).isEqualTo("nexus");
            assertThat(record.caller().source()).isEqualTo("configuration " + file);
            assertThat(record.refused()).isFalse();
        });
        assertThat(roles.exists("shift")).isFalse();
    }

    @Test
    void auditsARefusedConfigurationAsRefusedWithItsFileAndLine() throws IOException {
        roles.audit = trail;
        roles.activate();
        roles.addRole(RoleFiles.write(etc, "shift", "name = shift", "permissions = read"));

        roles.updateRole(RoleFiles.write(etc, "shift", "name = shift", "permissions = read, wirte"));

        AuditRecord refused = trail.records().get(1);
        assertThat(refused.refused()).isTrue();
        assertThat(refused.result()).isEqualTo("INVALID_ARGUMENT");
        assertThat(refused.name()).isEqualTo("shift");
        assertThat(refused.action()).isEqualTo("change");
        assertThat(refused.detail()).startsWith(etc.resolve("nexus.security.role-shift.cfg") + " line 2: the permission"
                + " 'wirte' is unknown");
        assertThat(roles.refusals()).singleElement().isEqualTo(refused.detail());
        assertThat(roles.access(Set.of("shift")).permissions()).containsExactly(Permission.READ);
    }

    @Test
    void appliesRolesWithoutAnAuditTrailAndWhenTheTrailRefuses() throws IOException {
        roles.activate();
        roles.addRole(RoleFiles.write(etc, "a", "name = alpha", "permissions = read"));
        roles.audit = trail;
        trail.failing = "the disk is full";

        roles.addRole(RoleFiles.write(etc, "b", "name = beta", "permissions = read"));

        assertThat(roles.exists("alpha")).isTrue();
        assertThat(roles.exists("beta")).isTrue();
        assertThat(trail.records()).isEmpty();
    }

    @Test
    void failsClosedUntilTheRefusedFileIsRemoved() throws IOException {
        Map<String, Object> bad = RoleFiles.write(etc, "x", "name = operator", "write = site1/**/", "");
        roles.activate();
        roles.addRole(bad);

        assertThat(roles.failure()).hasValueSatisfying(failure -> assertThat(failure)
                .contains(etc.resolve("nexus.security.role-x.cfg") + " line 2: write: path glob 'site1/**/' has an"
                        + " empty segment"));
        PolicyComponent policy = new PolicyComponent(roles);
        assertThat(policy.access(Caller.of("ann", Set.of("admin"), "http 127.0.0.1"))).isEqualTo(Access.NONE);

        roles.removeRole(bad);

        assertThat(roles.failure()).isEmpty();
        assertThat(policy.access(Caller.of("ann", Set.of("admin"), "http 127.0.0.1")).may(Permission.TOKENS)).isTrue();
    }
}
