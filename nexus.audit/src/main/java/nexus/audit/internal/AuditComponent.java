package nexus.audit.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.AuditRecord;
import nexus.core.AuditSink;
import nexus.core.AuditTrail;
import nexus.core.ErrorCode;
import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.MetricFamily;
import nexus.core.MetricsSource;
import nexus.core.NexusException;

/**
 * The audit trail (PID {@code nexus.audit}): a thin DS shell around {@link JournaledAuditTrail}. It
 * provides {@link AuditTrail}, the {@code audit} health entry and the audit metrics, hands records to
 * every {@link AuditSink} registered, opens the journal on a thread of its own at start, and while
 * the journal cannot be written tries it again every {@value #RETRY_SECONDS} seconds, so the health
 * recovers by itself once the disk does. A new configuration applies without a restart.
 */
@Component(configurationPid = "nexus.audit", immediate = true,
        service = { AuditTrail.class, HealthIndicator.class, MetricsSource.class })
@Designate(ocd = AuditConfig.class)
public final class AuditComponent implements AuditTrail, HealthIndicator, MetricsSource {

    private static final Logger LOG = LoggerFactory.getLogger(AuditComponent.class);
    static final long RETRY_SECONDS = 5;
    static final long MIN_FILE_BYTES = 4096;
    static final int MAX_FILES = 100_000;

    private final String home;
    private final JournaledAuditTrail trail;
    private final ScheduledExecutorService retry;
    private volatile String configProblem;

    @Activate
    public AuditComponent(BundleContext context, AuditConfig config) {
        this(context.getProperty("nexus.home"), config);
    }

    /** For tests: relative folders are resolved against {@code home}. */
    AuditComponent(String home, AuditConfig config) {
        this.home = home;
        JournalSettings settings;
        try {
            settings = settings(config, home);
        } catch (NexusException e) {
            configProblem = e.getMessage();
            LOG.error("Audit trail configuration refused: {}. Running with the defaults; fix etc/nexus.audit.cfg.",
                    e.getMessage());
            settings = defaults(home);
        }
        this.trail = new JournaledAuditTrail(settings);
        this.retry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "nexus-audit-retry");
            thread.setDaemon(true);
            return thread;
        });
        retry.execute(trail::probe); // reads the folder now rather than at the first append
        retry.scheduleWithFixedDelay(() -> {
            if (trail.failing()) {
                trail.probe();
            }
        }, RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
    }

    @Modified
    void modified(AuditConfig config) {
        try {
            JournalSettings next = settings(config, home);
            configProblem = null;
            if (!next.equals(trail.settings())) {
                trail.settings(next);
                retry.execute(trail::probe); // a new folder is read now, and a problem with it shows at once
                LOG.info("Audit trail reconfigured: {}, files of {} bytes, {} kept", next.dir(), next.fileMaxBytes(),
                        next.filesKeep());
            }
        } catch (NexusException e) {
            configProblem = e.getMessage();
            LOG.error("Audit trail configuration refused: {}. The previous settings stay in force.", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        retry.shutdownNow();
        retry.awaitTermination(5, TimeUnit.SECONDS);
        trail.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSink(AuditSink sink, Map<String, Object> properties) {
        Object name = properties.get(AuditSink.NAME_PROPERTY);
        trail.addSink(sink, name == null ? sink.getClass().getName() : name.toString());
    }

    void removeSink(AuditSink sink) {
        trail.removeSink(sink);
    }

    static JournalSettings settings(AuditConfig config, String home) {
        String dir = config.dir() == null ? "" : config.dir().strip();
        if (dir.isEmpty()) {
            throw invalid("dir is empty: the audit trail needs a folder (default data/audit)");
        }
        if (config.file_max_bytes() < MIN_FILE_BYTES) {
            throw invalid("file.max.bytes = " + config.file_max_bytes() + " is too small: use at least " + MIN_FILE_BYTES);
        }
        if (config.files_keep() < 1 || config.files_keep() > MAX_FILES) {
            throw invalid("files.keep = " + config.files_keep() + " is out of range: use 1 to " + MAX_FILES);
        }
        return new JournalSettings(resolve(dir, home), config.file_max_bytes(), config.files_keep());
    }

    private static JournalSettings defaults(String home) {
        return new JournalSettings(resolve("data/audit", home), 16L * 1024 * 1024, 10);
    }

    private static Path resolve(String dir, String home) {
        Path path;
        try {
            path = Path.of(dir);
        } catch (java.nio.file.InvalidPathException e) {
            throw invalid("dir '" + dir + "' is not a path: " + e.getReason());
        }
        return (path.isAbsolute() ? path : Path.of(home == null ? "." : home).resolve(path)).toAbsolutePath().normalize();
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_ARGUMENT, message);
    }

    // ---- AuditTrail ----

    @Override
    public AuditRecord append(AuditRecord draft) {
        return trail.append(draft);
    }

    // ---- HealthIndicator ----

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public Health health() {
        Health health = trail.health();
        String problem = configProblem;
        if (problem != null && health.status() == nexus.core.HealthStatus.UP) {
            return new Health(nexus.core.HealthStatus.DEGRADED, "configuration refused: " + problem + "; "
                    + health.detail(), health.data());
        }
        return health;
    }

    // ---- MetricsSource ----

    @Override
    public List<MetricFamily> metrics() {
        return trail.metrics();
    }
}
