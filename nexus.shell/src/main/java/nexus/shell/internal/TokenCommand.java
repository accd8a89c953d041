package nexus.shell.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Supplier;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;

import nexus.core.Caller;
import nexus.security.SecurityAdmin;

/**
 * {@code nexus:token create NAME ROLE…}, {@code token list}, {@code token revoke NAME}: the API
 * tokens, administered as the console's caller ({@link Console#operator()}) through
 * {@link SecurityAdmin}, which checks the {@code tokens} permission and audits every change. A
 * created token is printed once; nothing else ever shows it.
 */
final class TokenCommand implements Function, CommandUsage.Described {

    static final String NAME = "token";

    private final Supplier<SecurityAdmin> admin;
    private final Supplier<Caller> caller;

    /**
     * @param admin  the security admin, or a NexusException saying that access control is not running
     * @param caller who acts: the console's operator
     */
    TokenCommand(Supplier<SecurityAdmin> admin, Supplier<Caller> caller) {
        this.admin = admin;
        this.caller = caller;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) {
        List<String> args = arguments.stream().map(String::valueOf).map(String::strip).toList();
        String verb = args.isEmpty() ? "" : args.get(0);
        switch (verb) {
            case "create" -> {
                if (args.size() < 3) {
                    throw wrong();
                }
                return SecurityText.issued(admin.get().createToken(caller.get(), args.get(1),
                        new LinkedHashSet<>(args.subList(2, args.size()))));
            }
            case "list" -> {
                if (args.size() != 1) {
                    throw wrong();
                }
                return SecurityText.tokens(admin.get().tokens(caller.get()));
            }
            case "revoke" -> {
                if (args.size() != 2) {
                    throw wrong();
                }
                admin.get().revokeToken(caller.get(), args.get(1));
                return "token " + args.get(1) + " revoked: it no longer authenticates, and what it opened closes"
                        + " within a second\n";
            }
            default -> throw wrong();
        }
    }

    private WrongArguments wrong() {
        return new WrongArguments(NAME, usage());
    }

    @Override
    public List<String> usage() {
        return List.of(
                "token create <name: letters, digits, . _ -> <role> <more roles…>\n      create an API token acting in"
                        + " these roles; it is printed once, only its hash is kept",
                "token list\n      list the API tokens: name, roles, when and by whom created (never the tokens)",
                "token revoke <name>\n      revoke an API token: it stops working at once");
    }
}
