package nexus.shell.internal;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.alarm.AlarmService;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * The operator's alarm views: {@code nexus:alarms} and {@code nexus:alarm}. The actions are
 * {@link AlarmActionCommands}, one per {@link nexus.alarm.AlarmAction}.
 */
@Component(service = AlarmCommands.class, property = {
        "osgi.command.scope=nexus",
        "osgi.command.function=alarms",
        "osgi.command.function=alarm" })
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
        return AlarmText.table(service.list(Console.operator(), AlarmText.filter(filter)), CONSOLE_ROWS, service.summary());
    }

    @Descriptor("show one alarm: state, flags, value, lifecycle")
    public String alarm(@Descriptor("the alarm name") String name) {
        return AlarmText.detail(service().get(Console.operator(), name));
    }

    private AlarmService service() {
        AlarmService current = alarms;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the alarm manager is not running: see nexus:health");
        }
        return current;
    }
}
