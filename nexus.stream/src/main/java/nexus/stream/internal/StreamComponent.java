package nexus.stream.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmService;
import nexus.alarm.EventSink;
import nexus.core.AccessPolicy;
import nexus.core.ErrorCode;
import nexus.core.MetricFamily;
import nexus.core.MetricsSource;
import nexus.core.NexusException;
import nexus.query.QueryService;
import nexus.query.TagService;
import nexus.stream.StreamClient;
import nexus.stream.StreamInfo;
import nexus.stream.StreamService;
import nexus.stream.StreamSession;

/**
 * The stream service (PID {@code nexus.stream}): a thin shell around {@link StreamEngine} with the
 * engine's threads, the node's alarm feed ({@link AlarmRing}, fed as the {@code streams}
 * {@link EventSink}) and its metrics. The tag, query, alarm and access services are optional and
 * dynamic: without them subscriptions that need them are refused with BACKEND_UNAVAILABLE, and
 * without an access policy every caller sees everything. The registry version a subscription reports
 * is the one its feed's watch resolved its tags in ({@link nexus.query.TagWatch#registryVersion}), so
 * the registry itself is not referenced. Deactivation closes every stream with 1001.
 */
@Component(configurationPid = "nexus.stream", service = { StreamService.class, EventSink.class, MetricsSource.class },
        property = EventSink.NAME_PROPERTY + "=streams")
@Designate(ocd = StreamConfig.class)
public final class StreamComponent implements StreamService, EventSink, MetricsSource {

    private static final Logger LOG = LoggerFactory.getLogger(StreamComponent.class);
    private static final int SAMPLERS = 2;
    private static final int REQUEST_THREADS = 2;
    private static final int DISPATCHERS = 1;
    private static final long STOP_WAIT_MS = 2000;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagService tags;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile QueryService queries;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AlarmService alarms;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccessPolicy policy;

    private final AlarmRing ring;
    private final ThreadScheduling scheduling;
    private final Dispatcher dispatcher;
    private final StreamEngine engine;

    @Activate
    public StreamComponent(StreamConfig config) {
        StreamLimits limits = StreamLimits.of(config);
        this.ring = new AlarmRing(config.alarm_ring_size());
        this.scheduling = new ThreadScheduling(SAMPLERS, REQUEST_THREADS);
        this.dispatcher = new Dispatcher(DISPATCHERS);
        this.engine = new StreamEngine(limits, new StreamEngine.Services(() -> tags, () -> queries, () -> policy,
                (requestId, id, filter, resume, caller, access, wake) -> AlarmSubscriptions.open(requestId, id, filter,
                        resume, caller, access, alarmService(), ring, wake)),
                scheduling, dispatcher, Ticker.SYSTEM);
        engine.start();
        LOG.info("Streams served: at most {} connections of {} subscriptions, buffers of {} bytes", limits.connectionsMax(),
                limits.subscriptionsMax(), limits.bufferBytes());
    }

    @Deactivate
    void deactivate() {
        engine.stop();
        dispatcher.stop(STOP_WAIT_MS);
        scheduling.stop(STOP_WAIT_MS);
        LOG.info("Streams stopped");
    }

    private AlarmService alarmService() {
        AlarmService service = alarms;
        if (service == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no alarm service runs: alarm subscriptions are"
                    + " not served now; try again when the node has started");
        }
        return service;
    }

    @Override
    public StreamSession open(StreamClient client) {
        return engine.open(client);
    }

    @Override
    public List<StreamInfo> streams() {
        return engine.streams();
    }

    @Override
    public void publish(AlarmEvent event) {
        ring.publish(event);
    }

    @Override
    public List<MetricFamily> metrics() {
        return engine.metrics();
    }
}
