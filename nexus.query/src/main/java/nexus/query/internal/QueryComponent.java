package nexus.query.internal;

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

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.QueryService;
import nexus.query.ReadPlan;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;

/**
 * The query service (PID {@code nexus.query}): a thin shell around {@link QueryEngine}, using the
 * registry served now and the highest-ranked RMA backend. Without a registry a query fails with
 * {@code BACKEND_UNAVAILABLE}; without a backend values carry {@code BAD_NO_BACKEND}.
 */
@Component(configurationPid = "nexus.query", service = QueryService.class)
@Designate(ocd = QueryConfig.class)
public final class QueryComponent implements QueryService {

    private final ExecutorService parser;
    private final ScheduledExecutorService timer;
    private final QueryEngine engine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend backend;

    @Activate
    public QueryComponent(QueryConfig config) {
        this.parser = Executors.newCachedThreadPool(daemon("nexus-query-parse"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("nexus-query-timeout"));
        this.engine = new QueryEngine(new Limits(config.rows_default(), config.rows_max(), config.timeout(),
                config.sql_max(), config.merge_gap(), config.merge_block(), config.plan_cache()), parser, timer);
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
        timer.shutdownNow();
        parser.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        parser.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public QueryResult select(String sql, QueryOptions options) {
        return engine.select(registry().current(), backend, sql, options == null ? QueryOptions.DEFAULT : options);
    }

    @Override
    public ReadPlan explain(String sql) {
        return explain(sql, QueryOptions.DEFAULT);
    }

    @Override
    public ReadPlan explain(String sql, QueryOptions options) {
        return engine.explain(registry().current(), sql, options == null ? QueryOptions.DEFAULT : options);
    }

    @Override
    public java.util.List<nexus.query.TagValue> read(java.util.List<nexus.rma.Allocation> allocations) {
        return engine.read(backend, allocations);
    }

    private TagRegistry registry() {
        TagRegistry current = registry;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the registry service is not running: see GET /health");
        }
        return current;
    }
}
