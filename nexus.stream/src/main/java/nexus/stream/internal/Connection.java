package nexus.stream.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.AccessPolicy;
import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.QueryService;
import nexus.stream.StreamClient;
import nexus.stream.StreamClose;
import nexus.stream.StreamInfo;
import nexus.stream.StreamSession;

/**
 * One client connection (docs/streams.md): its subscriptions, its requests and its outbound buffer.
 *
 * <p>Three kinds of threads meet here, and none waits for another connection. The transport's thread
 * counts the message against the inbound rate and its size, parses it, and answers at once what needs
 * no query: a malformed message, a ping, an unsubscribe of a subscription that exists. Subscribes
 * (which may run a query) wait in the connection's lane, at most {@code inbound.burst} of them (more
 * are answered OVERLOADED), and are handled in order on the engine's request threads, one at a time
 * and one per turn: the connections with requests waiting take turns. Messages are made and sent on the
 * {@link Dispatcher} when something {@linkplain #wake wakes} the connection: replies first, then the
 * subscriptions' next messages in turn, while the bytes handed to {@link StreamClient#send} and not yet
 * done (counted in characters, as the memory they hold) are below {@code buffer.bytes}; at or above it nothing more is made and
 * the subscriptions coalesce. The engine's housekeeping checks the identity about every second (4001),
 * a buffer full for {@code stall.seconds} or a subscription too far behind (4008), and sends a
 * heartbeat after {@code heartbeat.seconds} without a message.
 */
final class Connection implements StreamSession {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final long NOT_FULL = Long.MIN_VALUE;
    private static final long IDENTITY_CHECK = TimeUnit.SECONDS.toNanos(1);
    /** Turn states: nothing to do; queued on the dispatcher; sending; sending, and woken meanwhile (queue again). */
    private static final int IDLE = 0;
    private static final int QUEUED = 1;
    private static final int RUNNING = 2;
    private static final int AGAIN = 3;

    private final long id;
    private final StreamClient client;
    private final StreamEngine engine;
    private final StreamLimits limits;
    private final Requests requests;
    private final Instant opened;
    private final InboundLimit inbound;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    /** Answers that are not a subscription's (error, pong, unsubscribed), sent ahead of data. */
    private final ConcurrentLinkedQueue<String> replies = new ConcurrentLinkedQueue<>();
    /** Requests waiting for their turn on the request threads, in order: at most {@code inbound.burst}. */
    private final ConcurrentLinkedQueue<Runnable> lane = new ConcurrentLinkedQueue<>();
    /** How many requests the lane holds. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicBoolean handling = new AtomicBoolean();
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Characters of messages handed to the transport and not yet done. */
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    /** Since when the buffer is full (set by the dispatcher), or NOT_FULL. */
    private volatile long fullSince = NOT_FULL;
    private volatile long lastSent;
    private volatile boolean heartbeatDue;
    /** Housekeeping's own. */
    private long lastIdentityCheck;
    /** Subscriptions made, for their ids; the lane's own. */
    private int made;
    /** Whose turn among the subscriptions is next; the dispatcher's own. */
    private int turn;

    Connection(long id, StreamClient client, StreamEngine engine, long nowNanos) {
        this.id = id;
        this.client = client;
        this.engine = engine;
        this.limits = engine.limits();
        this.requests = new Requests(limits);
        this.opened = engine.ticker().now();
        this.inbound = new InboundLimit(limits.inboundRate(), limits.inboundBurst(), nowNanos);
        this.lastSent = nowNanos;
        this.lastIdentityCheck = nowNanos;
    }

    long id() {
        return id;
    }

    // ---- from the transport ----

    @Override
    public void receive(String message) {
        if (closed.get()) {
            return;
        }
        if (!inbound.take(engine.ticker().nanos())) {
            engine.counters().closed(StreamCounters.Closed.TOO_MANY_MESSAGES);
            close(StreamClose.TOO_MANY_MESSAGES, "too many messages: more than " + limits.inboundRate()
                    + " a second (burst " + limits.inboundBurst() + ")");
            return;
        }
        if (StreamLimits.tooBig(message)) {
            close(StreamClose.TOO_BIG, "a message larger than " + StreamLimits.MESSAGE_MAX / 1024 + " KiB");
            return;
        }
        Requests.Request request;
        try {
            request = requests.parse(message);
        } catch (Requests.Refused e) {
            reply(Replies.error(e.id, e.code, e.getMessage()));
            return;
        }
        if (request instanceof Requests.Ping) {
            reply(Replies.pong(request.id()));
        } else if (request instanceof Requests.Unsubscribe unsubscribe && has(unsubscribe.subscription())) {
            answer(request, () -> unsubscribe(unsubscribe));
        } else {
            queue(request);
        }
    }

    @Override
    public void closed() {
        end();
    }

    // ---- requests, in order, on the engine's request threads ----

    /**
     * Queues a request on the connection's lane, unless {@code inbound.burst} requests wait there
     * already (the request threads are busy, with other connections' queries say): then it is
     * answered OVERLOADED at once and the connection goes on.
     */
    private void queue(Requests.Request request) {
        if (waiting.incrementAndGet() > limits.inboundBurst()) {
            waiting.decrementAndGet();
            reply(Replies.error(request.id(), ErrorCode.OVERLOADED, "this connection has " + limits.inboundBurst()
                    + " requests waiting for the node (inbound.burst): wait for their answers before sending more"));
            return;
        }
        lane.add(() -> {
            waiting.decrementAndGet();
            answer(request, () -> handle(request));
        });
        if (handling.compareAndSet(false, true)) {
            engine.scheduling().requests().execute(this::handleLane);
        }
    }

    /**
     * The connection's turn on the request threads: one request, then it queues again behind the other
     * connections, so that one with many slow requests (queries to their time limit) delays only itself.
     */
    private void handleLane() {
        try {
            Runnable work = closed.get() ? null : lane.poll();
            if (work != null) {
                work.run();
            }
        } catch (RuntimeException e) {
            LOG.error("Stream {}: handling a request failed; the connection goes on", id, e);
        } finally {
            handling.set(false);
            if (!lane.isEmpty() && !closed.get() && handling.compareAndSet(false, true)) {
                engine.scheduling().requests().execute(this::handleLane);
            }
        }
    }

    /** A request from the lane: a subscribe, or an unsubscribe of a subscription that was not made yet. */
    private void handle(Requests.Request request) {
        if (request instanceof Requests.Unsubscribe unsubscribe) {
            unsubscribe(unsubscribe);
        } else if (request instanceof Requests.SubscribeTags tags) {
            subscribed(tagSubscription(nextId(), tags.tags()));
        } else if (request instanceof Requests.SubscribeAlarms alarms) {
            subscribed(engine.alarms().open(alarms.id(), nextId(), alarms.alarms(), alarms.resume(), client.caller(),
                    () -> AccessPolicy.accessOf(engine.policy().get(), client.caller()), this::wake));
        } else {
            throw new IllegalStateException("a " + request.getClass().getSimpleName() + " is answered on receipt");
        }
    }

    /** Handles a request, answering its failure with an {@code error} that carries its id. */
    private void answer(Requests.Request request, Runnable handling) {
        try {
            handling.run();
        } catch (NexusException e) {
            reply(Replies.error(request.id(), e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("Stream {}: a {} request failed", id, request.getClass().getSimpleName(), e);
            reply(Replies.error(request.id(), ErrorCode.INTERNAL, "the request failed on the node; its log says why"));
        }
    }

    /** @return whether the connection has a subscription with this id now */
    private boolean has(String subscriptionId) {
        return subscriptions.stream().anyMatch(subscription -> subscription.id().equals(subscriptionId));
    }

    /** @return the id of the subscription about to be made, after checking the connection may make one */
    private String nextId() {
        if (subscriptions.size() >= limits.subscriptionsMax()) {
            throw new NexusException(ErrorCode.INVALID_ARGUMENT, "this connection has " + subscriptions.size()
                    + " subscriptions, the most it may have (subscriptions.max): unsubscribe from one first");
        }
        return "s" + (made + 1);
    }

    private void subscribed(Subscription subscription) {
        made++;
        subscriptions.add(subscription);
        if (closed.get()) {
            subscriptions.remove(subscription);
            subscription.close();
            return;
        }
        wake();
    }

    private TagSubscription tagSubscription(String subscriptionId, TagRequest request) {
        List<String> paths = request.sql() == null ? request.paths() : select(request);
        SampleRate.checkConnection(subscriptions, paths.size(), request.samplingMs(), limits.samplesConnectionMax());
        return TagSubscription.open(subscriptionId, request, paths, client.caller(), engine.feeds(), this::wake,
                request.sql() == null ? null : this::requery, engine.counters(), Feeds.NodeBudget.of(engine.limits()));
    }

    /** @return the tags a SQL subscription's query answers now */
    private List<String> select(TagRequest request) {
        QueryService queries = engine.queries().get();
        if (queries == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "no query service runs: subscriptions to a query"
                    + " are not served now; try again when the node has started, or subscribe to 'paths'");
        }
        return request.select(queries, client.caller(), limits.itemsMax());
    }

    /**
     * A SQL subscription's feed saw a new registry version: its query runs again on the engine's
     * requery thread (not the request threads: a registry change re-runs many queries at once, and
     * clients' requests must not wait behind them). The rebind copes with a subscription that ends
     * meanwhile.
     */
    private void requery(TagSubscription subscription) {
        engine.scheduling().requeries().execute(() -> {
            if (closed.get()) {
                return;
            }
            List<String> paths;
            try {
                paths = select(subscription.request());
            } catch (NexusException e) {
                reply(Replies.error(null, e.code(), "subscription " + subscription.id() + " keeps its tags: its query"
                        + " failed in the new registry version: " + e.getMessage()));
                paths = subscription.paths();
            }
            try {
                subscription.rebind(paths);
            } catch (RuntimeException e) {
                subscriptions.remove(subscription);
                subscription.close();
                ErrorCode code = e instanceof NexusException n ? n.code() : ErrorCode.INTERNAL;
                reply(Replies.error(null, code, "subscription " + subscription.id() + " ended: its tags could not be"
                        + " followed in the new registry version: " + e.getMessage()));
            }
        });
    }

    private void unsubscribe(Requests.Unsubscribe request) {
        for (Subscription subscription : subscriptions) {
            if (subscription.id().equals(request.subscription())) {
                subscriptions.remove(subscription);
                subscription.close();
                reply(Replies.unsubscribed(request.id(), subscription.id()));
                return;
            }
        }
        throw new NexusException(ErrorCode.NOT_FOUND, "this connection has no subscription '" + request.subscription()
                + "'" + (subscriptions.isEmpty() ? "" : "; it has " + String.join(", ",
                        subscriptions.stream().map(Subscription::id).toList())));
    }

    private void reply(String message) {
        replies.add(message);
        wake();
    }

    // ---- sending, on the dispatcher ----

    /** Something is ready to send: queues the connection's turn on the dispatcher (once). Never blocks. */
    void wake() {
        while (true) {
            int now = state.get();
            if (now == IDLE && state.compareAndSet(IDLE, QUEUED)) {
                engine.dispatcher().submit(this);
                return;
            }
            if (now == RUNNING && state.compareAndSet(RUNNING, AGAIN)) {
                return;
            }
            if (now == QUEUED || now == AGAIN) {
                return;
            }
        }
    }

    /** The connection's turn on the dispatcher: sends what is ready while the buffer has room. */
    void turn() {
        state.set(RUNNING);
        try {
            pump(engine.ticker().nanos());
        } finally {
            if (!state.compareAndSet(RUNNING, IDLE)) {
                state.set(QUEUED);
                engine.dispatcher().submit(this);
            }
        }
    }

    private void pump(long now) {
        while (!closed.get() && pending.get() < limits.bufferBytes()) {
            String reply = replies.poll();
            if (reply != null) {
                send(reply, null, now);
            } else if (heartbeatDue) {
                heartbeatDue = false;
                send(Replies.heartbeat(engine.ticker().now(), new ArrayList<>(subscriptions)), null, now);
            } else {
                Subscription.Outgoing next = next(now);
                if (next == null) {
                    break;
                }
                send(next.json(), next.resumeId(), now);
            }
        }
        long since = fullSince;
        fullSince = pending.get() < limits.bufferBytes() ? NOT_FULL : since == NOT_FULL ? now : since;
    }

    /** @return the next message of the subscriptions, each in turn */
    private Subscription.Outgoing next(long now) {
        Subscription[] all = subscriptions.toArray(new Subscription[0]);
        for (int k = 0; k < all.length; k++) {
            int at = (turn + k) % all.length;
            Subscription.Outgoing next = all[at].next(now);
            if (next != null) {
                turn = at + 1;
                return next;
            }
        }
        return null;
    }

    private void send(String message, String resumeId, long now) {
        // Characters, not UTF-8 bytes: O(1) where counting bytes meant a pass over every message (most of
        // the dispatcher's time with 100 KB messages), and closer to the memory a queued String holds.
        long bytes = message.length();
        pending.addAndGet(bytes);
        messages.incrementAndGet();
        engine.counters().messages.increment();
        lastSent = now;
        try {
            client.send(message, resumeId, failure -> done(bytes, failure));
        } catch (RuntimeException e) {
            LOG.debug("Stream {}: the transport refused a message ({}); the connection ends", id, e.toString());
            close(StreamClose.INTERNAL_ERROR, "the node could not send a message: reconnect");
        }
    }

    private void done(long bytes, Throwable failure) {
        long after = pending.addAndGet(-bytes);
        if (failure != null) {
            LOG.debug("Stream {}: a message could not be sent ({}); the connection ends", id, failure.toString());
            end();
        } else if (after < limits.bufferBytes() && after + bytes >= limits.bufferBytes()) {
            wake();
        }
    }

    // ---- housekeeping, about every few hundred ms ----

    /** Checks identity, stalls and idleness. */
    void housekeep(long now) {
        if (closed.get()) {
            return;
        }
        if (now - lastIdentityCheck >= IDENTITY_CHECK) {
            lastIdentityCheck = now;
            if (!client.current()) {
                engine.counters().closed(StreamCounters.Closed.IDENTITY_ENDED);
                close(StreamClose.IDENTITY_ENDED, "the identity ended (token revoked, roles changed or JWT expired):"
                        + " authenticate again");
                return;
            }
        }
        long since = fullSince;
        if (since != NOT_FULL && now - since >= TimeUnit.SECONDS.toNanos(limits.stallSeconds())) {
            slow("slow consumer: the client did not read its messages for " + limits.stallSeconds() + " s");
            return;
        }
        for (Subscription subscription : subscriptions) {
            String behind = subscription.behind();
            if (behind != null) {
                slow("slow consumer: " + behind);
                return;
            }
        }
        if (now - lastSent >= TimeUnit.SECONDS.toNanos(limits.heartbeatSeconds())) {
            heartbeatDue = true;
            wake();
        }
    }

    private void slow(String reason) {
        engine.counters().closed(StreamCounters.Closed.SLOW_CONSUMER);
        close(StreamClose.SLOW_CONSUMER, reason);
    }

    // ---- ending ----

    /** Ends the connection and has the transport close it with this code and reason. */
    void close(int code, String reason) {
        if (end()) {
            try {
                client.close(code, reason);
            } catch (RuntimeException e) {
                LOG.debug("Stream {}: the transport failed to close ({})", id, e.toString());
            }
        }
    }

    /** @return whether this call ended it: every subscription ends, the engine forgets it */
    private boolean end() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        for (Subscription subscription : subscriptions) {
            try {
                subscription.close();
            } catch (RuntimeException e) {
                LOG.warn("Stream {}: subscription {} did not close cleanly", id, subscription.id(), e);
            }
        }
        subscriptions.clear();
        replies.clear();
        lane.clear();
        engine.ended(this);
        return true;
    }

    /** @return the bytes handed to the transport and not yet written */
    long pending() {
        return pending.get();
    }

    /** @return what the console lists */
    StreamInfo info() {
        List<StreamInfo.SubscriptionInfo> infos = new ArrayList<>();
        long overflows = 0;
        for (Subscription subscription : subscriptions) {
            StreamInfo.SubscriptionInfo info = subscription.info();
            infos.add(info);
            overflows += info.overflows();
        }
        return new StreamInfo(Long.toString(id), client.caller().user(), client.transport(), client.remote(), opened,
                pending.get(), messages.get(), overflows, infos);
    }

    /** @return the subscriptions now (for metrics) */
    List<Subscription> subscriptions() {
        return subscriptions;
    }

    /** @return the transport's name */
    String transport() {
        return client.transport();
    }

    /** @return the client (its caller's user counts against {@code connections.identity.max}) */
    StreamClient client() {
        return client;
    }
}
