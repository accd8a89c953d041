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
import nexus.core.AuditRecord;
import nexus.core.AuditSink;
import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.MetricFamily;
import nexus.core.MetricsSource;
import nexus.core.NexusException;

/**
 * The Loki sink (PID {@code nexus.loki}): an {@link EventSink} and an {@link AuditSink} that ships
 * every alarm event and every audit record to Grafana Loki through a {@link Shipper} — one bounded
 * queue and one pushing thread for both, each input with its own sent and drop counters — a
 * {@code loki} health entry (optional: the node stays UP when Loki is away), its metrics, and the
 * console command {@code nexus:loki}. Without a url it stays idle. A configuration that is refused
 * leaves the last good one running.
 */
@Component(configurationPid = "nexus.loki", immediate = true,
        service = { EventSink.class, AuditSink.class, HealthIndicator.class, MetricsSource.class },
        property = { EventSink.NAME_PROPERTY + "=loki", "osgi.command.scope=nexus", "osgi.command.function=loki" })
@Designate(ocd = LokiConfig.class)
public final class LokiSink implements EventSink, AuditSink, HealthIndicator, MetricsSource {

    private static final Logger LOG = LoggerFactory.getLogger(LokiSink.class);

    private final String home;
    private final String host;

    private final LokiStats stats = new LokiStats();
    /** Every stream's last timestamp, kept across reconfigurations so that timestamps stay distinct. */
    private final Map<String, Long> lastNanos = new java.util.concurrent.ConcurrentHashMap<>();
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
    synchronized void deactivate() {
        Shipper running = shipper;
        shipper = null;
        stop(running, settings);
    }

    /**
     * Applies a configuration. The next shipper takes entries from the moment it is made, so nothing
     * published during the change waits anywhere else; the previous one then stops (its queue goes to
     * the spool or gets a last push), and only after that does the next one open the spool and start.
     */
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
        LokiSettings previous = settings;
        Shipper stopping = shipper;
        Shipper started = next.idle() ? null : new Shipper(next, new LokiClient(next), stats, lastNanos);
        settings = next;
        shipper = started;
        Spool spool = null;
        try {
            stop(stopping, previous);
            spoolProblem = null;
            if (started != null && next.spoolDir() != null) {
                try {
                    spool = new Spool(next.spoolDir(), next.spoolMax(), next.batchSize());
                    stats.drop(LokiStats.Drop.SPOOL_CORRUPT, spool.corrupt());
                } catch (java.io.UncheckedIOException e) {
                    spoolProblem = e.getMessage() + "; shipping without a spool";
                    LOG.error("Loki sink: {}", spoolProblem);
                }
            }
        } finally {
            if (started != null) {
                started.start(spool);
            }
        }
        if (started == null) {
            LOG.info("Loki sink idle: no url in etc/nexus.loki.cfg");
        } else {
            LOG.info("Loki sink ships to {}{}", next, spool == null || spool.isEmpty() ? ""
                    : "; " + spool.entries() + " spooled entries first");
        }
    }

    private static void stop(Shipper running, LokiSettings current) {
        if (running != null) {
            Duration brief = current.requestTimeout().compareTo(Duration.ofSeconds(2)) < 0 ? current.requestTimeout()
                    : Duration.ofSeconds(2);
            running.stop(new LokiClient(current.withRequestTimeout(brief)));
        }
    }

    // ---- EventSink ----

    @Override
    public void publish(AlarmEvent event) {
        offer(Entry.Input.ALARM_EVENT, s -> s.offer(event));
    }

    // ---- AuditSink ----

    @Override
    public void accept(AuditRecord record) {
        offer(Entry.Input.AUDIT_RECORD, s -> s.offer(record));
    }

    /**
     * Hands the input to the shipper in force. A shipper that refuses it is stopping: by then its
     * successor is in place (or the sink is idle or stopped), so the input goes there instead.
     */
    private void offer(Entry.Input input, java.util.function.Predicate<Shipper> offer) {
        try {
            Shipper tried = null;
            while (true) {
                Shipper current = shipper;
                if (current == null) {
                    stats.drop(settings == null || settings.idle() ? LokiStats.Drop.NO_URL : LokiStats.Drop.STOPPED,
                            input, 1);
                    return;
                }
                if (current == tried) {
                    stats.drop(LokiStats.Drop.STOPPED, input, 1);
                    return;
                }
                if (offer.test(current)) {
                    return;
                }
                tried = current;
            }
        } catch (RuntimeException e) {
            LOG.error("Loki sink could not queue an entry: {}", e.toString());
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
        data.put("sent", stats.sentTotal());
        data.put("dropped", stats.droppedTotal());
        if (configProblem != null) {
            return Health.down("configuration refused: " + configProblem).withData(data);
        }
        if (current == null || current.idle()) {
            return Health.up("idle: no url in etc/nexus.loki.cfg, alarm events and audit records are not shipped")
                    .withData(data);
        }
        String figures = "queue " + data.get("queue") + ", spooled " + data.get("spooled") + ", sent " + stats.sentTotal()
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
        out.append(String.format(Locale.ROOT, "  sent %d, retried %d, pushes ok %d / failed %d%n",
                stats.sent(Entry.Input.ALARM_EVENT), stats.retried.get(), stats.pushesOk.get(), stats.pushesFailed.get()));
        out.append("  dropped");
        drops(out, Entry.Input.ALARM_EVENT);
        out.append(String.format(Locale.ROOT, "  audit records: sent %d, dropped", stats.sent(Entry.Input.AUDIT_RECORD)));
        drops(out, Entry.Input.AUDIT_RECORD);
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

    private void drops(StringBuilder out, Entry.Input input) {
        for (LokiStats.Drop drop : LokiStats.Drop.values()) {
            out.append(' ').append(drop.name().toLowerCase(Locale.ROOT)).append(' ').append(stats.dropped(drop, input));
        }
        out.append('\n');
    }

    /** For tests: the settings in force. */
    LokiSettings settings() {
        return settings;
    }
}
