package nexus.shell.internal;

import java.time.Duration;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.alarm.Alarm;
import nexus.alarm.AlarmService;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The operator's alarm commands: {@code nexus:alarms}, {@code nexus:alarm}, {@code nexus:ack},
 * {@code nexus:shelve}, {@code nexus:unshelve}, {@code nexus:reset}, {@code nexus:suppress},
 * {@code nexus:unsuppress}, {@code nexus:outofservice}, {@code nexus:inservice},
 * {@code nexus:disable}, {@code nexus:enable}. Every action names the operator.
 */
@Component(service = AlarmCommands.class, property = {
        "osgi.command.scope=nexus",
        "osgi.command.function=alarms",
        "osgi.command.function=alarm",
        "osgi.command.function=ack",
        "osgi.command.function=shelve",
        "osgi.command.function=unshelve",
        "osgi.command.function=reset",
        "osgi.command.function=suppress",
        "osgi.command.function=unsuppress",
        "osgi.command.function=outofservice",
        "osgi.command.function=inservice",
        "osgi.command.function=disable",
        "osgi.command.function=enable" })
public final class AlarmCommands {

    /** Alarms a console list shows at most. */
    static final int CONSOLE_ROWS = 100;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AlarmService alarms;

    public AlarmCommands() {
    }

    /** For tests: commands on a given service. */
    AlarmCommands(AlarmService alarms) {
        this.alarms = alarms;
    }

    @Descriptor("list the alarms with their state, and the alarm KPIs")
    public String alarms() {
        return alarms(new String[0]);
    }

    @Descriptor("list the alarms that match: states (UNACK_ALARM …), severities (HIGH …) and a name or tag prefix")
    public String alarms(@Descriptor("filter words, e.g. UNACK_ALARM RTN_UNACK HIGH site1/area2/") String... filter) {
        AlarmService service = service();
        return AlarmText.table(service.list(AlarmText.filter(filter)), CONSOLE_ROWS, service.summary());
    }

    @Descriptor("show one alarm: state, flags, value, lifecycle")
    public String alarm(@Descriptor("the alarm name") String name) {
        return AlarmText.detail(service().get(name));
    }

    @Descriptor("acknowledge an alarm")
    public String ack(@Descriptor("the alarm name") String name, @Descriptor("who acknowledges") String user) {
        return done("acknowledged", service().acknowledge(name, user, null));
    }

    @Descriptor("acknowledge an alarm with a comment")
    public String ack(@Descriptor("the alarm name") String name, @Descriptor("who acknowledges") String user,
            @Descriptor("the comment, quoted") String comment) {
        return done("acknowledged", service().acknowledge(name, user, comment));
    }

    @Descriptor("shelve an alarm for some minutes, or 'oneshot' until its condition clears")
    public String shelve(@Descriptor("the alarm name") String name, @Descriptor("minutes, or oneshot") String how,
            @Descriptor("who shelves it") String user, @Descriptor("the reason, quoted") String reason) {
        AlarmService service = service();
        if (how.strip().toLowerCase(Locale.ROOT).equals("oneshot")) {
            return done("shelved (one-shot)", service.shelveOneShot(name, user, reason));
        }
        double minutes;
        try {
            minutes = Double.parseDouble(how.strip());
        } catch (NumberFormatException e) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "'" + how + "' is neither minutes nor oneshot");
        }
        if (!(minutes > 0) || minutes > 1e7) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "shelve for more than 0 minutes, not " + how);
        }
        return done("shelved", service.shelve(name, Duration.ofMillis(Math.round(minutes * 60_000)), user, reason));
    }

    @Descriptor("unshelve an alarm (one still in alarm comes back acknowledged)")
    public String unshelve(@Descriptor("the alarm name") String name, @Descriptor("who unshelves it") String user) {
        return done("unshelved", service().unshelve(name, user, null));
    }

    @Descriptor("reset a latched, acknowledged alarm whose condition has cleared")
    public String reset(@Descriptor("the alarm name") String name, @Descriptor("who resets it") String user) {
        return done("reset", service().reset(name, user, null));
    }

    @Descriptor("suppress an alarm by design (evaluated, not annunciated)")
    public String suppress(@Descriptor("the alarm name") String name, @Descriptor("who suppresses it") String user) {
        return done("suppressed", service().suppress(name, user, null));
    }

    @Descriptor("end an alarm's suppression")
    public String unsuppress(@Descriptor("the alarm name") String name, @Descriptor("who ends it") String user) {
        return done("no longer suppressed", service().unsuppress(name, user, null));
    }

    @Descriptor("remove an alarm from service (no longer evaluated)")
    public String outofservice(@Descriptor("the alarm name") String name, @Descriptor("who removes it") String user,
            @Descriptor("why, quoted") String comment) {
        return done("removed from service", service().removeFromService(name, user, comment));
    }

    @Descriptor("return an alarm to service")
    public String inservice(@Descriptor("the alarm name") String name, @Descriptor("who returns it") String user) {
        return done("returned to service", service().returnToService(name, user, null));
    }

    @Descriptor("disable an alarm (no longer evaluated)")
    public String disable(@Descriptor("the alarm name") String name, @Descriptor("who disables it") String user,
            @Descriptor("why, quoted") String comment) {
        return done("disabled", service().disable(name, user, comment));
    }

    @Descriptor("enable a disabled alarm")
    public String enable(@Descriptor("the alarm name") String name, @Descriptor("who enables it") String user) {
        return done("enabled", service().enable(name, user, null));
    }

    private static String done(String what, Alarm alarm) {
        return alarm.name() + " " + what + ": now " + alarm.state() + "\n";
    }

    private AlarmService service() {
        AlarmService current = alarms;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the alarm manager is not running: see nexus:health");
        }
        return current;
    }
}
