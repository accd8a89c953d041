package nexus.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsoleLoopTest {

    /** A command target as Gogo sees one: public methods become functions. */
    public static final class Greeter {
        public String greet(String who) {
            return "hello " + who;
        }

        public String fail() {
            throw new IllegalStateException("the registry is frozen");
        }
    }

    private CommandProcessorImpl processor;
    private final AtomicInteger shutdowns = new AtomicInteger();

    @BeforeEach
    void startProcessor() {
        processor = new CommandProcessorImpl();
        processor.addCommand("nexus", new Greeter(), "greet");
        processor.addCommand("nexus", new Greeter(), "fail");
    }

    @AfterEach
    void stopProcessor() {
        processor.stop();
    }

    private String run(String input) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new ConsoleLoop(processor, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out,
                shutdowns::incrementAndGet).run();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsCommandsInTheNexusScopeAndPrintsResults() {
        String output = run("greet operator\n");

        assertThat(output).contains(ConsoleLoop.PROMPT + "hello operator");
    }

    @Test
    void printsErrorsPlainlyAndKeepsGoing() {
        String output = run("fail\ngreet again\n");

        assertThat(output).contains("error: the registry is frozen").contains("hello again");
        assertThat(output).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** Stands in for nexus:help: answers the usage of the command it is asked about. */
    public static final class Help {
        public String help(String command) {
            return "usage: " + command + " <who>";
        }
    }

    @Test
    void answersWrongArgumentsWithTheCommandsUsage() {
        processor.addCommand("nexus", new Help(), "help");

        String output = run("greet a b c\n");

        assertThat(output).contains("error: wrong arguments for 'greet'").contains("usage: greet <who>")
                .doesNotContain("Cannot coerce");
    }

    @Test
    void saysWhenACommandDoesNotExist() {
        String output = run("nosuchcommand\n");

        assertThat(output).contains("error: Command not found: nosuchcommand");
    }

    @Test
    void endOfInputStopsRmaNexus() {
        run("greet a\n");

        assertThat(shutdowns).hasValue(1);
    }

    @Test
    void exitStopsRmaNexusWithoutReadingFurther() {
        String output = run("exit\ngreet never\n");

        assertThat(shutdowns).hasValue(1);
        assertThat(output).doesNotContain("hello never");
    }

    @Test
    void ignoresBlankLines() {
        String output = run("\n   \ngreet x\n");

        assertThat(output).contains("hello x");
        assertThat(shutdowns).hasValue(1);
    }
}
