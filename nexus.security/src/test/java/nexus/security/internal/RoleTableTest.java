package nexus.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.Access;
import nexus.core.Caller;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.security.RoleInfo;
import nexus.security.internal.RoleTable.RoleChange;
import nexus.security.internal.RoleTable.Update;

class RoleTableTest {

    @TempDir
    Path etc;

    private final RoleTable table = new RoleTable();

    @Test
    void hasTheFourBuiltInRolesWithoutAnyConfiguration() {
        assertThat(table.roles()).extracting(RoleInfo::name).containsExactly("admin", "engineer", "operator", "viewer");
        assertThat(table.roles()).allMatch(RoleInfo::builtIn).allMatch(role -> role.source().equals("built-in"));
        assertThat(table.access(Set.of("viewer")).permissions()).containsExactly(Permission.READ);
        assertThat(table.access(Set.of("operator")).permissions())
                .containsExactlyInAnyOrder(Permission.READ, Permission.WRITE, Permission.ACKNOWLEDGE);
        assertThat(table.access(Set.of("engineer")).permissions()).containsExactlyInAnyOrder(Permission.READ,
                Permission.WRITE, Permission.ACKNOWLEDGE, Permission.SHELVE, Permission.SUPPRESS,
                Permission.REMOVE_FROM_SERVICE, Permission.DISABLE, Permission.REGISTRY, Permission.HEALTH,
                Permission.METRICS);
        assertThat(table.access(Set.of("admin")).permissions()).isEqualTo(EnumSet.allOf(Permission.class));
        assertThat(table.failure()).isEmpty();
        assertThat(table.refusals()).isEmpty();
    }

    @Test
    void builtInRolesSeeAndWriteTheWholeNamespaceWithoutLimits() {
        Access operator = table.access(Set.of("operator"));
        assertThat(operator.read()).isEqualTo(PathScope.ALL);
        assertThat(operator.write()).isEqualTo(PathScope.ALL);
        assertThat(operator.maxRows()).isZero();
        assertThat(operator.timeoutMillis()).isZero();
        assertThat(operator.roles()).containsExactly("operator");
    }

    @Test
    void aViewerWritesNothingEvenCombinedWithNothingElse() {
        assertThat(table.access(Set.of("viewer")).write()).isEqualTo(PathScope.NONE);
        assertThat(table.access(Set.of("viewer")).refuseWrite("a/b", true, Set.of())).isPresent();
    }

    @Test
    void unknownRolesGrantNothing() {
        assertThat(table.access(Set.of("ghost"))).isEqualTo(Access.NONE);
        assertThat(table.access(Set.of())).isEqualTo(Access.NONE);
        assertThat(table.exists("ghost")).isFalse();
        assertThat(table.exists("viewer")).isTrue();
    }

    @Test
    void combinesRolesByTheUnionOfPermissionsAndScopesNamingOnlyTheRolesThatExist() throws IOException {
        put("a", "name = reader2", "permissions = read", "read = site2/**");
        put("b", "name = writer1", "permissions = read, write", "read = site1/**");

        Access both = table.access(Set.of("reader2", "writer1", "ghost"));

        assertThat(both.roles()).containsExactly("reader2", "writer1");
        assertThat(both.permissions()).containsExactlyInAnyOrder(Permission.READ, Permission.WRITE);
        assertThat(both.sees("site1/t1")).isTrue();
        assertThat(both.sees("site2/t1")).isTrue();
        assertThat(both.sees("site3/t1")).isFalse();
        assertThat(both.refuseWrite("site1/t1", true, Set.of())).isEmpty();
        assertThat(both.refuseWrite("site2/t1", true, Set.of())).isPresent();
    }

    @Test
    void aRoleWithoutAnActingPermissionAddsNoWriteScopeToAnother() throws IOException {
        put("a", "name = watcher", "permissions = read", "read = **", "write = **");
        put("b", "name = line3", "permissions = read, write", "read = site1/line3/**");

        Access both = table.access(Set.of("watcher", "line3"));

        assertThat(both.write()).isEqualTo(PathScope.of("site1/line3/**"));
        assertThat(both.refuseWrite("site2/t1", true, Set.of())).isPresent();
    }

    @Test
    void combinedRolesActPermissionByPermissionNeverWiderThanTheRoleThatGrantsIt() throws IOException {
        put("a", "name = writer1", "permissions = read, write", "read = **", "write = site1/**");
        put("b", "name = acker2", "permissions = read, acknowledge", "read = **", "write = site2/**");

        Access both = table.access(Set.of("writer1", "acker2"));

        assertThat(both.refuseWrite("site1/t1", true, Set.of())).isEmpty();
        assertThat(both.refuseWrite("site2/t1", true, Set.of())).as("acker2's scope does not let writer1 write")
                .isPresent();
        assertThat(both.refuseAction("ack", Permission.ACKNOWLEDGE, "site2/t1/hi", "site2/t1")).isEmpty();
        assertThat(both.refuseAction("ack", Permission.ACKNOWLEDGE, "site1/t1/hi", "site1/t1"))
                .as("writer1's scope does not let acker2 acknowledge").isPresent();
    }

    @Test
    void aRoleWithoutReadAddsNoReadScopeToAnother() throws IOException {
        put("a", "name = acker", "permissions = acknowledge", "read = **");
        put("b", "name = site1", "permissions = read", "read = site1/**");

        assertThat(table.access(Set.of("acker", "site1")).sees("site2/t1")).isFalse();
    }

    @Test
    void writesWhatItReadsWhenNoWriteGlobsAreGiven() throws IOException {
        put("a", "name = area2", "permissions = read, write", "read = site1/area2/**");

        assertThat(table.access(Set.of("area2")).write()).isEqualTo(PathScope.of("site1/area2/**"));
    }

    @Test
    void takesTheLargestRowCapAndTimeLimitWithNoLimitAboveAll() throws IOException {
        put("a", "name = small", "permissions = read", "rows.max = 100", "timeout.ms = 1000");
        put("b", "name = large", "permissions = read", "rows.max = 5000", "timeout.ms = 3000");
        put("c", "name = free", "permissions = read");

        assertThat(table.access(Set.of("small")).maxRows()).isEqualTo(100);
        Access capped = table.access(Set.of("small", "large"));
        assertThat(capped.maxRows()).isEqualTo(5000);
        assertThat(capped.timeoutMillis()).isEqualTo(3000);
        Access free = table.access(Set.of("small", "free"));
        assertThat(free.maxRows()).isZero();
        assertThat(free.timeoutMillis()).isZero();
    }

    @Test
    void aConfigurationNamedLikeABuiltInReplacesItAndItsRemovalRestoresIt() throws IOException {
        Update update = put("op", "name = operator", "read = site1/area2/**");

        RoleInfo operator = role("operator");
        assertThat(operator.builtIn()).isTrue();
        assertThat(operator.source()).endsWith("nexus.security.role-op.cfg");
        assertThat(operator.access().permissions())
                .containsExactlyInAnyOrder(Permission.READ, Permission.WRITE, Permission.ACKNOWLEDGE);
        assertThat(table.access(Set.of("operator")).sees("site1/area3/t")).isFalse();
        assertThat(table.access(Set.of("operator")).refuseWrite("site1/area2/t", true, Set.of())).isEmpty();
        assertThat(update.changes()).singleElement().satisfies(change -> {
            assertThat(change.role()).isEqualTo("operator");
            assertThat(change.action()).isEqualTo("change");
            assertThat(change.detail()).contains("read ** -> site1/area2/**", "write ** -> site1/area2/**",
                    "defined in built-in -> ");
        });

        Update removed = remove("op");

        assertThat(role("operator").source()).isEqualTo("built-in");
        assertThat(table.access(Set.of("operator")).sees("site1/area3/t")).isTrue();
        assertThat(removed.changes()).extracting(RoleChange::action).containsExactly("change");
    }

    @Test
    void healthDetailsAndMetricsAreGrantedOnlyWithTheWholeNamespaceInSight() throws IOException {
        put("eng", "name = engineer", "read = site1/area2/**");

        assertThat(table.access(Set.of("engineer")).may(Permission.SHELVE)).isTrue();
        assertThat(table.access(Set.of("engineer")).may(Permission.HEALTH))
                .as("/health's details count the whole node's tags and alarms").isFalse();
        assertThat(table.access(Set.of("engineer")).may(Permission.METRICS)).isFalse();
        assertThat(table.access(Set.of("engineer", "viewer")).may(Permission.METRICS))
                .as("with a role that sees everything, the whole node is in sight").isTrue();
    }

    @Test
    void appliesAChangedConfigurationAtOnce() throws IOException {
        put("a", "name = shift", "permissions = read", "read = site1/**");
        assertThat(table.access(Set.of("shift")).sees("site2/t")).isFalse();

        Update update = put("a", "name = shift", "permissions = read", "read = site1/**, site2/**");

        assertThat(table.access(Set.of("shift")).sees("site2/t")).isTrue();
        assertThat(update.changes()).containsExactly(new RoleChange("shift", "change", "read site1/** -> site1/**, site2/**"));
    }

    @Test
    void reportsDefinitionsRenamesAndRemovals() throws IOException {
        Update defined = put("a", "name = alpha", "permissions = read, metrics", "rows.max = 10");
        assertThat(defined.changes()).containsExactly(new RoleChange("alpha", "define", "permissions read, metrics;"
                + " read **; write nothing; rows.max 10; timeout.ms 0 (" + etc.resolve("nexus.security.role-a.cfg") + ")"));

        Update renamed = put("a", "name = beta", "permissions = read");
        assertThat(renamed.changes()).extracting(RoleChange::role, RoleChange::action)
                .containsExactly(tuple("alpha", "remove"),
                        tuple("beta", "define"));

        Update removed = remove("a");
        assertThat(removed.changes()).extracting(RoleChange::role, RoleChange::action)
                .containsExactly(tuple("beta", "remove"));
        assertThat(table.exists("beta")).isFalse();
    }

    @Test
    void refusesAnUnknownPermissionWithTheFileTheLineAndTheKnownOnes() throws IOException {
        Update update = put("bad", "# a role", "name = typo", "permissions = read, wirte");

        assertThat(update.refusal()).hasValueSatisfying(refusal -> {
            assertThat(refusal.file()).isEqualTo(etc.resolve("nexus.security.role-bad.cfg").toString());
            assertThat(refusal.line()).isEqualTo(3);
            assertThat(refusal.role()).isEqualTo("typo");
            assertThat(refusal.message()).isEqualTo(etc.resolve("nexus.security.role-bad.cfg") + " line 3: the"
                    + " permission 'wirte' is unknown; the known ones are " + Permission.wireNames());
        });
    }

    @Test
    void refusesAMalformedGlobWithPathScopesReason() throws IOException {
        Update update = put("bad", "name = broken", "permissions = read", "", "read = site1//area2");

        assertThat(update.refusal()).hasValueSatisfying(refusal -> {
            assertThat(refusal.line()).isEqualTo(4);
            assertThat(refusal.reason()).startsWith("read: path glob 'site1//area2' has an empty segment");
        });
    }

    @Test
    void refusesNegativeAndNonNumericLimits() throws IOException {
        assertThat(put("a", "name = r1", "permissions = read", "rows.max = -5").refusal())
                .hasValueSatisfying(refusal -> {
                    assertThat(refusal.line()).isEqualTo(3);
                    assertThat(refusal.reason()).startsWith("rows.max is -5, which is negative");
                });
        assertThat(put("b", "name = r2", "permissions = read", "timeout.ms = soon").refusal())
                .hasValueSatisfying(refusal -> assertThat(refusal.reason())
                        .startsWith("timeout.ms 'soon' is not a whole number of milliseconds"));
    }

    @Test
    void refusesAMissingOrInvalidName() throws IOException {
        assertThat(put("a", "permissions = read").refusal()).hasValueSatisfying(refusal -> {
            assertThat(refusal.line()).isZero();
            assertThat(refusal.role()).isNull();
            assertThat(refusal.message()).isEqualTo(etc.resolve("nexus.security.role-a.cfg") + ": the role has no"
                    + " name: write a line such as 'name = operator' (letters, digits, . _ -)");
        });
        assertThat(put("b", "permissions = read", "name = two words").refusal()).hasValueSatisfying(refusal -> {
            assertThat(refusal.line()).isEqualTo(2);
            assertThat(refusal.reason()).startsWith("the role name 'two words' is not valid");
        });
    }

    @Test
    void refusesAnUnknownKeyRatherThanLeaveTheRoleWide() throws IOException {
        Update update = put("a", "name = area2", "permissions = read, write", "raed = site1/area2/**");

        assertThat(update.refusal()).hasValueSatisfying(refusal -> {
            assertThat(refusal.line()).isEqualTo(3);
            assertThat(refusal.reason()).startsWith("the key 'raed' is unknown");
        });
    }

    @Test
    void refusesACustomRoleWithoutPermissions() throws IOException {
        assertThat(put("a", "name = vague").refusal())
                .hasValueSatisfying(refusal -> assertThat(refusal.reason()).startsWith("role 'vague' lists no permissions"));
    }

    @Test
    void refusesASecondConfigurationOfOneNameAndKeepsTheFirst() throws IOException {
        put("a", "name = shift", "permissions = read", "read = site1/**");

        Update second = put("b", "permissions = read, write", "name = shift");

        assertThat(second.refusal()).hasValueSatisfying(refusal -> {
            assertThat(refusal.line()).isEqualTo(2);
            assertThat(refusal.reason()).isEqualTo("role 'shift' is defined already in "
                    + etc.resolve("nexus.security.role-a.cfg") + ": one configuration per role; remove or rename one"
                    + " of them");
        });
        assertThat(role("shift").source()).endsWith("nexus.security.role-a.cfg");
        assertThat(second.changes()).isEmpty();
        assertThat(second.failure()).as("the first definition holds: nothing is undecided").isEmpty();
        assertThat(table.access(Set.of("shift")).read()).isEqualTo(PathScope.of("site1/**"));

        Update firstGone = remove("a");

        assertThat(role("shift").source()).endsWith("nexus.security.role-b.cfg");
        assertThat(firstGone.changes()).extracting(RoleChange::action).containsExactly("change");
        assertThat(table.refusals()).isEmpty();
        assertThat(table.failure()).isEmpty();
    }

    @Test
    void keepsTheLastGoodDefinitionOfARefusedConfiguration() throws IOException {
        put("a", "name = shift", "permissions = read, write", "read = site1/**");

        Update bad = put("a", "name = shift", "permissions = read, write", "read = site1/**, site2//x");

        assertThat(bad.changes()).isEmpty();
        assertThat(bad.kept()).hasValueSatisfying(kept -> assertThat(kept.access().read()).isEqualTo(PathScope.of("site1/**")));
        assertThat(bad.failure()).isEmpty();
        assertThat(table.failure()).isEmpty();
        assertThat(table.access(Set.of("shift")).sees("site1/t")).isTrue();
        assertThat(table.refusals()).singleElement().asString()
                .startsWith(etc.resolve("nexus.security.role-a.cfg") + " line 3: read: path glob 'site2//x'");

        Update fixed = put("a", "name = shift", "permissions = read, write", "read = site1/**, site2/**");

        assertThat(fixed.refusal()).isEmpty();
        assertThat(table.refusals()).isEmpty();
        assertThat(table.access(Set.of("shift")).sees("site2/t")).isTrue();
    }

    @Test
    void failsClosedForEveryoneWhileAConfigurationWithoutALastGoodDefinitionIsRefused() throws IOException {
        put("good", "name = shift", "permissions = read");

        Update bad = put("op", "name = operator", "read = site1/area2/**", "rows.max = -1");

        assertThat(bad.kept()).isEmpty();
        assertThat(bad.failure()).hasValue("no valid role configuration is in force, so every request is refused until"
                + " this file is fixed or removed: " + etc.resolve("nexus.security.role-op.cfg") + " line 3: rows.max is"
                + " -1, which is negative: write 0 (none of the role's own) or a positive number of rows");
        assertThat(table.failure()).isEqualTo(bad.failure());
        assertThat(table.access(Set.of("admin"))).isEqualTo(Access.NONE);
        assertThat(table.access(Set.of("shift"))).isEqualTo(Access.NONE);
        assertThat(new PolicyComponent(table).access(Caller.of("ann", Set.of("admin"), "test")))
                .isEqualTo(Access.NONE);

        put("op", "name = operator", "read = site1/area2/**", "rows.max = 100");

        assertThat(table.failure()).isEmpty();
        assertThat(table.access(Set.of("admin")).may(Permission.TOKENS)).isTrue();
        assertThat(table.access(Set.of("operator")).maxRows()).isEqualTo(100);
    }

    @Test
    void endsFailingClosedWhenTheRefusedConfigurationIsRemoved() throws IOException {
        put("a", "name = shift", "permissions = reed");
        assertThat(table.access(Set.of("viewer"))).isEqualTo(Access.NONE);

        remove("a");

        assertThat(table.failure()).isEmpty();
        assertThat(table.access(Set.of("viewer")).may(Permission.READ)).isTrue();
    }

    @Test
    void answersTheSameAccessForTheSameRolesUntilAConfigurationChanges() throws IOException {
        Access first = table.access(Set.of("viewer", "operator"));
        assertThat(table.access(new TreeSet<>(List.of("operator", "viewer")))).isSameAs(first);

        put("a", "name = viewer", "read = site1/**");

        assertThat(table.access(Set.of("viewer", "operator"))).isNotSameAs(first);
        assertThat(table.access(Set.of("viewer")).read()).isEqualTo(PathScope.of("site1/**"));
    }

    @Test
    void readsTypedValuesAsWellAsText() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", "nexus.security.role~typed");
        properties.put("name", "typed");
        properties.put("permissions", new String[] { "read", "write" });
        properties.put("read", new String[] { "site1/**", "site2/**" });
        properties.put("rows.max", 250);
        properties.put("timeout.ms", 2000L);

        Update update = table.put("typed", properties);

        assertThat(update.refusal()).isEmpty();
        RoleInfo typed = role("typed");
        assertThat(typed.source()).isEqualTo("configuration nexus.security.role~typed");
        assertThat(typed.access().read()).isEqualTo(PathScope.of("site1/**", "site2/**"));
        assertThat(typed.access().maxRows()).isEqualTo(250);
        assertThat(typed.access().timeoutMillis()).isEqualTo(2000);
    }

    /** Writes etc/nexus.security.role-NAME.cfg and hands its properties to the table, as File Install and DS would. */
    private Update put(String name, String... lines) throws IOException {
        return table.put("nexus.security.role~" + name, RoleFiles.write(etc, name, lines));
    }

    private Update remove(String name) {
        return table.remove("nexus.security.role~" + name);
    }

    private RoleInfo role(String name) {
        return table.roles().stream().filter(role -> role.name().equals(name)).findFirst().orElseThrow();
    }
}
