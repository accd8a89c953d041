package nexus.shell.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * {@code nexus:help [command]}: every RMA Nexus command with its arguments and what it does, from the
 * {@link Descriptor}s of whatever bundles register commands in scope {@code nexus} right now. At the
 * console {@code help} finds this one first (the session's scope is {@code nexus:*}).
 */
@Component(service = HelpCommand.class, property = {
        "osgi.command.scope=nexus",
        "osgi.command.function=help" })
public final class HelpCommand {

    private final BundleContext context;

    @Activate
    public HelpCommand(BundleContext context) {
        this.context = context;
    }

    @Descriptor("list the RMA Nexus commands with their arguments")
    public String help() {
        return CommandUsage.page(usage());
    }

    @Descriptor("show how one command is used, e.g. help write")
    public String help(@Descriptor("command") String command) {
        String name = command.strip();
        name = name.startsWith("nexus:") ? name.substring("nexus:".length()) : name;
        List<String> lines = usage().get(name);
        if (lines == null) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "there is no RMA Nexus command '" + command
                    + "': 'help' lists them ('felix:help' the framework's)");
        }
        return "usage: " + String.join("\n       ", lines);
    }

    private Map<String, List<String>> usage() {
        List<CommandUsage.Commands> commands = new ArrayList<>();
        ServiceReference<?>[] references;
        try {
            references = context.getServiceReferences((String) null, "(osgi.command.scope=nexus)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("the filter is a constant", e);
        }
        for (ServiceReference<?> reference : references == null ? new ServiceReference<?>[0] : references) {
            Object target = context.getService(reference);
            if (target == null) {
                continue;
            }
            try {
                commands.add(new CommandUsage.Commands(target, functions(reference.getProperty("osgi.command.function"))));
            } finally {
                context.ungetService(reference);
            }
        }
        return CommandUsage.of(commands);
    }

    private static List<String> functions(Object property) {
        if (property instanceof String[] many) {
            return Arrays.asList(many);
        }
        if (property instanceof java.util.Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        return property == null ? List.of() : List.of(String.valueOf(property));
    }
}
