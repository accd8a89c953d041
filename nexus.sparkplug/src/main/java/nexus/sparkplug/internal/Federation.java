package nexus.sparkplug.internal;

import java.nio.file.Path;
import java.util.List;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.alarm.AlarmEvent;
import nexus.alarm.AlarmService;
import nexus.core.AuditTrail;
import nexus.core.ErrorCode;
import nexus.core.Health;
import nexus.core.HealthStatus;
import nexus.core.MetricFamily;
import nexus.core.NexusException;
import nexus.query.TagService;
import nexus.registry.TagRegistry;
import nexus.sparkplug.SparkplugStatus;

/**
 * One running configuration of the federation: the Sparkplug thread ({@code nexus-sparkplug}, the one
 * thread every call into the edge node and the host application runs on, which also ticks the edge
 * every publish interval), and per role its MQTT session ({@link MqttLink}): the edge node's, whose
 * will is its NDEATH, and the host application's, whose will is its STATE offline. Plain Java: the
 * component creates one per configuration and stops it (last words, clean disconnects) before the next.
 */
final class Federation {

    private static final Logger LOG = LoggerFactory.getLogger(Federation.class);
    private static final long STOP_WAIT_MS = 5000;
    private static final long REBIRTH_WAIT_MS = 10_000;

    private final Settings settings;
    private final Counters counters;
    private final ScheduledThreadPoolExecutor sparkplug;
    /** Registry builds of the host's mirrors: they block while SQLite is written, never on the Sparkplug thread. */
    private final ExecutorService builds;
    private final EdgeRole edge;
    private final MqttLink link;
    private final HostApplication host;
    private final MqttLink hostLink;

    /**
     * An edge node only (tests).
     *
     * @param edgeOf makes the edge node, given the transport it publishes through
     */
    Federation(Settings settings, Counters counters, Function<Transport, EdgeRole> edgeOf) {
        this(settings, counters, edgeOf, null);
    }

    /**
     * @param edgeOf makes the edge node, given the transport it publishes through; used when the
     *               settings have an edge role
     * @param hostOf makes the host application, given its transport, the registry build executor and the
     *               Sparkplug thread; used when the settings have a host role
     */
    Federation(Settings settings, Counters counters, Function<Transport, EdgeRole> edgeOf, HostFactory hostOf) {
        this.settings = settings;
        this.counters = counters;
        this.sparkplug = new ScheduledThreadPoolExecutor(1, task -> daemon(() -> {
            RemoteWrites.markSparkplugThread();
            task.run();
        }, "nexus-sparkplug"));
        sparkplug.setRemoveOnCancelPolicy(true);
        Topics topics = new Topics(settings.topicPrefix());
        if (settings.edge() != null) {
            Transport transport = this::publish;
            this.edge = edgeOf.apply(transport);
            this.link = new MqttLink(settings, topics, edge, counters, sparkplug);
        } else {
            this.edge = null;
            this.link = null;
        }
        if (settings.host() != null) {
            this.builds = Executors.newSingleThreadExecutor(task -> daemon(task, "nexus-sparkplug-registry"));
            Transport transport = this::publishAsHost;
            this.host = hostOf.make(transport, builds, sparkplug);
            this.hostLink = new MqttLink(settings, settings.hostClientId(),
                    new HostLinkRole(host, settings.host(), topics, transport), counters, sparkplug);
        } else {
            this.builds = null;
            this.host = null;
            this.hostLink = null;
        }
    }

    /** Makes the host application of a federation. */
    @FunctionalInterface
    interface HostFactory {
        /**
         * @param transport the host session's link
         * @param builds    the registry build executor
         * @param sparkplug the Sparkplug thread
         */
        HostApplication make(Transport transport, Executor builds, Executor sparkplug);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * @return a federation with the real edge node, command handler and host application, as the
     *         settings' roles ask
     * @param home the node's home folder (the edge node keeps its bdSeq under it), or {@code null}
     */
    static Federation of(Settings settings, Supplier<TagService> tags, Supplier<AlarmService> alarms,
            Supplier<AuditTrail> audit, Supplier<TagRegistry> registry, Path home) {
        Counters counters = new Counters();
        Topics topics = new Topics(settings.topicPrefix());
        Function<Transport, EdgeRole> edgeOf = transport -> new EdgeNode(settings.edge(), topics, transport, tags, alarms,
                new Commands(settings.edge(), tags, audit, counters, System::currentTimeMillis), counters, home);
        HostFactory hostOf = (transport, builds, thread) -> {
            HostApplication host = new HostApplication(settings.host(), transport, topics, counters, registry, builds,
                    thread, Clock.systemUTC());
            if (settings.edge() != null) {
                host.notMirrored(settings.edge().groupId(), settings.edge().edgeNodeId());
            }
            return host;
        };
        return new Federation(settings, counters, edgeOf, hostOf);
    }

    private boolean publish(String topic, byte[] payload, int qos, boolean retained) {
        return link.publish(topic, payload, qos, retained);
    }

    private boolean publishAsHost(String topic, byte[] payload, int qos, boolean retained) {
        return hostLink.publish(topic, payload, qos, retained);
    }

    /** Connects (in the background) and starts the publish ticks; returns at once. */
    void start() {
        if (hostLink != null) {
            hostLink.start();
            LOG.info("Sparkplug: host {} mirroring groups {} connecting to {} as {}", settings.host().hostId(),
                    settings.host().groups(), String.join(", ", settings.brokerUrls()), settings.hostClientId());
        }
        if (link != null) {
            link.start();
            long interval = settings.edge().publishIntervalMs();
            sparkplug.scheduleWithFixedDelay(() -> link.guarded("tick", edge::tick), interval, interval,
                    TimeUnit.MILLISECONDS);
            LOG.info("Sparkplug: edge {}/{} connecting to {} as {}", settings.edge().groupId(),
                    settings.edge().edgeNodeId(), String.join(", ", settings.brokerUrls()), settings.clientId());
        }
    }

    /** A tag registry service came or was replaced: the host offers its mirrors to it. Any thread. */
    void registryChanged() {
        if (host != null) {
            try {
                sparkplug.execute(() -> hostLink.guarded("registry changed", host::registryChanged));
            } catch (RejectedExecutionException e) {
                LOG.debug("Sparkplug: stopping; the registry change is not acted on");
            }
        }
    }

    /** Publishes the last words of each role, disconnects cleanly and ends the threads; waits a bounded time. */
    void stop() {
        try {
            sparkplug.submit(() -> {
                if (link != null) {
                    link.guarded("stop", link::stop);
                }
                if (hostLink != null) {
                    hostLink.guarded("stop", hostLink::stop);
                }
            }).get(STOP_WAIT_MS * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Sparkplug: the federation did not stop cleanly within {} ms: {}", STOP_WAIT_MS * 2, e.toString());
        } catch (RejectedExecutionException e) {
            LOG.debug("Sparkplug: already stopped");
        }
        sparkplug.shutdownNow();
        if (builds != null) {
            builds.shutdown();
        }
        try {
            sparkplug.awaitTermination(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
            if (builds != null && !builds.awaitTermination(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
                builds.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the broker connection of the edge's session, or the host's when the node is no edge node */
    private SparkplugStatus.Broker broker() {
        return link != null ? link.status() : hostLink.status();
    }

    SparkplugStatus status() {
        return new SparkplugStatus(broker(), edge == null ? null : edge.status(), counters.snapshot(),
                host == null ? null : host.status());
    }

    /** @see nexus.sparkplug.SparkplugService#rebirth() */
    String rebirth() {
        if (edge == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "this node is no Sparkplug edge node (roles = host in"
                    + " etc/nexus.sparkplug.cfg): it has no birth to publish");
        }
        SparkplugStatus.Broker broker = link.status();
        if (!broker.connected()) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "not connected to the broker " + broker.url()
                    + (broker.problem() == null ? "" : " (" + broker.problem() + ")")
                    + ": the edge node publishes its birth when it connects");
        }
        Future<String> done = sparkplug.submit(edge::rebirth);
        try {
            return done.get(REBIRTH_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "interrupted while the rebirth was being published");
        } catch (TimeoutException e) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the Sparkplug thread did not publish the rebirth"
                    + " within " + REBIRTH_WAIT_MS + " ms: it is busy; try again");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NexusException refused) {
                throw refused;
            }
            throw new NexusException(ErrorCode.INTERNAL, "the rebirth failed: " + e.getCause(), e.getCause());
        }
    }

    void alarmEvent(AlarmEvent event) {
        if (edge != null) {
            edge.alarmEvent(event);
        }
    }

    /**
     * @return the worst of the roles: DOWN when a session is not connected (and why), DEGRADED when the
     *         edge is not born (and why) or a mirrored node is stale, else UP
     */
    Health health() {
        Health edgeHealth = edge == null ? null : edgeHealth();
        Health hostHealth = host == null ? null : hostHealth();
        if (edgeHealth == null) {
            return hostHealth;
        }
        if (hostHealth == null) {
            return edgeHealth;
        }
        HealthStatus worst = edgeHealth.status().compareTo(hostHealth.status()) >= 0 ? edgeHealth.status()
                : hostHealth.status();
        String detail = edgeHealth.detail() + "; " + hostHealth.detail();
        return worst == HealthStatus.UP ? Health.up(detail) : worst == HealthStatus.DEGRADED ? Health.degraded(detail)
                : Health.down(detail);
    }

    private Health edgeHealth() {
        SparkplugStatus.Broker broker = link.status();
        String node = "edge " + settings.edge().groupId() + "/" + settings.edge().edgeNodeId();
        if (!broker.connected()) {
            return Health.down(broker.problem() == null ? node + " connecting to broker " + broker.url()
                    : node + ": broker " + broker.url() + " not connected: " + broker.problem() + " (retrying)");
        }
        SparkplugStatus.Edge state = edge.status();
        if (state.born()) {
            return Health.up(node + " born, bdSeq " + state.bdSeq() + ", " + state.metrics() + " metrics, broker "
                    + broker.url());
        }
        if (state.primaryHost() != null && !state.primaryHostOnline()) {
            return Health.degraded(node + " not born: waiting for the primary host " + state.primaryHost()
                    + " to say online in its STATE; broker " + broker.url());
        }
        String why = edge.birthProblem();
        return Health.degraded(node + " not born" + (why == null ? " yet" : ": " + why) + "; broker " + broker.url());
    }

    private Health hostHealth() {
        SparkplugStatus.Broker broker = hostLink.status();
        String name = "host " + settings.host().hostId();
        if (!broker.connected()) {
            return Health.down(broker.problem() == null ? name + " connecting to broker " + broker.url()
                    : name + ": broker " + broker.url() + " not connected: " + broker.problem()
                            + " (retrying; every mirrored node is STALE meanwhile)");
        }
        List<SparkplugStatus.RemoteNodeStatus> nodes = host.status().nodes();
        long stale = nodes.stream().filter(SparkplugStatus.RemoteNodeStatus::stale).count();
        String detail = name + " mirroring " + nodes.size() + " edge node" + (nodes.size() == 1 ? "" : "s")
                + " of " + settings.host().groups() + (stale == 0 ? "" : ", " + stale + " STALE ("
                        + nodes.stream().filter(SparkplugStatus.RemoteNodeStatus::stale)
                                .map(n -> n.groupId() + "/" + n.edgeNodeId()).limit(5)
                                .collect(java.util.stream.Collectors.joining(", ")) + ")")
                + "; broker " + broker.url();
        return stale == 0 ? Health.up(detail) : Health.degraded(detail);
    }

    List<MetricFamily> metrics() {
        SparkplugStatus.Edge state = edge == null ? null : edge.status();
        boolean connected = (link == null || link.connected()) && (hostLink == null || hostLink.connected());
        return SparkplugMetrics.of(counters.snapshot(), connected, state == null ? 0 : state.bdSeq(),
                host == null ? null : host.status(), counters.mirrorLagMillis.get(),
                counters.mirrorLag);
    }
}
