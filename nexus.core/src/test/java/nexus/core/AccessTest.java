package nexus.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** The one write decision, on its own: every rule, in its order, with the message a client reads. */
class AccessTest {

    private static Access access(Set<String> roles, Set<Permission> permissions, PathScope read, PathScope write) {
        return new Access(new TreeSet<>(roles), permissions, read, write, 0, 0);
    }

    private static final Access OPERATOR = access(Set.of("operator"),
            EnumSet.of(Permission.READ, Permission.WRITE, Permission.ACKNOWLEDGE), PathScope.ALL,
            PathScope.of("site1/area2/**"));

    private static String refusal(Optional<NexusException> refused, ErrorCode code) {
        assertThat(refused).isPresent();
        assertThat(refused.get().code()).isEqualTo(code);
        return refused.get().getMessage();
    }

    @Test
    void aWritableTagInsideTheWriteScopeWithoutTagRolesMayBeWritten() {
        assertThat(OPERATOR.refuseWrite("site1/area2/tank/sp", true, Set.of())).isEmpty();
    }

    @Test
    void withoutTheWritePermissionNothingIsWritableWhateverElseHolds() {
        Access viewer = access(Set.of("viewer"), EnumSet.of(Permission.READ), PathScope.ALL, PathScope.ALL);

        assertThat(refusal(viewer.refuseWrite("site1/area2/tank/sp", true, Set.of()), ErrorCode.FORBIDDEN))
                .isEqualTo("writing tags needs the permission 'write', which the roles viewer do not grant");
        assertThat(refusal(Access.NONE.refuseWrite("a/b", true, Set.of()), ErrorCode.FORBIDDEN))
                .isEqualTo("writing tags needs the permission 'write', which a caller without roles lacks");
    }

    @Test
    void aTagOutsideTheWriteScopeIsForbiddenNamingTheScope() {
        assertThat(refusal(OPERATOR.refuseWrite("site1/area3/tank/sp", true, Set.of()), ErrorCode.FORBIDDEN))
                .isEqualTo("the roles operator may write only under site1/area2/**; site1/area3/tank/sp is outside");
    }

    @Test
    void theTagsOwnWriteRolesMustIncludeOneOfTheCallersRolesUnlessItIsAdmin() {
        assertThat(refusal(OPERATOR.refuseWrite("site1/area2/tank/sp", true, Set.of("engineer", "shift-lead")),
                ErrorCode.FORBIDDEN)).isEqualTo("tag site1/area2/tank/sp may be written only by the roles engineer,"
                        + " shift-lead (its write_roles in the registry); the caller acts as operator");
        assertThat(OPERATOR.refuseWrite("site1/area2/tank/sp", true, Set.of("operator", "engineer"))).isEmpty();
        assertThat(Access.UNRESTRICTED.refuseWrite("site1/area2/tank/sp", true, Set.of("engineer"))).isEmpty();
    }

    @Test
    void aTagThatIsNotWritableIsNotWritableLast() {
        assertThat(refusal(OPERATOR.refuseWrite("site1/area2/tank/level", false, Set.of()), ErrorCode.NOT_WRITABLE))
                .isEqualTo("tag site1/area2/tank/level is not writable");
        assertThat(refusal(OPERATOR.refuseWrite("site1/area3/tank/level", false, Set.of()), ErrorCode.FORBIDDEN))
                .as("the caller's own rules are told first").contains("may write only under");
    }

    @Test
    void alarmActionsNeedTheirPermissionAndTheAlarmsTagInsideTheWriteScope() {
        assertThat(OPERATOR.refuseAction("ack", Permission.ACKNOWLEDGE, "site1/area2/tank/hi", "site1/area2/tank/level"))
                .isEmpty();
        assertThat(refusal(OPERATOR.refuseAction("shelve", Permission.SHELVE, "site1/area2/tank/hi",
                "site1/area2/tank/level"), ErrorCode.FORBIDDEN))
                .isEqualTo("'shelve' on alarms needs the permission 'shelve', which the roles operator do not grant");
        assertThat(refusal(OPERATOR.refuseAction("ack", Permission.ACKNOWLEDGE, "site1/area3/tank/hi",
                "site1/area3/tank/level"), ErrorCode.FORBIDDEN)).isEqualTo("the roles operator may ack only alarms of"
                        + " tags under site1/area2/**; alarm site1/area3/tank/hi watches site1/area3/tank/level");
    }

    @Test
    void eachActingPermissionKeepsItsOwnScopeSoCombinedRolesGrantNoMoreThanEachDoes() {
        Access combined = new Access(new TreeSet<>(Set.of("line1-writer", "site2-acker")),
                EnumSet.of(Permission.READ, Permission.WRITE, Permission.ACKNOWLEDGE), PathScope.ALL,
                PathScope.of("site1/**", "site2/**"), 0, 0,
                java.util.Map.of(Permission.WRITE, PathScope.of("site1/**"), Permission.ACKNOWLEDGE, PathScope.of("site2/**")));

        assertThat(combined.refuseWrite("site1/t", true, Set.of())).isEmpty();
        assertThat(refusal(combined.refuseWrite("site2/t", true, Set.of()), ErrorCode.FORBIDDEN))
                .isEqualTo("the roles line1-writer, site2-acker may write only under site1/**; site2/t is outside");
        assertThat(combined.refuseAction("ack", Permission.ACKNOWLEDGE, "site2/t/hi", "site2/t")).isEmpty();
        assertThat(refusal(combined.refuseAction("ack", Permission.ACKNOWLEDGE, "site1/t/hi", "site1/t"),
                ErrorCode.FORBIDDEN)).contains("may ack only alarms of tags under site2/**");
        assertThat(combined.scopeOf(Permission.SHELVE)).as("not granted: nowhere").isEqualTo(PathScope.NONE);
    }

    @Test
    void aCallerSeesOnlyItsReadScopeAndNothingWithoutRead() {
        Access limited = access(Set.of("line"), EnumSet.of(Permission.READ), PathScope.of("site1/*/line3/**"),
                PathScope.NONE);

        assertThat(limited.sees("site1/area2/line3/tank/level")).isTrue();
        assertThat(limited.sees("site1/area2/line4/tank/level")).isFalse();
        assertThat(limited.seesAll()).isFalse();
        assertThat(access(Set.of("x"), Set.of(), PathScope.ALL, PathScope.ALL).sees("a/b"))
                .as("a scope without the read permission shows nothing").isFalse();
        assertThat(Access.UNRESTRICTED.seesAll()).isTrue();
    }

    @Test
    void aSinglePermissionRouteIsRefusedNamingThePermission() {
        assertThat(refusal(OPERATOR.refuse(Permission.METRICS, "scraping /metrics"), ErrorCode.FORBIDDEN))
                .isEqualTo("scraping /metrics needs the permission 'metrics', which the roles operator do not grant");
        assertThat(OPERATOR.refuse(Permission.READ, "reading")).isEmpty();
    }

    @Test
    void aFailingOrMissingPolicyIsAnsweredSafely() {
        Caller caller = Caller.of("alice", Set.of("operator"), "test");

        assertThat(AccessPolicy.accessOf(null, caller)).isSameAs(Access.UNRESTRICTED);
        assertThat(AccessPolicy.accessOf(c -> {
            throw new IllegalStateException("no roles");
        }, caller)).as("fails closed").isSameAs(Access.NONE);
        assertThat(AccessPolicy.accessOf(c -> null, caller)).isSameAs(Access.NONE);
    }
}
