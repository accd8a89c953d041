package nexus.shell.internal;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import nexus.core.Access;
import nexus.core.Caller;
import nexus.core.Permission;
import nexus.core.PathScope;
import nexus.security.IssuedToken;
import nexus.security.RoleInfo;
import nexus.security.TokenInfo;

/** Renders tokens, roles and the console's identity for the console. Plain Java. */
final class SecurityText {

    /** The widest cell of a table; longer ones are cut with "…". */
    private static final int WIDEST = 80;

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private SecurityText() {
    }

    /** The only time a token's secret is shown. */
    static String issued(IssuedToken token) {
        TokenInfo info = token.info();
        return "token " + info.name() + " created for the roles " + String.join(", ", info.roles()) + ":\n"
                + "  " + token.secret() + "\n"
                + "It is shown this once and never again (only its hash is stored): copy it now. Clients send it as\n"
                + "'Authorization: Bearer <token>'; 'token revoke " + info.name() + "' stops it.\n";
    }

    static String tokens(List<TokenInfo> tokens) {
        if (tokens.isEmpty()) {
            return "no API tokens: 'token create NAME ROLE…' makes one\n";
        }
        List<List<String>> rows = new ArrayList<>();
        for (TokenInfo token : tokens) {
            rows.add(List.of(token.name(), String.join(", ", token.roles()), WHEN.format(token.created()),
                    token.createdBy()));
        }
        StringBuilder text = new StringBuilder();
        TextTable.render(text, List.of("name", "roles", "created", "by"), rows, WIDEST);
        return text.toString();
    }

    static String roles(List<RoleInfo> roles) {
        if (roles.isEmpty()) {
            return "no role is in force: every request is refused until a valid role configuration is (see nexus:health)\n";
        }
        List<List<String>> rows = new ArrayList<>();
        for (RoleInfo role : roles) {
            Access access = role.access();
            rows.add(List.of(role.name(), permissions(access), scope(access.read()), scope(access.write()),
                    rows(access), time(access), role.source()));
        }
        StringBuilder text = new StringBuilder();
        TextTable.render(text, List.of("role", "permissions", "read", "write", "rows", "time", "source"), rows, WIDEST);
        return text.toString();
    }

    /**
     * @param note a line on the node's access control (not installed, open), or {@code null}
     */
    static String whoami(Caller caller, Access access, String note) {
        StringBuilder text = new StringBuilder();
        text.append("user         ").append(caller.user()).append('\n');
        text.append("roles        ").append(caller.rolesText()).append('\n');
        text.append("source       ").append(caller.source()).append('\n');
        text.append("permissions  ").append(permissions(access)).append('\n');
        text.append("read         ").append(scope(access.read())).append('\n');
        text.append("write        ").append(scope(access.write())).append('\n');
        text.append("rows         ").append(access.maxRows() == 0 ? "the query engine's cap" : access.maxRows()).append('\n');
        text.append("time         ").append(access.timeoutMillis() == 0 ? "the query engine's limit" : time(access)).append('\n');
        if (note != null) {
            text.append(note).append('\n');
        }
        return text.toString();
    }

    /** @return the wire names, in the order of {@link Permission}; {@code all} or {@code none} */
    static String permissions(Access access) {
        if (access.permissions().size() == Permission.values().length) {
            return "all (" + Permission.values().length + ")";
        }
        String names = java.util.Arrays.stream(Permission.values()).filter(access::may).map(Permission::wireName)
                .collect(Collectors.joining(", "));
        return names.isEmpty() ? "none" : names;
    }

    private static String scope(PathScope scope) {
        return scope.isEmpty() ? "nothing" : String.join(" ", scope.globs());
    }

    private static String rows(Access access) {
        return access.maxRows() == 0 ? "-" : String.valueOf(access.maxRows());
    }

    private static String time(Access access) {
        long millis = access.timeoutMillis();
        if (millis == 0) {
            return "-";
        }
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
