package nexus.stream.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import nexus.core.Access;
import nexus.core.AccessPolicy;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.MetricFamily;
import nexus.core.NexusException;
import nexus.query.QueryService;
import nexus.query.TagService;
import nexus.stream.StreamClient;
import nexus.stream.StreamClose;
import nexus.stream.StreamInfo;
import nexus.stream.StreamService;
import nexus.stream.StreamSession;

/**
 * The stream service, plain Java: the open {@link Connection}s, the shared {@link Feeds}, the
 * {@link Dispatcher} that sends, and the housekeeping that checks every connection a few times a
 * second. The services it uses are asked for at each use (they come and go); time and threads are
 * injected ({@link Ticker}, {@link Scheduling}) so that tests drive them.
 */
final class StreamEngine implements StreamService {

    /** When a client refused for too many streams may try again. */
    private static final Duration RETRY = Duration.ofSeconds(5);
    /** How often every connection's identity, stall and idleness are checked, in ms. */
    static final long HOUSEKEEPING_MS = 250;

    /** Makes alarm subscriptions (the alarm feed's side of the seam, {@link AlarmSubscriptions}). */
    @FunctionalInterface
    interface AlarmOpener {
        /** As {@link AlarmSubscriptions#open}, with the node's alarm service and ring bound. */
        Subscription open(JsonNode requestId, String id, JsonNode alarms, JsonNode resume, Caller caller,
                Supplier<Access> access, Subscription.Wake wake);
    }

    /**
     * What the engine uses, asked at each use.
     *
     * @param tags    the tag service now, or null
     * @param queries the query service now, or null
     * @param policy  the access policy now, or null (everyone may do everything)
     * @param alarms  makes alarm subscriptions
     */
    record Services(Supplier<TagService> tags, Supplier<QueryService> queries, Supplier<AccessPolicy> policy,
            AlarmOpener alarms) {
    }

    /** The limits new connections and subscriptions get ({@link #reconfigure}); open connections keep theirs. */
    private volatile StreamLimits limits;
    /** Set by {@link #stop}: no connection is opened after it. */
    private volatile boolean stopped;
    private final Services services;
    private final Scheduling scheduling;
    private final Dispatcher dispatcher;
    private final Ticker ticker;
    private final StreamCounters counters = new StreamCounters();
    private final Feeds feeds;
    private final ConcurrentHashMap<Long, Connection> connections = new ConcurrentHashMap<>();
    /** Open connections by the caller's user ({@code connections.identity.max}); held with {@code connections}. */
    private final Map<String, Integer> byUser = new HashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private Scheduling.Periodic housekeeping;

    StreamEngine(StreamLimits limits, Services services, Scheduling scheduling, Dispatcher dispatcher, Ticker ticker) {
        this.limits = limits;
        this.services = services;
        this.scheduling = scheduling;
        this.dispatcher = dispatcher;
        this.ticker = ticker;
        this.feeds = new Feeds(services.tags(), services.policy(), scheduling, counters);
    }

    /** Starts the housekeeping. */
    synchronized void start() {
        housekeeping = scheduling.housekeeping(HOUSEKEEPING_MS, this::housekeep);
    }

    /**
     * Applies new limits to the connections opened from now on, and to every subscribe's
     * {@code items.node.max}; open connections keep the limits they were opened with.
     */
    void reconfigure(StreamLimits next) {
        limits = next;
    }

    /** Refuses new streams (BACKEND_UNAVAILABLE), closes every open one with 1001 and stops the housekeeping. */
    synchronized void stop() {
        synchronized (connections) {
            stopped = true;
        }
        if (housekeeping != null) {
            housekeeping.cancel();
            housekeeping = null;
        }
        for (Connection connection : new ArrayList<>(connections.values())) {
            connection.close(StreamClose.GOING_AWAY, "the node is stopping: reconnect later");
        }
    }

    @Override
    public StreamSession open(StreamClient client) {
        synchronized (connections) {
            if (stopped) {
                throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the stream service is stopping: reconnect"
                        + " later");
            }
            if (connections.size() >= limits.connectionsMax()) {
                throw new NexusException(ErrorCode.OVERLOADED, "the node serves " + connections.size()
                        + " streams, its most (connections.max): try again later", RETRY);
            }
            String user = client.caller().user();
            int own = byUser.getOrDefault(user, 0);
            if (own >= limits.connectionsIdentityMax()) {
                throw new NexusException(ErrorCode.OVERLOADED, "'" + user + "' has " + own + " streams open, the most"
                        + " one identity may have (connections.identity.max): close one (one stream carries up to "
                        + limits.subscriptionsMax() + " subscriptions), or try again later", RETRY);
            }
            long id = ids.incrementAndGet();
            Connection connection = new Connection(id, client, this, ticker.nanos());
            connections.put(id, connection);
            byUser.put(user, own + 1);
            return connection;
        }
    }

    /** Closes with 1001 every stream that follows alarms: the alarm feed they read from is replaced. */
    void closeAlarmStreams(String reason) {
        for (Connection connection : new ArrayList<>(connections.values())) {
            if (connection.subscriptions().stream().anyMatch(AlarmSubscription.class::isInstance)) {
                connection.close(StreamClose.GOING_AWAY, reason);
            }
        }
    }

    @Override
    public List<StreamInfo> streams() {
        List<Connection> open = new ArrayList<>(connections.values());
        open.sort(Comparator.comparingLong(Connection::id));
        List<StreamInfo> infos = new ArrayList<>(open.size());
        for (Connection connection : open) {
            infos.add(connection.info());
        }
        return infos;
    }

    /** Checks every connection (identity, stall, idleness), and that feeds watch through the tag service now. */
    void housekeep() {
        feeds.renew();
        long now = ticker.nanos();
        for (Connection connection : connections.values()) {
            connection.housekeep(now);
        }
    }

    /** @return the metric families now */
    List<MetricFamily> metrics() {
        return StreamMetrics.of(connections.values(), feeds.size(), counters);
    }

    void ended(Connection connection) {
        synchronized (connections) {
            if (connections.remove(connection.id(), connection)) {
                byUser.computeIfPresent(connection.client().caller().user(), (user, open) -> open == 1 ? null : open - 1);
            }
        }
    }

    StreamLimits limits() {
        return limits;
    }

    Ticker ticker() {
        return ticker;
    }

    StreamCounters counters() {
        return counters;
    }

    Feeds feeds() {
        return feeds;
    }

    Scheduling scheduling() {
        return scheduling;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    Supplier<QueryService> queries() {
        return services.queries();
    }

    Supplier<AccessPolicy> policy() {
        return services.policy();
    }

    AlarmOpener alarms() {
        return services.alarms();
    }
}
