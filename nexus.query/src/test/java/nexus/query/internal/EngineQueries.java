package nexus.query.internal;

import java.util.List;
import java.util.function.Function;

import nexus.core.Access;
import nexus.core.Caller;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.QueryService;
import nexus.query.ReadPlan;
import nexus.query.TagSelection;
import nexus.query.TagValue;
import nexus.registry.Registry;
import nexus.rma.Allocation;
import nexus.rma.RmaBackend;

/** The query service over one registry and backend, each caller with the access a function gives it. */
record EngineQueries(QueryEngine engine, Registry registry, RmaBackend rma, Function<Caller, Access> access)
        implements QueryService {

    @Override
    public QueryResult select(Caller caller, String sql, QueryOptions options) {
        return engine.select(registry, rma, access.apply(caller), sql, options);
    }

    @Override
    public ReadPlan explain(Caller caller, String sql, QueryOptions options) {
        return engine.explain(registry, access.apply(caller), sql, options);
    }

    @Override
    public TagSelection selectTags(Caller caller, String sql, QueryOptions options) {
        return engine.selectTags(registry, access.apply(caller), sql, options);
    }

    @Override
    public List<TagValue> read(List<Allocation> allocations) {
        return engine.read(rma, allocations);
    }
}
