package nexus.shell.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmService;
import nexus.core.ErrorCode;
import nexus.core.NexusException;

/**
 * Registers one Gogo command per {@link AlarmAction} in scope {@code nexus} ({@code nexus:ack},
 * {@code nexus:shelve}, … {@code nexus:outofservice}), so a new action is a new command without a
 * change here. Gogo calls a {@link Function} without saying which name was typed, so each command is
 * a service of its own, and their number comes from the enum, which component annotations cannot
 * express: hence registrations made while this component is active, withdrawn when it stops.
 */
@Component(service = {})
public final class AlarmActionCommands {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AlarmService alarms;

    private final List<ServiceRegistration<Function>> registrations = new ArrayList<>();

    @Activate
    void activate(BundleContext context) {
        for (AlarmAction action : AlarmAction.values()) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("osgi.command.scope", "nexus");
            properties.put("osgi.command.function", action.command());
            registrations.add(context.registerService(Function.class, new AlarmActionCommand(action, this::service),
                    properties));
        }
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }

    private AlarmService service() {
        AlarmService current = alarms;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the alarm manager is not running: see nexus:health");
        }
        return current;
    }
}
