package nexus.query.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.Access;
import nexus.core.AccessPolicy;
import nexus.core.Caller;
import nexus.core.ErrorCode;
import nexus.core.MetricFamily;
import nexus.core.MetricsSource;
import nexus.core.NexusException;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.QueryService;
import nexus.query.TagSelection;
import nexus.query.ReadPlan;
import nexus.registry.Registry;
import nexus.registry.RegistryListener;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;

/**
 * The query service (PID {@code nexus.query}): a thin shell around {@link QueryEngine}, using the
 * registry served now and the highest-ranked RMA backend. Without a registry a query fails with
 * {@code BACKEND_UNAVAILABLE}; without a backend values carry {@code BAD_NO_BACKEND}. Every select
 * and explain runs as its caller: what the access policy grants it (everything while none is
 * registered, nothing when the policy fails) decides the part of the namespace the SQL sees and
 * tightens the row cap and time limit. Also a
 * {@link MetricsSource}: what every caller's queries answered ({@link QueryCounts}) and what admission
 * control admitted, refused (by reason), runs and queues, and the result cache's hits, misses,
 * evictions and bytes; a
 * {@link RegistryListener}, to close the connections of a retired registry version at once; and the
 * bundle-private {@link SharedEngine} the tag component reads through.
 */
@Component(configurationPid = "nexus.query", service = { QueryService.class, MetricsSource.class, RegistryListener.class,
        SharedEngine.class })
@Designate(ocd = QueryConfig.class)
public final class QueryComponent implements QueryService, MetricsSource, RegistryListener, SharedEngine {

    private static final Logger LOG = LoggerFactory.getLogger(QueryComponent.class);

    private final ExecutorService parser;
    private final ScheduledExecutorService timer;
    private final QueryEngine engine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend backend;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccessPolicy policy;

    @Activate
    public QueryComponent(QueryConfig config) {
        this.parser = Executors.newCachedThreadPool(daemon("nexus-query-parse"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("nexus-query-timeout"));
        this.engine = new QueryEngine(new Limits(config.rows_default(), config.rows_max(), config.timeout(),
                config.sql_max(), config.merge_gap(), config.merge_block(), config.plan_cache()), admission(config),
                cacheBytes(config), parser, timer);
    }

    /** Admission from the configuration; values out of range are raised to the least that works, with a warning. */
    static Admission admission(QueryConfig config) {
        int slots = config.slots();
        if (slots < 2) {
            LOG.warn("nexus.query slots = {} is too few: using 2 (one slot is kept for short queries)", slots);
            slots = 2;
        }
        int queue = Math.max(0, config.queue());
        long wait = Math.max(0, config.queue_wait());
        long longAfter = Math.max(1, config.long_after());
        return new Admission(slots, queue, wait, longAfter, 1, Admission.retryLong(config.timeout()));
    }

    /** The result cache's bound from the configuration; a negative one turns it off, with a warning. */
    static long cacheBytes(QueryConfig config) {
        if (config.cache_bytes() < 0) {
            LOG.warn("nexus.query cache.bytes = {} is negative: the result cache is off (0 turns it off)",
                    config.cache_bytes());
            return 0;
        }
        return config.cache_bytes();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        engine.close();
        timer.shutdownNow();
        parser.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        parser.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public QueryEngine engine() {
        return engine;
    }

    @Override
    public void registryChanged(Registry served) {
        engine.registryChanged();
    }

    @Override
    public QueryResult select(Caller caller, String sql, QueryOptions options) {
        Access access = AccessPolicy.accessOf(policy, Objects.requireNonNull(caller, "caller"));
        return engine.select(registry().current(), backend, access, sql, options == null ? QueryOptions.DEFAULT : options);
    }

    @Override
    public ReadPlan explain(Caller caller, String sql, QueryOptions options) {
        Access access = AccessPolicy.accessOf(policy, Objects.requireNonNull(caller, "caller"));
        return engine.explain(registry().current(), access, sql, options == null ? QueryOptions.DEFAULT : options);
    }

    @Override
    public TagSelection selectTags(Caller caller, String sql, QueryOptions options) {
        Access access = AccessPolicy.accessOf(policy, Objects.requireNonNull(caller, "caller"));
        return engine.selectTags(registry().current(), access, sql, options == null ? QueryOptions.DEFAULT : options);
    }

    @Override
    public java.util.List<nexus.query.TagValue> read(java.util.List<nexus.rma.Allocation> allocations) {
        RmaBackend memory = backend;
        try {
            memory = registry().current().memory(memory);
        } catch (nexus.core.NexusException e) {
            // no registry served: the allocations can only be the backend's own
        }
        return engine.read(memory, allocations);
    }

    @Override
    public List<MetricFamily> metrics() {
        Admission.Stats stats = engine.admission();
        List<MetricFamily.Sample> refused = new ArrayList<>();
        for (Admission.Refusal why : Admission.Refusal.values()) {
            refused.add(MetricFamily.Sample.of(Map.of("reason", why.name().toLowerCase(Locale.ROOT)), stats.refused(why)));
        }
        List<MetricFamily> families = new ArrayList<>(engine.counts().metrics());
        families.addAll(engine.results().metrics());
        families.addAll(List.of(
                MetricFamily.single("nexus_query_admitted_total", MetricFamily.Type.COUNTER,
                        "Queries and explains admitted to run.", stats.admitted()),
                new MetricFamily("nexus_query_refused_total", MetricFamily.Type.COUNTER,
                        "Queries and explains refused with OVERLOADED (HTTP 429), by reason.", refused),
                MetricFamily.single("nexus_query_running", MetricFamily.Type.GAUGE, "Queries running now.", stats.running()),
                MetricFamily.single("nexus_query_running_long", MetricFamily.Type.GAUGE,
                        "Queries running now that passed long.after.", stats.longRunning()),
                MetricFamily.single("nexus_query_waiting", MetricFamily.Type.GAUGE, "Queries waiting for a slot now.",
                        stats.waiting()),
                MetricFamily.single("nexus_query_slots", MetricFamily.Type.GAUGE, "Queries that may run at once.",
                        stats.slots())));
        return families;
    }

    private TagRegistry registry() {
        TagRegistry current = registry;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the registry service is not running: see GET /health");
        }
        return current;
    }
}
