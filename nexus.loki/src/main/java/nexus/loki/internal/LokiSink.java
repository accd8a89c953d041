package nexus.loki.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.alarm.AlarmEvent;
import nexus.alarm.EventSink;
import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.MetricFamily;
import nexus.core.MetricsSource;
import nexus.core.NexusException;

/**
 * The Loki sink (PID {@code nexus.loki}): an {@link EventSink} that ships every alarm event to
 * Grafana Loki through a {@link Shipper}, a {@code loki} health entry (optional: the node stays UP
 * when Loki is away), its metrics, and the console command {@code nexus:loki}. Without a url it
 * stays idle. A configuration that is refused leaves the last good one running.
 */
@Component(configurationPid = "nexus.loki", immediate = true,
        service = { EventSink.class, HealthIndicator.class, MetricsSource.class },
        property = { EventSink.NAME_PROPERTY + "=loki", "osgi.command.scope=nexus", "osgi.command.function=loki" })
@Designate(ocd = LokiConfig.class)
public final class LokiSink implements EventSink, HealthIndicator, MetricsSource {

    private static final Logger LOG = LoggerFactory.getLogger(LokiSink.class);

    private final String home;
    private final String host;
    private static final int PENDING_MAX = 100_000;

    private final LokiStats stats = new LokiStats();
    /** Every stream's last timestamp, kept across reconfigurations so that timestamps stay distinct. */
    private final Map<String, Long> lastNanos = new java.util.concurrent.ConcurrentHashMap<>();
    /** Events that arrive while the shipper is being replaced; null when no replacement is under way. */
    private final Object swap = new Object();
    private List<AlarmEvent> pending;
    private volatile LokiSettings settings;
    private volatile Shipper shipper;
    private volatile String configProblem;
    private volatile String spoolProblem;

    @Activate
    public LokiSink(BundleContext context, LokiConfig config) {
        this(context.getProperty("nexus.home"), config);
    }

    /** For tests: a sink whose relative spool folder is resolved against {@code home}. */
    LokiSink(String home, LokiConfig config) {
        this.home = home;
        this.host = HostName.local();
        apply(config);
    }

    @Modified
    void modified(LokiConfig config) {
        apply(config);
    }

    @Deactivate
    void deactivate() {
        stopShipper();
    }

    private synchronized void apply(LokiConfig config) {
        LokiSettings next;
        try {
            next = LokiSettings.from(config, home, host);
        } catch (NexusException e) {
            configProblem = e.getMessage();
            LOG.error("Loki sink configuration refused: {}. {}", e.getMessage(), settings == null
                    ? "The sink stays idle; fix etc/nexus.loki.cfg." : "The previous configuration stays in force.");
            return;
        }
        configProblem = null;
        if (next.equals(settings)) {
            return;
        }
        // Events published while one shipper stops and the next starts wait here, then go to the next.
        synchronized (swap) {
            pending = new java.util.ArrayList<>();
        }
        try {
            stopShipper();
            settings = next;
            spoolProblem = null;
            if (next.idle()) {
                LOG.info("Loki sink idle: no url in etc/nexus.loki.cfg");
            } else {
                Spool spool = null;
                if (next.spoolDir() != null) {
                    try {
                        spool = new Spool(next.spoolDir(), next.spoolMax(), next.batchSize());
                        stats.drop(LokiStats.Drop.SPOOL_CORRUPT, spool.corrupt());
                    } catch (java.io.UncheckedIOException e) {
                        spoolProblem = e.getMessage() + "; shipping without a spool";
                        LOG.error("Loki sink: {}", spoolProblem);
                    }
                }
                Shipper started = new Shipper(next, new LokiClient(next), spool, stats, lastNanos);
                started.start();
                shipper = started;
                LOG.info("Loki sink ships to {}{}", next, spool == null || spool.isEmpty() ? ""
                        : "; " + spool.entries() + " spooled events first");
            }
        } finally {
            List<AlarmEvent> held;
            synchronized (swap) {
                held = pending;
                pending = null;
            }
            for (AlarmEvent event : held) {
                publish(event);
            }
        }
    }

    private synchronized void stopShipper() {
        Shipper running = shipper;
        shipper = null;
        if (running != null) {
            LokiSettings current = settings;
            Duration brief = current.requestTimeout().compareTo(Duration.ofSeconds(2)) < 0 ? current.requestTimeout()
                    : Duration.ofSeconds(2);
            running.stop(new LokiClient(current.withRequestTimeout(brief)));
        }
    }

    // ---- EventSink ----

    @Override
    public void publish(AlarmEvent event) {
        if (hold(event)) {
            return;
        }
        Shipper current = shipper;
        if (current == null) {
            stats.drop(LokiStats.Drop.NO_URL, 1);
            return;
        }
        try {
            if (!current.offer(event) && !hold(event)) {
                stats.drop(LokiStats.Drop.STOPPED, 1);
            }
        } catch (RuntimeException e) {
            LOG.error("Loki sink could not queue an event: {}", e.toString());
        }
    }

    /** @return whether a replacement of the shipper is under way and the event waits for it */
    private boolean hold(AlarmEvent event) {
        synchronized (swap) {
            if (pending == null) {
                return false;
            }
            if (pending.size() < PENDING_MAX) {
                pending.add(event);
            } else {
                stats.drop(LokiStats.Drop.STOPPED, 1);
            }
            return true;
        }
    }

    // ---- HealthIndicator ----

    @Override
    public String name() {
        return "loki";
    }

    @Override
    public boolean required() {
        return false;
    }

    @Override
    public Health health() {
        LokiSettings current = settings;
        Shipper running = shipper;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("url", current == null || current.idle() ? null : current.push().toString());
        data.put("lastSuccess", text(stats.lastSuccess()));
        data.put("lastError", stats.lastError());
        data.put("lastErrorAt", text(stats.lastErrorAt()));
        data.put("queue", running == null ? 0 : running.queued());
        data.put("spooled", running == null ? 0 : running.spooled());
        data.put("sent", stats.sent.get());
        data.put("dropped", stats.droppedTotal());
        if (configProblem != null) {
            return Health.down("configuration refused: " + configProblem).withData(data);
        }
        if (current == null || current.idle()) {
            return Health.up("idle: no url in etc/nexus.loki.cfg, alarm events are not shipped").withData(data);
        }
        String figures = "queue " + data.get("queue") + ", spooled " + data.get("spooled") + ", sent " + stats.sent.get()
                + ", dropped " + stats.droppedTotal();
        if (running != null && running.failures() > 0) {
            return Health.down(current.push() + " failing since " + text(running.failingSince()) + " ("
                    + running.failures() + " attempts): " + stats.lastError() + "; " + figures).withData(data);
        }
        return Health.up("shipping to " + current.push() + (stats.lastSuccess() == null ? ", nothing sent yet"
                : ", last success " + text(stats.lastSuccess())) + "; " + figures
                + (spoolProblem == null ? "" : "; " + spoolProblem)).withData(data);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    // ---- MetricsSource ----

    @Override
    public List<MetricFamily> metrics() {
        Shipper running = shipper;
        return stats.metrics(running == null ? 0 : running.queued(), running == null ? 0 : running.spooled(),
                running == null ? 0 : running.spoolBytes());
    }

    // ---- the console ----

    @Descriptor("show the Loki sink: where it ships, what it sent, retried and dropped, its queue and spool")
    public String loki() {
        Health health = health();
        StringBuilder out = new StringBuilder("loki  ").append(health.status()).append("  ").append(health.detail())
                .append('\n');
        out.append(String.format(Locale.ROOT, "  sent %d, retried %d, pushes ok %d / failed %d%n", stats.sent.get(),
                stats.retried.get(), stats.pushesOk.get(), stats.pushesFailed.get()));
        out.append("  dropped");
        for (LokiStats.Drop drop : LokiStats.Drop.values()) {
            out.append(' ').append(drop.name().toLowerCase(Locale.ROOT)).append(' ').append(stats.dropped(drop));
        }
        out.append('\n');
        out.append("  last success ").append(stats.lastSuccess() == null ? "never" : stats.lastSuccess().toString())
                .append(", last error ").append(stats.lastError() == null ? "none"
                        : stats.lastErrorAt() + " " + stats.lastError())
                .append('\n');
        LokiSettings current = settings;
        if (current != null) {
            out.append("  config ").append(current).append('\n');
        }
        return out.toString();
    }

    /** For tests: the settings in force. */
    LokiSettings settings() {
        return settings;
    }
}
