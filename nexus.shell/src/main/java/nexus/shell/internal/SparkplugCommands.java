package nexus.shell.internal;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.sparkplug.SparkplugService;

/** {@code nexus:sparkplug}: the federation's broker connection, edge node and counters (docs/federation.md). */
@Component(service = SparkplugCommands.class, property = {
        "osgi.command.scope=nexus",
        "osgi.command.function=sparkplug" })
public final class SparkplugCommands {

    /** What the console says while no etc/nexus.sparkplug.cfg configures the federation. */
    static final String NOT_CONFIGURED = "Sparkplug is not configured: write etc/nexus.sparkplug.cfg (docs/federation.md)";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SparkplugService sparkplug;

    public SparkplugCommands() {
    }

    /** For tests: the command on a given service, or on none. */
    SparkplugCommands(SparkplugService sparkplug) {
        this.sparkplug = sparkplug;
    }

    @Descriptor("the Sparkplug B federation: broker (URL, connected, problem), edge node (born, bdSeq, seq, metrics,"
            + " registry version, last birth, primary host) and counters")
    public String sparkplug() {
        SparkplugService current = sparkplug;
        return current == null ? NOT_CONFIGURED : SparkplugText.status(current.status());
    }

    @Descriptor("sparkplug rebirth: publish a new NBIRTH of the edge node now (seq from 0)")
    public String sparkplug(@Descriptor("rebirth") String action) {
        if (!"rebirth".equals(action.strip())) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "usage: sparkplug (the status) or sparkplug rebirth"
                    + " (a new birth now); not '" + action + "'");
        }
        SparkplugService current = sparkplug;
        return current == null ? NOT_CONFIGURED : current.rebirth();
    }
}
