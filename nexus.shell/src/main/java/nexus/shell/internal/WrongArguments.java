package nexus.shell.internal;

import java.util.List;

/**
 * A command was called with arguments none of its forms takes: the console answers it as it answers
 * Gogo's own "Cannot coerce" (the command's usage), elsewhere the message carries the usage.
 */
final class WrongArguments extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    WrongArguments(String command, List<String> usage) {
        super("wrong arguments for '" + command + "': usage: " + String.join("\n       ", usage), null);
    }
}
