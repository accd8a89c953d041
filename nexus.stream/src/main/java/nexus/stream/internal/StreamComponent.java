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
import nexus.core.Health;
import nexus.core.HealthIndicator;
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
@Component(configurationPid = "nexus.stream",
        service = { StreamService.class, EventSink.class, MetricsSource.class, HealthIndicator.class }, property = EventSink.NAME_PROPERTY + "=streams")
@Designate(ocd = StreamConfig.class)
public final class StreamComponent implements HealthIndicator, StreamService, EventSink, MetricsSource {

    private static final Logger LOG = LoggerFactory.getLogger(StreamComponent.class);
    private static final int SAMPLERS = 2;
    /** The ring size of docs/streams.md, when the configured one is refused. */
    private static final int DEFAULT_RING = 20_000;
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
    /** Why etc/nexus.stream.cfg was refused (the defaults serve instead), or null. */
    private final String refused;
    private final ThreadScheduling scheduling;
    private final Dispatcher dispatcher;
    private final StreamEngine engine;

    @Activate
    public StreamComponent(StreamConfig config) {
        StreamLimits limits;
        AlarmRing feed;
        String problem = null;
        try {
            limits = StreamLimits.of(config);
            feed = new AlarmRing(config.alarm_ring_size());
        } catch (IllegalArgumentException e) {
            // A stream service that does not start leaves every client with 503 and no reason: serve the
            // defaults and say why on /health and in the log.
            problem = e.getMessage();
            LOG.error("Streams: etc/nexus.stream.cfg refused ({}); the defaults serve until it is fixed", problem);
            limits = StreamLimits.DEFAULTS;
            feed = new AlarmRing(DEFAULT_RING);
        }
        this.refused = problem;
        this.ring = feed;
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

    @Override
    public String name() {
        return "streams";
    }

    @Override
    public boolean required() {
        return false;
    }

    @Override
    public Health health() {
        List<StreamInfo> open = engine.streams();
        int subscriptions = open.stream().mapToInt(s -> s.subscriptions().size()).sum();
        String served = open.size() + " streams, " + subscriptions + " subscriptions";
        return refused == null ? Health.up(served)
                : Health.degraded("etc/nexus.stream.cfg refused: " + refused + "; the defaults serve (" + served + ")");
    }
}
