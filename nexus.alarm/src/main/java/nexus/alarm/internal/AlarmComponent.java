package nexus.alarm.internal;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
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

import nexus.alarm.ActionRequest;
import nexus.alarm.Alarm;
import nexus.alarm.AlarmAction;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmService;
import nexus.alarm.AlarmSummary;
import nexus.alarm.EventSink;
import nexus.core.AccessPolicy;
import nexus.core.Caller;
import nexus.core.AuditTrail;
import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.NexusException;
import nexus.registry.Registry;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;

/**
 * The alarm manager (PID {@code nexus.alarm}): a thin shell around {@link AlarmEngine} that scans on
 * a thread of its own, follows the registry served now and the highest-ranked RMA backend, hands
 * events to every {@link EventSink} through {@link EventDispatcher}, audits actions to the
 * {@link AuditTrail} and asks the {@link AccessPolicy}, saves the snapshot, and reports
 * {@code alarms} health with the KPIs. A new configuration applies without a restart and without
 * losing any state.
 */
@Component(configurationPid = "nexus.alarm", service = { AlarmService.class, HealthIndicator.class }, immediate = true)
@Designate(ocd = AlarmConfig.class)
public final class AlarmComponent implements AlarmService, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmComponent.class);

    private final String home;
    private final EventDispatcher dispatcher;
    private final AlarmEngine engine;
    private final ActionAudit audit;
    private final ScheduledExecutorService scanner;
    private final ScheduledExecutorService snapshotter;
    private final SnapshotStore snapshots;
    private volatile ScheduledFuture<?> scanTask;
    private volatile ScheduledFuture<?> snapshotTask;
    private volatile String configProblem;
    private volatile String scanProblem;
    /** Why scans are paused (a registry fallback not yet confirmed); null while they run. */
    private volatile String paused;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend backend;

    /** Every action is audited here before it is answered: without a trail, actions are refused. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditTrail auditTrail;

    /** Asked before each action; without one every caller may do what the alarm's rules allow. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccessPolicy accessPolicy;

    @Activate
    public AlarmComponent(BundleContext context, AlarmConfig config) {
        this.home = context.getProperty("nexus.home");
        AlarmEngine.Settings settings = AlarmEngine.Settings.DEFAULTS;
        try {
            settings = settings(config);
        } catch (NexusException e) {
            configProblem = e.getMessage();
            LOG.error("Alarm manager configuration refused: {}. Running with the defaults; fix etc/nexus.alarm.cfg.",
                    e.getMessage());
        }
        this.dispatcher = new EventDispatcher();
        this.snapshots = snapshotStore(config);
        this.audit = new ActionAudit(() -> auditTrail, () -> accessPolicy);
        this.engine = new AlarmEngine(settings, InstantSource.system(), this::currentRegistry, () -> backend,
                dispatcher, snapshots, audit);
        this.scanner = Executors.newSingleThreadScheduledExecutor(daemon("nexus-alarm-scan"));
        this.snapshotter = Executors.newSingleThreadScheduledExecutor(daemon("nexus-alarm-snapshot"));
        schedule(settings, config);
    }

    @Modified
    void modified(AlarmConfig config) {
        try {
            AlarmEngine.Settings settings = settings(config);
            configProblem = null;
            engine.settings(settings);
            SnapshotStore wanted = snapshotStore(config);
            if (!java.util.Objects.equals(wanted == null ? null : wanted.file(), snapshots == null ? null : snapshots.file())) {
                LOG.info("snapshot.file = {} takes effect when the nexus.alarm bundle starts again (now {}): the journal"
                        + " beside it must not change under a running alarm manager", config.snapshot_file(),
                        snapshots == null ? "none" : snapshots.file());
            }
            scanTask.cancel(false);
            if (snapshotTask != null) {
                snapshotTask.cancel(false);
            }
            schedule(settings, config);
            LOG.info("Alarm manager reconfigured: scan every {} ms, snapshot {}", settings.scanIntervalMillis(),
                    snapshots == null ? "off" : snapshots.file());
        } catch (NexusException e) {
            configProblem = e.getMessage();
            LOG.error("Alarm manager configuration refused: {}. The previous settings stay in force.", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        scanner.shutdownNow();
        snapshotter.shutdownNow();
        scanner.awaitTermination(5, TimeUnit.SECONDS);
        snapshotter.awaitTermination(5, TimeUnit.SECONDS);
        saveSnapshot();
        if (snapshots != null) {
            try {
                snapshots.journal().close();
            } catch (java.io.IOException e) {
                LOG.warn("The alarm journal was not closed cleanly: {}", e.toString());
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSink(EventSink sink, Map<String, Object> properties) {
        Object name = properties.get(EventSink.NAME_PROPERTY);
        dispatcher.add(sink, name == null ? sink.getClass().getName() : name.toString());
    }

    void removeSink(EventSink sink) {
        dispatcher.remove(sink);
    }

    private void schedule(AlarmEngine.Settings settings, AlarmConfig config) {
        scanTask = scanner.scheduleAtFixedRate(this::scan, 0, settings.scanIntervalMillis(), TimeUnit.MILLISECONDS);
        if (snapshots != null) {
            long seconds = Math.max(1, config.snapshot_interval());
            snapshotTask = snapshotter.scheduleWithFixedDelay(this::saveSnapshot, seconds, seconds, TimeUnit.SECONDS);
        } else {
            snapshotTask = null;
        }
    }

    static AlarmEngine.Settings settings(AlarmConfig config) {
        require(config.scan_interval() >= 10 && config.scan_interval() <= 60_000, "scan.interval",
                config.scan_interval(), "10 to 60000 ms");
        require(config.snapshot_interval() >= 1, "snapshot.interval", config.snapshot_interval(), "at least 1 s");
        require(config.chatter_count() >= 2 && config.chatter_count() <= 100, "chatter.count", config.chatter_count(),
                "2 to 100");
        require(config.chatter_window() >= 1, "chatter.window", config.chatter_window(), "at least 1 s");
        require(config.flood_threshold() >= 1, "flood.threshold", config.flood_threshold(), "at least 1");
        require(config.merge_gap() >= 0, "merge.gap", config.merge_gap(), "0 or more bytes");
        require(config.merge_block() >= 1, "merge.block", config.merge_block(), "at least 1 byte");
        return new AlarmEngine.Settings(config.scan_interval(), config.chatter_count(), config.chatter_window() * 1000,
                config.flood_threshold(), config.merge_gap(), config.merge_block());
    }

    private static void require(boolean ok, String key, long value, String allowed) {
        if (!ok) {
            throw new NexusException(nexus.core.ErrorCode.INVALID_ARGUMENT, key + " = " + value + " is out of range: use "
                    + allowed);
        }
    }

    private SnapshotStore snapshotStore(AlarmConfig config) {
        String file = config.snapshot_file() == null ? "" : config.snapshot_file().strip();
        if (file.isEmpty()) {
            return null;
        }
        Path path = Path.of(file);
        return new SnapshotStore(path.isAbsolute() ? path : Path.of(home == null ? "." : home).resolve(path));
    }

    private Registry currentRegistry() {
        TagRegistry service = registry;
        if (service == null) {
            return null;
        }
        try {
            return service.current();
        } catch (NexusException e) {
            return null;
        }
    }

    private void scan() {
        try {
            TagRegistry service = registry;
            java.util.Optional<String> refused = service == null ? java.util.Optional.empty() : service.writesRefused();
            if (refused.isPresent()) {
                // Flag bytes under a layout the RMA banks may not have: neither evaluate nor write until confirmed.
                if (paused == null) {
                    LOG.error("Alarms are paused: {}", refused.get());
                }
                paused = refused.get();
                engine.paused(paused);
                return;
            }
            if (paused != null) {
                LOG.info("Alarms resume: RMA writes are allowed again");
                paused = null;
                engine.paused(null);
            }
            engine.scan();
            if (scanProblem != null) {
                LOG.info("Alarm scans work again");
                scanProblem = null;
            }
        } catch (Throwable e) {
            // Whatever it was, the next scan must still run: a scheduled task that throws is never run again.
            String problem = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!problem.equals(scanProblem)) {
                LOG.error("Alarm scan failed; alarms are not evaluated until it works again: {}", problem, e);
            }
            scanProblem = problem;
        }
    }

    private void saveSnapshot() {
        if (snapshots != null) {
            try {
                engine.checkpoint(System.currentTimeMillis());
            } catch (RuntimeException e) {
                LOG.warn("Alarm snapshot not written: {}", e.toString());
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---- AlarmService ----

    @Override
    public List<Alarm> list(Caller caller, AlarmFilter filter) {
        return engine.list(AccessPolicy.accessOf(accessPolicy, caller), filter == null ? AlarmFilter.ALL : filter);
    }

    @Override
    public Alarm get(Caller caller, String name) {
        return engine.get(AccessPolicy.accessOf(accessPolicy, caller), name);
    }

    @Override
    public Alarm act(String name, AlarmAction action, ActionRequest request) {
        return engine.act(name, action, request);
    }

    @Override
    public AlarmSummary summary() {
        return engine.summary(dispatcher.stats());
    }

    // ---- HealthIndicator ----

    @Override
    public String name() {
        return "alarms";
    }

    @Override
    public Health health() {
        AlarmEngine.Status status = engine.status();
        java.time.Instant last = status.lastScan();
        long stale = Math.max(5_000, 5 * engine.settings().scanIntervalMillis());
        String problem = configProblem != null ? "configuration refused: " + configProblem
                : paused != null ? "alarms are paused, neither evaluated nor written to RMA: " + paused
                : scanProblem != null ? "scans fail: " + scanProblem
                : !status.ready() ? status.reason()
                : status.journalProblem() != null ? status.journalProblem()
                : last != null && last.plusMillis(stale).isBefore(java.time.Instant.now())
                        ? "no scan since " + last + ": the scan thread is stuck or gone"
                : status.flagProblem();
        AlarmSummary summary = summary();
        Map<String, Object> data = HealthFigures.of(summary, snapshots == null ? null : snapshots.problem());
        if (snapshots != null && snapshots.tornBytes() > 0) {
            data.put("journalTruncatedBytes", snapshots.tornBytes());
        }
        if (audit.unaudited() > 0) {
            data.put("unauditedRefusals", audit.unaudited()); // refused actions the audit trail could not take
        }
        // Alarms whose tag is not GOOD (a federation mirror gone stale, a contributed tag a version lacks) keep
        // their state and are shown BAD: a remote node being away is not the alarm manager's failure, so UP.
        data.put("unevaluated", status.unevaluated());
        if (status.unevaluated() > 0) {
            data.put("unevaluatedAlarms", status.firstUnevaluated());
        }
        if (problem != null) {
            return Health.down(problem).withData(data);
        }
        String detail = HealthFigures.sentence(summary);
        if (status.unevaluated() > 0) {
            detail += "; " + status.unevaluated() + " cannot be evaluated now, their tag is not GOOD (first: "
                    + String.join(", ", status.firstUnevaluated()) + "): see their quality in GET /api/v1/alarms";
        }
        SnapshotStore store = snapshots;
        if (store != null && store.problem() != null) {
            detail += "; " + store.problem();
        }
        return Health.up(detail).withData(data);
    }

    /** The figures and sentence of the {@code alarms} health entry. */
    static final class HealthFigures {

        private HealthFigures() {
        }

        static Map<String, Object> of(AlarmSummary s, String snapshotProblem) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("alarms", s.alarms());
            data.put("registryVersion", s.registryVersion());
            data.put("active", bySeverity(s.active()));
            data.put("unacknowledged", bySeverity(s.unacknowledged()));
            data.put("shelved", bySeverity(s.shelved()));
            data.put("suppressed", s.suppressed());
            data.put("outOfService", s.outOfService());
            data.put("activationsLast10m", s.activations10m());
            data.put("flood", s.flood());
            data.put("chattering", s.chattering());
            data.put("chatteringCount", s.chatteringCount());
            data.put("lastScanMillis", s.scan().lastNanos() / 1e6);
            data.put("scanOverruns", s.scan().overruns());
            if (snapshotProblem != null) {
                data.put("snapshotProblem", snapshotProblem);
            }
            return data;
        }

        static String sentence(AlarmSummary s) {
            return String.format(java.util.Locale.ROOT,
                    "%d alarms (registry v%d): %d in alarm, %d unacknowledged, %d shelved, %d activations in 10 min%s;"
                            + " last scan %.2f ms",
                    s.alarms(), s.registryVersion(), AlarmSummary.total(s.active()), AlarmSummary.total(s.unacknowledged()),
                    AlarmSummary.total(s.shelved()), s.activations10m(), s.flood() ? " (FLOOD)" : "",
                    s.scan().lastNanos() / 1e6);
        }

        private static Map<String, Object> bySeverity(Map<nexus.core.Severity, Integer> counts) {
            Map<String, Object> out = new LinkedHashMap<>();
            counts.forEach((severity, count) -> out.put(severity.name(), count));
            return out;
        }
    }
}
