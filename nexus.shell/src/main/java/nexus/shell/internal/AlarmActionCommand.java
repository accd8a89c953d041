package nexus.shell.internal;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;

import nexus.alarm.ActionRequest;
import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmService;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The console command of one {@link AlarmAction}, named {@link AlarmAction#command()}:
 * {@code <name> [comment]}; a shelve also takes {@code <minutes|oneshot>} after the name. Carried
 * out through {@link AlarmService#act} as the console's caller ({@link Console#operator()}): the OS
 * user who started the node, as {@code admin}. Nobody types who they are: a name typed after the
 * alarm is the comment.
 */
final class AlarmActionCommand implements Function, CommandUsage.Described {

    private final AlarmAction action;
    private final Supplier<AlarmService> alarms;

    /** @param alarms the alarm service, or a NexusException when none runs */
    AlarmActionCommand(AlarmAction action, Supplier<AlarmService> alarms) {
        this.action = action;
        this.alarms = alarms;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) {
        List<String> args = arguments.stream().map(String::valueOf).toList();
        int fixed = shelve() ? 2 : 1;
        if (args.size() != fixed && args.size() != fixed + 1) {
            throw new WrongArguments(action.command(), usage());
        }
        AlarmService service = alarms.get();
        Caller caller = Console.operator();
        String comment = args.size() > fixed ? args.get(fixed) : null;
        ActionRequest request = shelve() ? shelve(args.get(1), caller, comment) : ActionRequest.of(caller, comment);
        Alarm alarm = service.act(args.get(0), action, request);
        return alarm.name() + " " + done(action, request) + ": now " + alarm.state() + "\n";
    }

    private boolean shelve() {
        return action == AlarmAction.SHELVE;
    }

    private static ActionRequest shelve(String how, Caller caller, String reason) {
        if (how.strip().toLowerCase(Locale.ROOT).equals("oneshot")) {
            return new ActionRequest(caller, reason, null, true);
        }
        double minutes;
        try {
            minutes = Double.parseDouble(how.strip());
        } catch (NumberFormatException e) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "'" + how + "' is neither minutes nor oneshot");
        }
        // how long a shelve may be is the alarm service's rule: it answers a duration that is not positive
        return new ActionRequest(caller, reason, Duration.ofMillis(Math.round(minutes * 60_000)), false);
    }

    /** The console's confirmation, in the words of the action itself. */
    static String done(AlarmAction action, ActionRequest request) {
        return action.done() + (request.oneShot() ? " (one-shot)" : "");
    }

    @Override
    public List<String> usage() {
        String command = action.command() + " <the alarm name>" + (shelve() ? " <minutes, or oneshot>" : "");
        String more = shelve() ? "reason" : "comment";
        return List.of(command + "\n      " + action.summary(),
                command + " <the " + more + ", quoted>\n      " + action.summary() + ", with a " + more);
    }
}
