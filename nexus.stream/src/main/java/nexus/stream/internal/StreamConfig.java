package nexus.stream.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code nexus.stream} ({@code etc/nexus.stream.cfg}); docs/streams.md, "Configuration". */
@ObjectClassDefinition(name = "RMA Nexus streams", description = "Live streams of tag values and alarm events over"
        + " WebSocket and Server-Sent Events: limits, sampling, buffers, heartbeats.")
@interface StreamConfig {

    @AttributeDefinition(name = "connections.max", description = "Open streams at once; more are refused (503)")
    int connections_max() default 2000;

    @AttributeDefinition(name = "connections.identity.max", description = "Open streams at once of one identity (the"
            + " caller's user, wherever it connects from); more are refused (503)")
    int connections_identity_max() default 64;

    @AttributeDefinition(name = "subscriptions.max", description = "Subscriptions per connection")
    int subscriptions_max() default 64;

    @AttributeDefinition(name = "items.max", description = "Tags per subscription")
    int items_max() default 10_000;

    @AttributeDefinition(name = "items.node.max", description = "Tags followed over every subscription of the node"
            + " (a tag two subscriptions follow counts twice); a subscribe beyond it is refused (OVERLOADED)")
    long items_node_max() default 1_000_000;

    @AttributeDefinition(name = "samples.connection.max", description = "Tag samples a second one connection's tag"
            + " subscriptions take (tags x 1000 / samplingMs each); a subscribe beyond it is refused (OVERLOADED)")
    long samples_connection_max() default 1_000_000;

    @AttributeDefinition(name = "samples.node.max", description = "Tag samples a second over the node's feeds (a feed"
            + " shared by subscriptions counts once); a subscribe that needs a new feed beyond it is refused (OVERLOADED)")
    long samples_node_max() default 20_000_000;

    @AttributeDefinition(name = "sampling.min.ms", description = "The shortest sampling interval, ms")
    int sampling_min_ms() default 10;

    @AttributeDefinition(name = "sampling.default.ms", description = "The sampling interval of a subscribe that names"
            + " none, ms")
    int sampling_default_ms() default 100;

    @AttributeDefinition(name = "queue.max", description = "The largest queueSize (values kept per tag between two"
            + " messages)")
    int queue_max() default 100;

    @AttributeDefinition(name = "buffer.bytes", description = "Per connection: bytes handed to the transport and not"
            + " yet written out; while they are this many, values coalesce")
    long buffer_bytes() default 1_048_576;

    @AttributeDefinition(name = "stall.seconds", description = "How long the buffer may stay full before the"
            + " connection is closed (4008, slow consumer)")
    int stall_seconds() default 10;

    @AttributeDefinition(name = "heartbeat.seconds", description = "Idle time before a heartbeat (1 to 30: a WebSocket"
            + " that carries nothing for 60 s is closed)")
    int heartbeat_seconds() default 15;

    @AttributeDefinition(name = "inbound.rate", description = "Client messages per second; beyond it and the burst the"
            + " connection is closed (4029)")
    int inbound_rate() default 20;

    @AttributeDefinition(name = "inbound.burst", description = "Client messages allowed above the rate in a burst")
    int inbound_burst() default 100;

    @AttributeDefinition(name = "alarm.ring.size", description = "Alarm events kept for resume (1 to 1,000,000;"
            + " about 1 KB each once filled)")
    int alarm_ring_size() default 20_000;
}
