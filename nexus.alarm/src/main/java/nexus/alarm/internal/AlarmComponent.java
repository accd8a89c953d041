package nexus.alarm.internal;

import java.nio.file.Path;
import java.time.Duration;
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

import nexus.alarm.Alarm;
import nexus.alarm.AlarmFilter;
import nexus.alarm.AlarmService;
import nexus.alarm.AlarmSummary;
import nexus.alarm.EventSink;
import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.NexusException;
import nexus.registry.Registry;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;

/**
 * The alarm manager (PID {@code nexus.alarm}): a thin shell around {@link AlarmEngine} that scans on
 * a thread of its own, follows the registry served now and the highest-ranked RMA backend, hands
 * events to every {@link EventSink} through {@link EventDispatcher}, saves the snapshot, and reports
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
        this.dispatcher = new EventDispatcher(Math.max(1, config.events_queue()));
        this.snapshots = snapshotStore(config);
        this.engine = new AlarmEngine(settings, InstantSource.system(), this::currentRegistry, () -> backend,
                dispatcher::publish, snapshots);
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
            if (config.events_queue() != dispatcher.capacity()) {
                LOG.info("events.queue = {} takes effect when the nexus.alarm bundle starts again (now {})",
                        config.events_queue(), dispatcher.capacity());
            }
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
        if (!dispatcher.drain(2000)) {
            LOG.warn("Alarm event sinks had not taken every queued event after 2 s; the rest is dropped (counted)");
        }
        dispatcher.close();
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
        require(config.events_queue() >= 1, "events.queue", config.events_queue(), "at least 1");
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
                return;
            }
            if (paused != null) {
                LOG.info("Alarms resume: RMA writes are allowed again");
                paused = null;
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
    public List<Alarm> list(AlarmFilter filter) {
        return engine.list(filter == null ? AlarmFilter.ALL : filter);
    }

    /** Every operator action: refused while alarms are paused, else the engine's. */
    private Alarm act(String name, AlarmEngine.Action action, String user, String comment, Duration duration) {
        String why = paused;
        if (why != null) {
            throw new NexusException(nexus.core.ErrorCode.BACKEND_UNAVAILABLE, "alarm actions are refused while alarms are"
                    + " paused: " + why);
        }
        return engine.act(name, action, user, comment, duration);
    }

    @Override
    public Alarm get(String name) {
        return engine.get(name);
    }

    @Override
    public Alarm acknowledge(String name, String user, String comment) {
        return act(name, AlarmEngine.Action.ACKNOWLEDGE, user, comment, null);
    }

    @Override
    public Alarm shelve(String name, Duration duration, String user, String reason) {
        return act(name, AlarmEngine.Action.SHELVE, user, reason, duration);
    }

    @Override
    public Alarm shelveOneShot(String name, String user, String reason) {
        return act(name, AlarmEngine.Action.SHELVE_ONE_SHOT, user, reason, null);
    }

    @Override
    public Alarm unshelve(String name, String user, String comment) {
        return act(name, AlarmEngine.Action.UNSHELVE, user, comment, null);
    }

    @Override
    public Alarm reset(String name, String user, String comment) {
        return act(name, AlarmEngine.Action.RESET, user, comment, null);
    }

    @Override
    public Alarm suppress(String name, String user, String comment) {
        return act(name, AlarmEngine.Action.SUPPRESS, user, comment, null);
    }

    @Override
    public Alarm unsuppress(String name, String user, String comment) {
        return act(name, AlarmEngine.Action.UNSUPPRESS, user, comment, null);
    }

    @Override
    public Alarm removeFromService(String name, String user, String comment) {
        return act(name, AlarmEngine.Action.REMOVE_FROM_SERVICE, user, comment, null);
    }

    @Override
    public Alarm returnToService(String name, String user, String comment) {
        return act(name, AlarmEngine.Action.RETURN_TO_SERVICE, user, comment, null);
    }

    @Override
    public Alarm disable(String name, String user, String comment) {
        return act(name, AlarmEngine.Action.DISABLE, user, comment, null);
    }

    @Override
    public Alarm enable(String name, String user, String comment) {
        return act(name, AlarmEngine.Action.ENABLE, user, comment, null);
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
        if (problem != null) {
            return Health.down(problem).withData(data);
        }
        String detail = HealthFigures.sentence(summary);
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
