package nexus.sparkplug.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
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
import nexus.core.MetricFamily;
import nexus.core.NexusException;
import nexus.query.TagService;
import nexus.sparkplug.SparkplugStatus;

/**
 * One running configuration of the federation: the Sparkplug thread ({@code nexus-sparkplug}, the one
 * thread every call into the edge node runs on, which also ticks the edge every publish interval),
 * the edge node and its MQTT link. Plain Java: the component creates one per configuration and stops
 * it (NDEATH, clean disconnect) before the next.
 */
final class Federation {

    private static final Logger LOG = LoggerFactory.getLogger(Federation.class);
    private static final long STOP_WAIT_MS = 5000;
    private static final long REBIRTH_WAIT_MS = 10_000;

    private final Settings settings;
    private final Counters counters;
    private final ScheduledThreadPoolExecutor sparkplug;
    private final EdgeRole edge;
    private final MqttLink link;

    /**
     * @param edgeOf makes the edge node, given the transport it publishes through
     */
    Federation(Settings settings, Counters counters, Function<Transport, EdgeRole> edgeOf) {
        this.settings = settings;
        this.counters = counters;
        this.sparkplug = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "nexus-sparkplug");
            thread.setDaemon(true);
            return thread;
        });
        sparkplug.setRemoveOnCancelPolicy(true);
        Transport transport = this::publish;
        this.edge = edgeOf.apply(transport);
        this.link = new MqttLink(settings, new Topics(settings.topicPrefix()), edge, counters, sparkplug);
    }

    /**
     * @return a federation with the real edge node and command handler
     * @param home the node's home folder (the edge node keeps its bdSeq under it), or {@code null}
     */
    static Federation of(Settings settings, Supplier<TagService> tags, Supplier<AlarmService> alarms,
            Supplier<AuditTrail> audit, Path home) {
        Counters counters = new Counters();
        Topics topics = new Topics(settings.topicPrefix());
        Commands commands = new Commands(settings.edge(), tags, audit, counters, System::currentTimeMillis);
        return new Federation(settings, counters,
                transport -> new EdgeNode(settings.edge(), topics, transport, tags, alarms, commands, counters,
                        home));
    }

    private boolean publish(String topic, byte[] payload, int qos, boolean retained) {
        return link.publish(topic, payload, qos, retained);
    }

    /** Connects (in the background) and starts the publish ticks; returns at once. */
    void start() {
        link.start();
        long interval = settings.edge().publishIntervalMs();
        sparkplug.scheduleWithFixedDelay(() -> link.guarded("tick", edge::tick), interval, interval, TimeUnit.MILLISECONDS);
        LOG.info("Sparkplug: edge {}/{} connecting to {} as {}", settings.edge().groupId(), settings.edge().edgeNodeId(),
                String.join(", ", settings.brokerUrls()), settings.clientId());
    }

    /** Publishes the NDEATH, disconnects cleanly and ends the Sparkplug thread; waits a bounded time. */
    void stop() {
        try {
            sparkplug.submit(() -> link.guarded("stop", link::stop)).get(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Sparkplug: the edge node did not stop cleanly within {} ms: {}", STOP_WAIT_MS, e.toString());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Sparkplug: already stopped");
        }
        sparkplug.shutdownNow();
        try {
            sparkplug.awaitTermination(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    SparkplugStatus status() {
        return new SparkplugStatus(link.status(), edge.status(), counters.snapshot());
    }

    /** @see nexus.sparkplug.SparkplugService#rebirth() */
    String rebirth() {
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
        edge.alarmEvent(event);
    }

    /** @return UP when born, DEGRADED when connected and not born (and why), DOWN when not connected (and why) */
    Health health() {
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

    List<MetricFamily> metrics() {
        SparkplugStatus.Edge state = edge.status();
        return SparkplugMetrics.of(counters.snapshot(), link.connected(), state == null ? 0 : state.bdSeq());
    }
}
