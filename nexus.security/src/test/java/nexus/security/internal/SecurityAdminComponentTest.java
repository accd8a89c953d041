package nexus.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.AuditRecord;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.Permission;
import nexus.security.IssuedToken;
import nexus.security.RoleInfo;
import nexus.security.TokenInfo;

class SecurityAdminComponentTest {

    private static final Caller ADMIN = Caller.of("alice", Set.of("admin"), "shell");
    private static final Caller OPERATOR = Caller.of("olga", Set.of("operator"), "http 192.0.2.7");

    @TempDir
    Path home;

    private final SteppedClock clock = new SteppedClock();
    private final StandInRoleBook roles = new StandInRoleBook();
    private final TokenAuditTrail trail = new TokenAuditTrail();
    private TokenStore store;
    private SecurityAdminComponent admin;

    @BeforeEach
    void start() {
        store = new TokenStore(home.resolve("etc/tokens.json"), clock);
        admin = new SecurityAdminComponent(store, roles, trail);
    }

    private static void assertRefused(Runnable call, ErrorCode code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(NexusException.class,
                e -> assertThat(e.code()).isEqualTo(code)).hasMessageContaining(message);
    }

    @Test
    void createsATokenAuditedWithItsRoles() {
        IssuedToken issued = admin.createToken(ADMIN, "scada", Set.of("viewer", "operator"));

        assertThat(issued.info()).isEqualTo(new TokenInfo("scada", new java.util.TreeSet<>(Set.of("operator", "viewer")),
                clock.instant(), "alice"));
        assertThat(store.find(issued.secret())).isPresent();
        assertThat(trail.records).singleElement().satisfies(r -> {
            assertThat(r.caller()).isEqualTo(ADMIN);
            assertThat(r.target()).isEqualTo(AuditRecord.Target.TOKEN);
            assertThat(r.name()).isEqualTo("scada");
            assertThat(r.action()).isEqualTo("create");
            assertThat(r.detail()).isEqualTo("operator, viewer");
            assertThat(r.result()).isEqualTo(AuditRecord.OK);
            assertThat(String.valueOf(r)).doesNotContain(issued.secret());
        });
        assertThat(issued.toString()).doesNotContain(issued.secret());
    }

    @Test
    void aCallerWithTheTokensPermissionGivesNoMoreThanItMayDo() {
        roles.grant("desk", java.util.EnumSet.of(Permission.READ, Permission.TOKENS));
        Caller desk = Caller.of("dora", Set.of("desk"), "http 192.0.2.7");

        assertRefused(() -> admin.createToken(desk, "root", Set.of("viewer", "admin")), ErrorCode.FORBIDDEN,
                "a token may be created or revoked only by a caller who may do what it may: the roles admin, viewer grant"
                        + " more than desk (write,");
        assertThat(store.list()).isEmpty();
        assertThat(trail.records).singleElement().satisfies(r -> assertThat(r.result()).isNotEqualTo(AuditRecord.OK));

        assertThat(admin.createToken(desk, "kiosk", Set.of("viewer")).info().roles()).containsExactly("viewer");
        admin.createToken(ADMIN, "root", Set.of("admin"));
        assertRefused(() -> admin.revokeToken(desk, "root"), ErrorCode.FORBIDDEN, "the roles admin grant more than desk");
        assertThat(admin.tokens(ADMIN)).extracting(TokenInfo::name).containsExactly("kiosk", "root");
        admin.revokeToken(desk, "kiosk");
    }

    @Test
    void revokesATokenAudited() {
        IssuedToken issued = admin.createToken(ADMIN, "scada", Set.of("operator"));

        admin.revokeToken(ADMIN, "scada");

        assertThat(store.find(issued.secret())).isEmpty();
        assertThat(admin.tokens(ADMIN)).isEmpty();
        assertThat(trail.records).extracting(AuditRecord::action).containsExactly("create", "revoke");
        assertThat(trail.records.get(1).detail()).isEqualTo("operator");
    }

    @Test
    void aCallerWithoutTheTokensPermissionIsForbiddenAndAudited() {
        admin.createToken(ADMIN, "scada", Set.of("operator"));

        assertRefused(() -> admin.createToken(OPERATOR, "mine", Set.of("admin")), ErrorCode.FORBIDDEN, "'tokens'");
        assertRefused(() -> admin.revokeToken(OPERATOR, "scada"), ErrorCode.FORBIDDEN, "'tokens'");
        assertRefused(() -> admin.tokens(OPERATOR), ErrorCode.FORBIDDEN, "'tokens'");

        assertThat(admin.tokens(ADMIN)).extracting(TokenInfo::name).containsExactly("scada");
        assertThat(trail.records).extracting(AuditRecord::action, AuditRecord::result, AuditRecord::refused).containsExactly(
                org.assertj.core.groups.Tuple.tuple("create", "OK", false),
                org.assertj.core.groups.Tuple.tuple("create", "FORBIDDEN", true),
                org.assertj.core.groups.Tuple.tuple("revoke", "FORBIDDEN", true));
    }

    @Test
    void aRoleGrantingTokensMayAdministerThem() {
        roles.grant("operator", Set.of(Permission.READ, Permission.TOKENS));

        assertThat(admin.createToken(OPERATOR, "mine", Set.of("viewer")).info().createdBy()).isEqualTo("olga");
    }

    @Test
    void refusesBadNames() {
        for (String name : new String[] { null, "", "has space", "slash/y", "x".repeat(65), "ünïcode" }) {
            assertRefused(() -> admin.createToken(ADMIN, name, Set.of("viewer")), ErrorCode.INVALID_ARGUMENT,
                    "1 to 64 letters, digits");
        }
        assertThat(admin.createToken(ADMIN, "a.b_c-D9" + "x".repeat(56), Set.of("viewer")).info().name()).hasSize(64);
        assertRefused(() -> admin.createToken(ADMIN, "a.b_c-D9" + "x".repeat(56), Set.of("viewer")), ErrorCode.INVALID_ARGUMENT,
                "exists already");
    }

    @Test
    void refusesUnknownRolesNamingTheKnownOnes() {
        assertRefused(() -> admin.createToken(ADMIN, "scada", Set.of("operater")), ErrorCode.INVALID_ARGUMENT,
                "no role is named operater; the roles in force are admin, operator, viewer");
        assertRefused(() -> admin.createToken(ADMIN, "scada", Set.of()), ErrorCode.INVALID_ARGUMENT, "at least one role");
        assertThat(store.count()).isZero();
    }

    @Test
    void withoutAnAuditTrailNothingChanges() {
        IssuedToken issued = admin.createToken(ADMIN, "scada", Set.of("operator"));
        SecurityAdminComponent unaudited = new SecurityAdminComponent(store, roles, null);

        assertRefused(() -> unaudited.createToken(ADMIN, "other", Set.of("viewer")), ErrorCode.BACKEND_UNAVAILABLE,
                "audit trail is not running");
        assertRefused(() -> unaudited.revokeToken(ADMIN, "scada"), ErrorCode.BACKEND_UNAVAILABLE, "audit trail is not running");

        assertThat(store.list()).extracting(TokenInfo::name).containsExactly("scada");
        assertThat(store.find(issued.secret())).isPresent();
    }

    @Test
    void aFailingAuditTrailChangesNothing() throws Exception {
        admin.createToken(ADMIN, "scada", Set.of("operator"));
        String before = Files.readString(home.resolve("etc/tokens.json"));
        trail.failing(true);

        assertRefused(() -> admin.createToken(ADMIN, "other", Set.of("viewer")), ErrorCode.BACKEND_UNAVAILABLE, "disk is full");
        assertRefused(() -> admin.revokeToken(ADMIN, "scada"), ErrorCode.BACKEND_UNAVAILABLE, "disk is full");

        assertThat(Files.readString(home.resolve("etc/tokens.json"))).isEqualTo(before);
    }

    @Test
    void revokingAnUnknownTokenIsNotFound() {
        assertRefused(() -> admin.revokeToken(ADMIN, "nobody"), ErrorCode.NOT_FOUND, "no token is named 'nobody'");
    }

    @Test
    void rolesAndAccessComeFromTheRoleBook() {
        assertThat(admin.roles()).extracting(RoleInfo::name).containsExactly("admin", "operator", "viewer");
        assertThat(admin.access(OPERATOR).permissions()).containsExactlyInAnyOrder(Permission.READ, Permission.WRITE,
                Permission.ACKNOWLEDGE);
    }

    @Test
    void aFailedRoleConfigurationForbidsEvenAdmins() {
        roles.fail("etc/roles: line 2: bad glob");

        assertRefused(() -> admin.createToken(ADMIN, "scada", Set.of("viewer")), ErrorCode.FORBIDDEN, "'tokens'");
    }
}
