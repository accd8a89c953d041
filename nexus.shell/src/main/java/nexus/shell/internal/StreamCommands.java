package nexus.shell.internal;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.stream.StreamService;

/** {@code nexus:streams}: the open live streams (docs/streams.md) and their subscriptions. */
@Component(service = StreamCommands.class, property = {
        "osgi.command.scope=nexus",
        "osgi.command.function=streams" })
public final class StreamCommands {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StreamService streams;

    public StreamCommands() {
    }

    /** For tests: the command on a given service, or on none. */
    StreamCommands(StreamService streams) {
        this.streams = streams;
    }

    @Descriptor("list the open streams (WebSocket, SSE): user, remote, pending bytes, messages, overflows, and each one's subscriptions")
    public String streams() {
        StreamService current = streams;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the stream service is not running: see nexus:health");
        }
        return StreamText.table(current.streams());
    }
}
