package nexus.sparkplug.internal;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.sparkplug.SparkplugStatus;

/**
 * The MQTT connection of one role (docs/federation.md, "Sessions"): one Paho client, one session at a
 * time. Each connect is a new session: the role names the will before the connect (the edge node its
 * NDEATH with the session's bdSeq, QoS 1, not retained; the host its STATE offline, retained); after
 * the CONNACK the link subscribes to the role's topics, and only then tells the role it is online. A
 * lost or refused connection is retried with a backoff that doubles from reconnect.min.ms to
 * reconnect.max.ms — never with Paho's automatic reconnect, which would reuse the old will and with it
 * the old bdSeq.
 *
 * <p>Threading: every call into the {@link LinkRole} happens on the Sparkplug
 * thread, the single-threaded executor given to the constructor, which also runs {@link #start} and
 * {@link #stop}. Paho's threads only record the connection's state and hand work over.
 */
final class MqttLink implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
    private static final long NDEATH_WAIT_MS = 2000;
    private static final int CONNECT_TIMEOUT_S = 10;
    /** QoS 1 messages Paho keeps in flight; QoS 0 NDATA do not count. */
    private static final int MAX_INFLIGHT = 1000;
    private static final int SUBSCRIPTION_REFUSED = 0x80;
    /** Messages received and not yet taken in by the Sparkplug thread beyond which more are dropped. */
    static final int MAX_WAITING = 10_000;

    private final Settings settings;
    private final LinkRole role;
    private final String clientId;
    private final Counters counters;
    private final ScheduledExecutorService sparkplug;
    private final MqttAsyncClient client;
    private final String willTopic;
    private final OnceLog logged = new OnceLog();

    /** The session being made or in force; callbacks of an older one are ignored. */
    private final AtomicInteger session = new AtomicInteger();
    /** Messages handed to the Sparkplug thread and not taken in yet. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** The last session whose end was handled, so that a loss is acted on once. */
    private final AtomicInteger ended = new AtomicInteger(-1);
    private volatile boolean connected;
    private volatile boolean stopped;
    private volatile Instant since;
    private volatile String problem;
    /** The broker of the last session made, or {@code null} before the first. */
    private volatile String url;
    /** Sparkplug thread only. */
    private long nextDelayMs;
    private ScheduledFuture<?> retry;

    /**
     * @param sparkplug the Sparkplug thread: single-threaded, owned by the caller
     */
    MqttLink(Settings settings, Topics topics, EdgeRole edge, Counters counters, ScheduledExecutorService sparkplug) {
        this(settings, settings.clientId(), new EdgeLinkRole(edge, settings.edge(), topics, counters), counters, sparkplug);
    }

    /**
     * @param clientId  the MQTT client id of this role's session
     * @param sparkplug the Sparkplug thread: single-threaded, owned by the caller
     */
    MqttLink(Settings settings, String clientId, LinkRole role, Counters counters, ScheduledExecutorService sparkplug) {
        this.settings = settings;
        this.clientId = clientId;
        this.role = role;
        this.counters = counters;
        this.sparkplug = sparkplug;
        this.willTopic = role.willTopic();
        this.nextDelayMs = settings.reconnectMinMs();
        try {
            this.client = new MqttAsyncClient(settings.brokerUrls().get(0), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("broker.urls / client.id cannot be used by the MQTT client: " + reason(e), e);
        }
        client.setCallback(new Callback());
    }

    /** Makes the first session; returns at once. */
    void start() {
        onSparkplug("connect", this::connect);
    }

    /**
     * Ends the session cleanly: the edge's NDEATH (QoS 1, waiting up to 2 s for the broker), a
     * DISCONNECT (so the broker drops the will), and the client closed. Call on the Sparkplug thread.
     */
    void stop() {
        stopped = true;
        if (retry != null) {
            retry.cancel(false);
        }
        byte[] death = null;
        try {
            death = role.stop();
        } catch (RuntimeException e) {
            LOG.error("Sparkplug: the {} failed to stop; disconnecting without its last words (the broker has the"
                    + " will)", role.describe(), e);
        }
        if (connected && death != null) {
            try {
                client.publish(willTopic, death, 1, role.willRetained()).waitForCompletion(NDEATH_WAIT_MS);
                counters.messagesOut.increment();
            } catch (MqttException e) {
                LOG.warn("Sparkplug: the {}'s last words were not confirmed by the broker within {} ms: {}", role.describe(), NDEATH_WAIT_MS, reason(e));
            }
        }
        connected = false;
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(NDEATH_WAIT_MS);
            }
        } catch (MqttException e) {
            LOG.warn("Sparkplug: no clean disconnect from {}: {}", brokerUrl(), reason(e));
        } finally {
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.debug("Sparkplug: closing the MQTT client: {}", reason(e));
            }
        }
        LOG.info("Sparkplug: disconnected from {}", brokerUrl());
    }

    @Override
    public boolean publish(String topic, byte[] payload, int qos, boolean retained) {
        if (!connected) {
            counters.dropped.increment();
            return false;
        }
        try {
            client.publish(topic, payload, qos, retained);
            counters.messagesOut.increment();
            return true;
        } catch (MqttException e) {
            counters.dropped.increment();
            String why = reason(e);
            if (logged.first("publish " + e.getReasonCode())) {
                LOG.warn("Sparkplug: a message to {} was dropped: {}", topic, why);
            }
            return false;
        }
    }

    /** Sparkplug thread: the edge ends this session itself (its NDEATH is out); a new one follows at once. */
    @Override
    public void reconnect() {
        if (stopped) {
            return;
        }
        ended.set(session.get());
        connected = false;
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(NDEATH_WAIT_MS);
            }
        } catch (MqttException e) {
            LOG.warn("Sparkplug: no clean disconnect from {} before the new session: {}", brokerUrl(), reason(e));
            try {
                client.disconnectForcibly(0, 1000, false);
            } catch (MqttException forced) {
                LOG.debug("Sparkplug: dropping the old session: {}", reason(forced));
            }
        }
        LOG.info("Sparkplug: a new session with {} (the edge node asked for it)", brokerUrl());
        connect();
    }

    /** @return the broker connection now; any thread */
    SparkplugStatus.Broker status() {
        return new SparkplugStatus.Broker(brokerUrl(), clientId, connected, since, problem);
    }

    boolean connected() {
        return connected;
    }

    private String brokerUrl() {
        String current = url;
        return current == null ? settings.brokerUrls().get(0) : current;
    }

    /** Sparkplug thread: a new session, its will from the edge node. */
    private void connect() {
        if (stopped) {
            return;
        }
        int current = session.incrementAndGet();
        try {
            byte[] will = role.newSession();
            client.connect(options(will), null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    connected(current);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    lost(current, failure);
                }
            });
        } catch (MqttException | RuntimeException e) {
            lost(current, e);
        }
    }

    private MqttConnectOptions options(byte[] will) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setServerURIs(settings.brokerUrls().toArray(String[]::new));
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(settings.keepaliveS());
        options.setConnectionTimeout(CONNECT_TIMEOUT_S);
        options.setMaxInflight(MAX_INFLIGHT);
        options.setWill(willTopic, will, 1, role.willRetained());
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().clone());
        }
        if (settings.socketFactory() != null) {
            options.setSocketFactory(settings.socketFactory());
        }
        return options;
    }

    /** Paho thread: the CONNACK; subscribe, then the edge is online. */
    private void connected(int current) {
        if (stopped || current != session.get()) {
            return;
        }
        url = client.getCurrentServerURI();
        connected = true;
        problem = null;
        since = Instant.now();
        LOG.info("Sparkplug: connected to {} as {}", brokerUrl(), clientId);
        String[] topics = role.subscriptions().toArray(String[]::new);
        int[] qos = new int[topics.length];
        java.util.Arrays.fill(qos, 1);
        try {
            client.subscribe(topics, qos, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    subscribed(current, topics, token.getGrantedQos());
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    onSparkplug("drop session", () -> dropSession(current, failure));
                }
            });
        } catch (MqttException e) {
            onSparkplug("drop session", () -> dropSession(current, e));
        }
    }

    private void subscribed(int current, String[] topics, int[] granted) {
        for (int i = 0; granted != null && i < granted.length && i < topics.length; i++) {
            if (granted[i] == SUBSCRIPTION_REFUSED && logged.first("subscription " + topics[i])) {
                LOG.warn("Sparkplug: the broker {} refused the {}'s subscription to {}: it will not see those messages;"
                        + " check the broker's ACL for {}", brokerUrl(), role.describe(), topics[i], clientId);
            }
        }
        onSparkplug("online", () -> {
            if (!stopped && current == session.get() && connected) {
                nextDelayMs = settings.reconnectMinMs();
                logged.reset();
                role.online();
            }
        });
    }

    /**
     * Sparkplug thread (Paho must not be disconnected from its own callback): the subscriptions
     * failed, so this session is of no use; end it and make a new one.
     */
    private void dropSession(int current, Throwable failure) {
        try {
            client.disconnectForcibly(0, 1000, false);
        } catch (MqttException e) {
            LOG.debug("Sparkplug: dropping the session: {}", reason(e));
        }
        lost(current, new IllegalStateException("the broker refused the subscriptions: " + reason(failure), failure));
    }

    /** Any thread: the session ended or was never made; the edge goes offline and a new session follows. */
    private void lost(int current, Throwable cause) {
        if (stopped || current != session.get() || ended.getAndSet(current) == current) {
            return;
        }
        boolean was = connected;
        connected = false;
        problem = reason(cause);
        since = Instant.now();
        if (logged.first("lost " + problem)) {
            LOG.warn("Sparkplug: {} {}: {}; retrying from {} ms up to {} ms apart", was ? "lost the connection to"
                    : "cannot connect to", brokerUrl(), problem, settings.reconnectMinMs(), settings.reconnectMaxMs());
        }
        onSparkplug("offline", () -> {
            if (stopped || current != session.get()) {
                return;
            }
            long delay = nextDelayMs;
            nextDelayMs = Math.min(nextDelayMs * 2, settings.reconnectMaxMs());
            retry = sparkplug.schedule(() -> guarded("connect", this::connect), delay, TimeUnit.MILLISECONDS);
            role.offline();
        });
    }

    private void onSparkplug(String what, Runnable task) {
        try {
            sparkplug.execute(() -> guarded(what, task));
        } catch (RejectedExecutionException e) {
            LOG.debug("Sparkplug: {} not done, the component stops", what);
        }
    }

    /** Runs one task of the Sparkplug thread: a failure is logged (once per cause) and the thread goes on. */
    void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            if (logged.first(what + " " + e.getClass().getName() + " " + e.getMessage())) {
                LOG.error("Sparkplug: {} failed: {}", what, e.getMessage(), e);
            }
        }
    }

    /** @return the broker's or the network's reason, in a phrase: {@code not authorized to connect (Paho reason 5)} */
    static String reason(Throwable failure) {
        if (failure instanceof MqttException e) {
            Throwable wrapped = e.getCause();
            if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_EXCEPTION && wrapped != null) {
                // Paho's own text for reason 0 is just "MqttException": the cause says what happened (TLS, DNS, ...)
                return (wrapped.getMessage() != null ? wrapped.getMessage() : "failed") + " ("
                        + wrapped.getClass().getSimpleName() + ", Paho reason 0)";
            }
            String message = e.getMessage() == null ? "MQTT failure" : e.getMessage();
            StringBuilder text = new StringBuilder(message.substring(0, 1).toLowerCase(Locale.ROOT))
                    .append(message.substring(1)).append(" (Paho reason ").append(e.getReasonCode()).append(')');
            Throwable cause = e.getCause();
            if (cause != null && cause != e) {
                text.append(": ").append(cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
            }
            return text.toString();
        }
        return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
    }

    /** Paho's callbacks: they record and hand over, never call the role themselves. */
    private final class Callback implements MqttCallback {

        @Override
        public void connectionLost(Throwable cause) {
            lost(session.get(), cause);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            counters.messagesIn.increment();
            byte[] payload = message.getPayload();
            if (waiting.incrementAndGet() > MAX_WAITING) {
                // a peer floods faster than the Sparkplug thread takes in: drop rather than fill the heap
                // (a host sees the gap in the node's seq and asks for a rebirth; an NCMD goes unanswered)
                waiting.decrementAndGet();
                counters.malformed.increment();
                if (logged.first("flooded")) {
                    LOG.warn("Sparkplug: {} messages wait for the {}: a message on {} was dropped (counted as malformed;"
                            + " logged once until the session is new)", MAX_WAITING, role.describe(), topic);
                }
                return;
            }
            onSparkplug("message on " + topic, () -> {
                waiting.decrementAndGet();
                role.message(topic, payload);
            });
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // QoS 1 acknowledgements need no action: NDATA are not re-sent by the edge node
        }
    }
}
