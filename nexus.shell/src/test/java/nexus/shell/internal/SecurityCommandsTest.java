package nexus.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import nexus.core.Access;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.core.PathScope;
import nexus.core.Permission;
import nexus.security.Authenticator;
import nexus.security.Identity;
import nexus.security.IssuedToken;
import nexus.security.RoleInfo;
import nexus.security.SecurityAdmin;
import nexus.security.Ticket;
import nexus.security.TokenInfo;

/** token, roles and whoami, run in a real Gogo processor on a stand-in security admin. */
class SecurityCommandsTest {

    /** Tokens in memory, two roles; refuses token administration to a caller that is not admin, as the real one does. */
    static final class StandInAdmin implements SecurityAdmin {
        final Map<String, TokenInfo> tokens = new TreeMap<>();
        final List<String> calls = new ArrayList<>();
        int issued;

        static final Access VIEWER = new Access(new TreeSet<>(Set.of("viewer")), EnumSet.of(Permission.READ),
                PathScope.of("site1/area2/**"), PathScope.NONE, 5000, 2500);

        private void mayAdminister(Caller by) {
            calls.add(by.user() + " as " + by.rolesText() + " via " + by.source());
            if (!by.roles().contains(Access.ADMIN)) {
                throw new NexusException(ErrorCode.FORBIDDEN, "tokens need the permission 'tokens'");
            }
        }

        @Override
        public IssuedToken createToken(Caller by, String name, Set<String> roles) {
            mayAdminister(by);
            if (tokens.containsKey(name)) {
                throw new NexusException(ErrorCode.INVALID_ARGUMENT, "a token named " + name + " exists already");
            }
            TokenInfo info = new TokenInfo(name, new TreeSet<>(roles), Instant.parse("2026-12-06T12:00:00Z"), by.user());
            tokens.put(name, info);
            return new IssuedToken(info, "nxt_secret" + (++issued));
        }

        @Override
        public void revokeToken(Caller by, String name) {
            mayAdminister(by);
            if (tokens.remove(name) == null) {
                throw new NexusException(ErrorCode.NOT_FOUND, "there is no token named " + name);
            }
        }

        @Override
        public List<TokenInfo> tokens(Caller by) {
            mayAdminister(by);
            return List.copyOf(tokens.values());
        }

        @Override
        public List<RoleInfo> roles() {
            return List.of(new RoleInfo("admin", true, Access.UNRESTRICTED, "built-in"),
                    new RoleInfo("viewer", true, VIEWER, "etc/nexus.security.roles.cfg"));
        }

        @Override
        public Access access(Caller caller) {
            return caller.roles().contains(Access.ADMIN) ? Access.UNRESTRICTED : Access.NONE;
        }
    }

    /** An authenticator that only answers whether the node is open. */
    static Authenticator authenticator(boolean open) {
        return new Authenticator() {
            @Override
            public Identity authenticate(String authorization, String address, String via) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Ticket issueTicket(Identity identity) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Identity redeemTicket(String ticket, Identity presenter, String address, String via) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Identity console() {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean open() {
                return open;
            }
        };
    }

    private final StandInAdmin admin = new StandInAdmin();
    private CommandProcessorImpl processor;

    @BeforeEach
    void startProcessor() {
        processor = new CommandProcessorImpl();
        SecurityCommands commands = new SecurityCommands(admin, authenticator(false));
        processor.addCommand("nexus", commands, "roles");
        processor.addCommand("nexus", commands, "whoami");
        processor.addCommand("nexus", commands.tokenCommand(), TokenCommand.NAME);
    }

    @AfterEach
    void stopProcessor() {
        processor.stop();
    }

    private Object run(String line) throws Exception {
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), System.out, System.out)) {
            return session.execute(line);
        }
    }

    @Test
    void tokenCreatePrintsTheTokenOnceAndSaysItIsNotShownAgain() throws Exception {
        String created = (String) run("nexus:token create plc-gw operator engineer");

        assertThat(created).isEqualTo("token plc-gw created for the roles engineer, operator:\n"
                + "  nxt_secret1\n"
                + "It is shown this once and never again (only its hash is stored): copy it now. Clients send it as\n"
                + "'Authorization: Bearer <token>'; 'token revoke plc-gw' stops it.\n");
        assertThat(admin.tokens.get("plc-gw").roles()).containsExactly("engineer", "operator");
        assertThat(admin.calls).as("as the console's operator").containsExactly(
                System.getProperty("user.name") + " as admin via shell");
        assertThat((String) run("token list")).as("never again").doesNotContain("nxt_secret1");
    }

    @Test
    void tokenListShowsNamesRolesAndWhoCreatedThem() throws Exception {
        assertThat(run("token list")).isEqualTo("no API tokens: 'token create NAME ROLE…' makes one\n");
        run("token create hmi viewer");
        run("token create plc-gw operator");

        String user = System.getProperty("user.name");
        assertThat(((String) run("token list")).lines()).containsExactly(
                "name    roles     created               by",
                "hmi     viewer    2026-12-06 12:00:00Z  " + user,
                "plc-gw  operator  2026-12-06 12:00:00Z  " + user);
    }

    @Test
    void tokenRevokeRemovesItAndAnUnknownNameIsTheAdminsError() throws Exception {
        run("token create hmi viewer");

        assertThat(run("token revoke hmi")).isEqualTo(
                "token hmi revoked: it no longer authenticates, and what it opened closes within a second\n");
        assertThat(admin.tokens).isEmpty();
        assertThatThrownBy(() -> run("token revoke hmi")).isInstanceOf(NexusException.class)
                .hasMessage("there is no token named hmi");
    }

    @Test
    void wrongTokenArgumentsAnswerTheThreeForms() {
        for (String line : List.of("token", "token create hmi", "token list all", "token revoke", "token rotate hmi")) {
            assertThatThrownBy(() -> run(line)).as(line).isInstanceOf(WrongArguments.class)
                    .hasMessageStartingWith("wrong arguments for 'token': usage: token create <name")
                    .hasMessageContaining("\n       token list\n").hasMessageContaining("\n       token revoke <name>\n");
        }
        assertThat(admin.calls).isEmpty();
    }

    @Test
    void helpListsTheTokenFormsRolesAndWhoami() {
        SecurityCommands commands = new SecurityCommands(admin, null);
        Map<String, List<String>> usage = CommandUsage.of(List.of(
                new CommandUsage.Commands(commands, List.of("roles", "whoami")),
                new CommandUsage.Commands(commands.tokenCommand(), List.of("token"))));

        assertThat(usage.get("token")).hasSize(3);
        assertThat(usage.get("token").get(0)).startsWith("token create <name: letters, digits, . _ -> <role> <more roles…>");
        assertThat(usage.get("roles")).singleElement().asString().startsWith("roles\n      list the roles in force");
        assertThat(usage.get("whoami")).singleElement().asString().startsWith("whoami\n      show who the console acts as");
    }

    @Test
    void rolesIsATableOfWhatEachRoleAllows() throws Exception {
        assertThat(((String) run("roles")).lines()).containsExactly(
                "role    permissions  read            write    rows  time     source",
                "admin   all (" + Permission.values().length + ")     **              **       -     -        built-in",
                "viewer  read         site1/area2/**  nothing  5000  2500 ms  etc/nexus.security.roles.cfg");
    }

    @Test
    void whoamiShowsTheConsolesIdentityAndWhatItMayDo() throws Exception {
        assertThat(((String) run("whoami")).lines()).containsExactly("user         " + System.getProperty("user.name"),
                "roles        admin", "source       shell", "permissions  all (" + Permission.values().length + ")", "read         **", "write        **",
                "rows         the query engine's cap", "time         the query engine's limit");

        assertThat(new SecurityCommands(admin, authenticator(true)).whoami()).endsWith("\nthe node is open: it has no API"
                + " token and no JWT issuer yet, so every local client acts as admin\n");
    }

    @Test
    void permissionsAreListedByTheirWireNames() {
        assertThat(SecurityText.permissions(StandInAdmin.VIEWER)).isEqualTo("read");
        assertThat(SecurityText.permissions(new Access(new TreeSet<>(Set.of("ops")), EnumSet.of(Permission.SHELVE,
                Permission.READ, Permission.REMOVE_FROM_SERVICE), PathScope.ALL, PathScope.ALL, 0, 0)))
                .isEqualTo("read, shelve, remove-from-service");
        assertThat(SecurityText.permissions(Access.NONE)).isEqualTo("none");
    }

    @Test
    void withoutAccessControlTheCommandsSaySo() throws Exception {
        CommandProcessorImpl bare = new CommandProcessorImpl();
        SecurityCommands commands = new SecurityCommands(null, null);
        bare.addCommand("nexus", commands, "roles");
        bare.addCommand("nexus", commands, "whoami");
        bare.addCommand("nexus", commands.tokenCommand(), TokenCommand.NAME);
        try (CommandSession session = bare.createSession(InputStream.nullInputStream(), System.out, System.out)) {
            for (String line : List.of("roles", "token list", "token create hmi viewer")) {
                assertThatThrownBy(() -> session.execute(line)).as(line).isInstanceOf(NexusException.class)
                        .hasMessage(SecurityCommands.NOT_RUNNING);
            }
            assertThat((String) session.execute("whoami")).contains("permissions  all (" + Permission.values().length + ")")
                    .endsWith(SecurityCommands.NOT_RUNNING + "\n");
        } finally {
            bare.stop();
        }
    }

    @Test
    void aRefusalPrintsAsOneLineAtTheConsole() {
        processor.addCommand("nexus", new ConsoleLoopTest.Help(), "help");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ConsoleLoop(processor, new ByteArrayInputStream("token revoke nobody\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), () -> { }).run();

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("there is no token named nobody");
    }
}
