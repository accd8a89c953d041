package nexus.stream.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
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
 *
 * <p>A change of etc/nexus.stream.cfg ({@link #modified}) keeps the streams, the alarm ring and its run
 * id: the new limits apply to connections opened from then on (and {@code items.node.max} to every
 * subscribe). A new {@code alarm.ring.size} is the one change that takes a new ring, with a new run id:
 * the streams that follow alarms are then closed with 1001, and their clients resume with a gap.
 */
@Component(configurationPid = "nexus.stream",
        service = { StreamService.class, EventSink.class, MetricsSource.class, HealthIndicator.class }, property = EventSink.NAME_PROPERTY + "=streams")
@Designate(ocd = StreamConfig.class)
public final class StreamComponent implements HealthIndicator, StreamService, EventSink, MetricsSource {

    private static final Logger LOG = LoggerFactory.getLogger(StreamComponent.class);
    private static final int SAMPLERS = 2;
    /** The ring size of docs/streams.md, when the configured one is refused. */
    private static final int DEFAULT_RING = 20_000;
    /**
     * Request threads shared by every connection, one request of a connection at a time: twice the
     * query engine's default slots, so that threads waiting for a slot (at most its 2 s wait, or its
     * long.after for a query stopped as too long) leave others for short requests.
     */
    private static final int REQUEST_THREADS = 8;
    /** Two: one round of 100 KB messages to many clients is made twice as fast on two cores. */
    private static final int DISPATCHERS = 2;
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

    /** The node's alarm feed; replaced only when {@code alarm.ring.size} changes. */
    private volatile AlarmRing ring;
    /** Why etc/nexus.stream.cfg was refused (the defaults serve instead), or null. */
    private volatile String refused;
    private final ThreadScheduling scheduling;
    private final Dispatcher dispatcher;
    private final StreamEngine engine;

    @Activate
    public StreamComponent(StreamConfig config) {
        Settings settings = Settings.of(config);
        StreamLimits limits = settings.limits();
        this.refused = settings.refused();
        this.ring = new AlarmRing(settings.ringSize());
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

    /** A changed etc/nexus.stream.cfg: new limits for what opens from now on; a new ring only for a new size. */
    @Modified
    void modified(StreamConfig config) {
        Settings settings = Settings.of(config);
        refused = settings.refused();
        engine.reconfigure(settings.limits());
        if (settings.ringSize() != ring.size()) {
            ring = new AlarmRing(settings.ringSize());
            engine.closeAlarmStreams("the node's alarm feed restarted (alarm.ring.size changed): reconnect and"
                    + " resume (you will be told of the gap)");
            LOG.info("Streams: alarm.ring.size is now {}: a new alarm feed (run {}) serves", ring.size(), ring.run());
        }
        LOG.info("Streams reconfigured: new connections get at most {} subscriptions, buffers of {} bytes",
                settings.limits().subscriptionsMax(), settings.limits().bufferBytes());
    }

    /**
     * What a configuration asks for, checked; the defaults (and why) when it is refused: a stream
     * service that does not start leaves every client with 503 and no reason, so it serves the
     * defaults and says why on /health and in the log.
     */
    private record Settings(StreamLimits limits, int ringSize, String refused) {
        static Settings of(StreamConfig config) {
            try {
                AlarmRing.checkSize(config.alarm_ring_size());
                return new Settings(StreamLimits.of(config), config.alarm_ring_size(), null);
            } catch (IllegalArgumentException e) {
                LOG.error("Streams: etc/nexus.stream.cfg refused ({}); the defaults serve until it is fixed",
                        e.getMessage());
                return new Settings(StreamLimits.DEFAULTS, DEFAULT_RING, e.getMessage());
            }
        }
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

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    @Override
    public boolean required() {
        return false;
    }

    @Override
    public Health health() {
        List<StreamInfo> open = engine.streams();
        int subscriptions = open.stream().mapToInt(s -> s.subscriptions().size()).sum();
        String served = count(open.size(), "stream") + ", " + count(subscriptions, "subscription");
        return refused == null ? Health.up(served)
                : Health.degraded("etc/nexus.stream.cfg refused: " + refused + "; the defaults serve (" + served + ")");
    }
}
