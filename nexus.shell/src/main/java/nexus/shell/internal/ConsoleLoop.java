package nexus.shell.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * The operator console: reads one command line at a time, runs it in a Gogo session and prints
 * the result. Line editing is the terminal's own (cooked mode), so Ctrl-C reaches the JVM as a
 * signal and stops RMA Nexus cleanly through the launcher's shutdown hook; end of input (Ctrl-D)
 * or {@code exit} stops it too.
 */
final class ConsoleLoop implements Runnable {

    static final String PROMPT = "nexus> ";

    private final CommandProcessor processor;
    private final InputStream in;
    private final PrintStream out;
    private final Runnable shutdown;
    private volatile boolean closed;

    /**
     * @param processor the Gogo command processor
     * @param in        where command lines come from
     * @param out       where results, errors and the prompt go
     * @param shutdown  what to run on {@code exit} or end of input: stops RMA Nexus
     */
    ConsoleLoop(CommandProcessor processor, InputStream in, PrintStream out, Runnable shutdown) {
        this.processor = processor;
        this.in = in;
        this.out = out;
        this.shutdown = shutdown;
    }

    /** Makes the loop end after the line it is reading; the blocked read itself cannot be interrupted. */
    void close() {
        closed = true;
    }

    @Override
    public void run() {
        // Commands get no keyboard: the console owns standard input.
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out)) {
            session.put("SCOPE", "nexus:*");
            out.println("RMA Nexus console. 'nexus:health' shows the node's health, 'help' lists commands,");
            out.println("'exit' or Ctrl-D stops RMA Nexus.");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            while (!closed) {
                out.print(PROMPT);
                out.flush();
                String line = reader.readLine();
                if (closed) {
                    return;
                }
                if (line == null || line.strip().equals("exit")) {
                    out.println();
                    shutdown.run();
                    return;
                }
                if (!line.isBlank()) {
                    execute(session, line.strip());
                }
            }
        } catch (IOException e) {
            out.println("console: cannot read standard input: " + e.getMessage());
        }
    }

    private void execute(CommandSession session, String line) {
        try {
            Object result = session.execute(line);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof WrongArguments || message.startsWith("Cannot coerce ")) {
                // The command exists but no form takes these arguments: say how it is used
                String command = line.split("\\s+", 2)[0];
                out.println("error: wrong arguments for '" + command + "'");
                out.println(usage(session, command));
                return;
            }
            out.println("error: " + message);
        }
    }

    private static String usage(CommandSession session, String command) {
        try {
            Object usage = session.execute("nexus:help '" + command.replace("'", "") + "'");
            return usage == null ? "" : usage.toString();
        } catch (Exception e) {
            return "'help' lists the commands with their arguments";
        }
    }
}
