package nexus.shell.internal;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.QueryOptions;
import nexus.query.QueryService;

/** {@code nexus:query "<sql>"} and {@code nexus:explain "<sql>"}. */
@Component(service = QueryCommands.class, property = {
        "osgi.command.scope=nexus",
        "osgi.command.function=query",
        "osgi.command.function=explain" })
public final class QueryCommands {

    /** Rows a console query shows at most, unless asked for more. */
    static final int CONSOLE_ROWS = 50;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile QueryService queries;

    @Descriptor("run a SELECT over the registry's views and show the rows with live values (at most 50 rows)")
    public String query(@Descriptor("the SELECT, quoted: \"SELECT id, path FROM tags WHERE path LIKE 'site1/%'\"") String sql) {
        return QueryText.table(service().select(Console.operator(), sql, QueryOptions.limit(CONSOLE_ROWS)));
    }

    @Descriptor("run a SELECT and show up to LIMIT rows")
    public String query(@Descriptor("the most rows to show") int limit, @Descriptor("the SELECT, quoted") String sql) {
        return QueryText.table(service().select(Console.operator(), sql, QueryOptions.limit(Math.max(1, limit))));
    }

    @Descriptor("show the RMA reads a SELECT needs: per bank, the merged blocks")
    public String explain(@Descriptor("the SELECT, quoted") String sql) {
        return QueryText.plan(service().explain(Console.operator(), sql, QueryOptions.DEFAULT));
    }

    private QueryService service() {
        QueryService current = queries;
        if (current == null) {
            throw new NexusException(ErrorCode.BACKEND_UNAVAILABLE, "the query service is not running: see nexus:health");
        }
        return current;
    }
}
