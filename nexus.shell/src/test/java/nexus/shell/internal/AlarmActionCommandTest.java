package nexus.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import nexus.alarm.ActionRequest;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmService;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/** The alarm action commands, one per AlarmAction, run in a real Gogo processor. */
class AlarmActionCommandTest {

    private final List<Object[]> acts = new ArrayList<>();
    /** Records act(…) and refuses it: the command's part ends where the service's begins. */
    private final AlarmService alarms = (AlarmService) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] { AlarmService.class }, (proxy, method, args) -> {
                if (method.getName().equals("act")) {
                    acts.add(args);
                    throw new NexusException(ErrorCode.CONFLICT, "recorded");
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private CommandProcessorImpl processor;

    @BeforeEach
    void startProcessor() {
        processor = new CommandProcessorImpl();
        for (AlarmAction action : AlarmAction.values()) {
            processor.addCommand("nexus", new AlarmActionCommand(action, () -> alarms), action.command());
        }
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

    private ActionRequest refusedAs(String line) {
        assertThatThrownBy(() -> run(line)).isInstanceOf(NexusException.class).hasMessage("recorded");
        return (ActionRequest) acts.get(acts.size() - 1)[2];
    }

    @Test
    void everyActionIsACommandNamedByTheContract() {
        assertThat(processor.getCommands()).containsAll(Arrays.stream(AlarmAction.values())
                .map(a -> "nexus:" + a.command()).toList());
        assertThat(processor.getCommands()).contains("nexus:ack", "nexus:shelve", "nexus:outofservice", "nexus:inservice");
    }

    @Test
    void anActionIsTakenAsTheConsolesOperatorAndCarriesTheComment() {
        ActionRequest plain = refusedAs("nexus:ack site1/area2/tt101-hi");
        ActionRequest commented = refusedAs("nexus:outofservice site1/area2/tt101-hi \"sensor swap\"");

        assertThat(acts.get(0)[0]).isEqualTo("site1/area2/tt101-hi");
        assertThat(acts.get(0)[1]).isEqualTo(AlarmAction.ACKNOWLEDGE);
        assertThat(plain).isEqualTo(ActionRequest.of(Console.operator(), null));
        assertThat(plain.caller()).isEqualTo(Caller.of(System.getProperty("user.name"), Set.of("admin"), "shell"));
        assertThat(acts.get(1)[1]).isEqualTo(AlarmAction.REMOVE_FROM_SERVICE);
        assertThat(commented).isEqualTo(ActionRequest.of(Console.operator(), "sensor swap"));
    }

    @Test
    void aNameTypedAfterTheAlarmIsOnlyAComment() {
        assertThat(refusedAs("ack site1/x alice")).as("the old form: who acts is never typed")
                .isEqualTo(ActionRequest.of(Console.operator(), "alice"));
    }

    @Test
    void shelveTakesMinutesOrOneshotAfterTheName() {
        assertThat(refusedAs("shelve site1/x 30 \"sensor swap\"")).isEqualTo(new ActionRequest(
                Console.operator(), "sensor swap", Duration.ofMinutes(30), false));
        assertThat(refusedAs("shelve site1/x 0.5").shelveFor()).isEqualTo(Duration.ofSeconds(30));
        assertThat(refusedAs("shelve site1/x ONESHOT")).isEqualTo(new ActionRequest(
                Console.operator(), null, null, true));

        assertThatThrownBy(() -> run("shelve site1/x soon")).hasMessage("'soon' is neither minutes nor oneshot");
        assertThat(refusedAs("shelve site1/x -5").shelveFor()).as("the alarm service refuses it, with the"
                + " message every front-end shows").isEqualTo(Duration.ofMinutes(-5));
        assertThat(acts).hasSize(4);
    }

    @Test
    void wrongArgumentsAnswerTheUsage() {
        assertThatThrownBy(() -> run("ack")).isInstanceOf(WrongArguments.class)
                .hasMessage("wrong arguments for 'ack': usage: ack <the alarm name>\n"
                        + "      acknowledges the alarm\n"
                        + "       ack <the alarm name> <the comment, quoted>\n"
                        + "      acknowledges the alarm, with a comment");
        assertThatThrownBy(() -> run("ack site1/x alice \"sensor swap\"")).as("the old form with a user")
                .isInstanceOf(WrongArguments.class);
        assertThatThrownBy(() -> run("shelve site1/x")).isInstanceOf(WrongArguments.class);
        assertThatThrownBy(() -> run("shelve site1/x 30 alice \"sensor swap\"")).isInstanceOf(WrongArguments.class);
        assertThatThrownBy(() -> run("reset a b c")).isInstanceOf(WrongArguments.class);
        assertThat(acts).isEmpty();
    }

    @Test
    void theConsoleAnswersWrongArgumentsAsForAnyCommand() {
        processor.addCommand("nexus", new ConsoleLoopTest.Help(), "help");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ConsoleLoop(processor, new ByteArrayInputStream("ack\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), () -> { }).run();

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("error: wrong arguments for 'ack'\nusage: ack <who>");
    }

    @Test
    void withoutTheAlarmManagerTheCommandSaysSo() {
        AlarmActionCommand command = new AlarmActionCommand(AlarmAction.RESET, () -> {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the alarm manager is not running: see nexus:health");
        });

        assertThatThrownBy(() -> command.execute(null, List.of("site1/x")))
                .hasMessage("the alarm manager is not running: see nexus:health");
    }

    @Test
    void helpListsEachActionWithItsForms() {
        Map<String, List<String>> usage = CommandUsage.of(List.of(
                new CommandUsage.Commands(new AlarmActionCommand(AlarmAction.SHELVE, () -> alarms), List.of("shelve")),
                new CommandUsage.Commands(new AlarmActionCommand(AlarmAction.REMOVE_FROM_SERVICE, () -> alarms),
                        List.of("outofservice"))));

        assertThat(usage.get("shelve")).containsExactly(
                "shelve <the alarm name> <minutes, or oneshot>\n      "
                        + AlarmAction.SHELVE.summary(),
                "shelve <the alarm name> <minutes, or oneshot> <the reason, quoted>\n      "
                        + AlarmAction.SHELVE.summary() + ", with a reason");
        assertThat(usage.get("outofservice")).hasSize(2).first().asString()
                .startsWith("outofservice <the alarm name>\n      removes the alarm from service");
    }

    @Test
    void theConfirmationsKeepTheirWords() {
        ActionRequest any = ActionRequest.of(Caller.of("a", "shell"), null);
        assertThat(AlarmActionCommand.done(AlarmAction.ACKNOWLEDGE, any)).isEqualTo("acknowledged");
        assertThat(AlarmActionCommand.done(AlarmAction.SHELVE, any)).isEqualTo("shelved");
        assertThat(AlarmActionCommand.done(AlarmAction.SHELVE, new ActionRequest(any.caller(), null, null, true)))
                .isEqualTo("shelved (one-shot)");
        assertThat(AlarmActionCommand.done(AlarmAction.UNSHELVE, any)).isEqualTo("unshelved");
        assertThat(AlarmActionCommand.done(AlarmAction.UNSUPPRESS, any)).isEqualTo("no longer suppressed");
        assertThat(AlarmActionCommand.done(AlarmAction.REMOVE_FROM_SERVICE, any)).isEqualTo("removed from service");
    }
}
