package nexus.sparkplug.internal;

import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
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
import nexus.core.AuditTrail;
import nexus.core.ErrorCode;
import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.MetricFamily;
import nexus.core.MetricsSource;
import nexus.core.NexusException;
import nexus.query.TagService;
import nexus.registry.TagRegistry;
import nexus.sparkplug.SparkplugService;
import nexus.sparkplug.SparkplugStatus;

/**
 * The federation (PID {@code nexus.sparkplug}, only while etc/nexus.sparkplug.cfg exists): a thin DS
 * shell around one {@link Federation} per configuration. It is the {@code sparkplug} health indicator
 * (not required: a broker outage does not make the node DOWN), a metrics source, and the
 * {@code sparkplug} alarm event sink whose events become alarm metrics. The tag, alarm and audit
 * services are optional and dynamic: without them the edge node has nothing to publish or cannot
 * write, and says so.
 *
 * <p>A refused configuration ({@link Settings.Refused}) connects nothing: health DOWN with the reason,
 * logged once. A changed configuration stops the running federation cleanly (its NDEATH, a clean
 * disconnect) and starts one with the new settings: a new session, a new bdSeq.
 */
@Component(configurationPid = "nexus.sparkplug", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { SparkplugService.class, HealthIndicator.class, MetricsSource.class, EventSink.class },
        property = EventSink.NAME_PROPERTY + "=sparkplug")
@Designate(ocd = SparkplugConfig.class)
public final class SparkplugComponent implements SparkplugService, HealthIndicator, MetricsSource, EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(SparkplugComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagService tags;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AlarmService alarms;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditTrail audit;

    /** The registry the host's mirrors are contributed to; bound by {@link #bindRegistry}. */
    private volatile TagRegistry registry;

    private final String home;
    /** The running federation, or {@code null} while the configuration is refused. */
    private volatile Federation running;
    /** Why the configuration is refused, or {@code null}. */
    private volatile String refused;
    /** The broker URLs as configured, for the status of a refused configuration. */
    private volatile String urls;

    @Activate
    public SparkplugComponent(BundleContext context, Map<String, Object> properties) {
        this.home = context.getProperty("nexus.home");
        start(properties);
    }

    /** A changed etc/nexus.sparkplug.cfg: the running session ends cleanly, a new one starts. */
    @Modified
    void modified(Map<String, Object> properties) {
        stop();
        start(properties);
    }

    @Deactivate
    void deactivate() {
        stop();
    }

    /** A registry service came or was replaced: it holds no mirror of ours yet, so the host offers them. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindRegistry")
    void bindRegistry(TagRegistry bound) {
        registry = bound;
        Federation federation = running;
        if (federation != null) {
            federation.registryChanged();
        }
    }

    void unbindRegistry(TagRegistry unbound) {
        if (registry == unbound) {
            registry = null;
        }
    }

    private void start(Map<String, Object> properties) {
        urls = Settings.urlsAsGiven(properties);
        try {
            Settings settings = Settings.of(properties, home);
            Federation federation = Federation.of(settings, () -> tags, () -> alarms, () -> audit, () -> registry,
                    java.nio.file.Path.of(home == null ? "." : home));
            refused = null;
            running = federation;
            federation.start();
        } catch (IllegalArgumentException e) {
            refused = Settings.CONFIG_FILE + " refused: " + e.getMessage();
            running = null;
            LOG.error("Sparkplug: {}; the node does not connect to a broker until it is fixed", refused);
        }
    }

    private void stop() {
        Federation federation = running;
        running = null;
        if (federation != null) {
            federation.stop();
        }
    }

    @Override
    public SparkplugStatus status() {
        Federation federation = running;
        if (federation == null) {
            return new SparkplugStatus(new SparkplugStatus.Broker(urls, "", false, null, refused), null,
                    new Counters().snapshot());
        }
        return federation.status();
    }

    @Override
    public String rebirth() {
        Federation federation = running;
        if (federation == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, refused == null ? "Sparkplug is stopping" : refused);
        }
        return federation.rebirth();
    }

    @Override
    public void publish(AlarmEvent event) {
        Federation federation = running;
        if (federation != null) {
            federation.alarmEvent(event);
        }
    }

    @Override
    public List<MetricFamily> metrics() {
        Federation federation = running;
        return federation == null ? SparkplugMetrics.of(new Counters().snapshot(), false, 0) : federation.metrics();
    }

    @Override
    public String name() {
        return "sparkplug";
    }

    @Override
    public boolean required() {
        return false;
    }

    @Override
    public Health health() {
        Federation federation = running;
        if (federation == null) {
            return Health.down(refused == null ? "Sparkplug is stopping" : refused);
        }
        return federation.health();
    }
}
