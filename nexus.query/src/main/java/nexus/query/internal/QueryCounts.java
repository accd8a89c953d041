package nexus.query.internal;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import nexus.core.MetricFamily;
import nexus.core.MetricsSource;
import nexus.query.QueryStats;

/**
 * What the engine's queries answered, whoever called them (HTTP, the shell, another bundle): queries,
 * their rows, RMA block reads and bytes read. Counted once per successful select; a refused or failed
 * query counts nothing here (admission figures say what was refused). Thread-safe and cheap (adders).
 * Public only so that tests of other bundles can render these families with the rest of a node.
 */
public final class QueryCounts implements MetricsSource {

    private final LongAdder queries = new LongAdder();
    private final LongAdder rows = new LongAdder();
    private final LongAdder blocks = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    /** Counts one query that answered with these figures. */
    public void count(QueryStats stats) {
        queries.increment();
        rows.add(stats.rows());
        blocks.add(stats.blocks());
        bytes.add(stats.bytesRead());
    }

    @Override
    public List<MetricFamily> metrics() {
        return List.of(
                MetricFamily.single("nexus_queries_total", MetricFamily.Type.COUNTER, "Queries answered, whoever called them (HTTP API, shell, other bundles).", queries.sum()),
                MetricFamily.single("nexus_query_rows_total", MetricFamily.Type.COUNTER, "Rows returned by queries.",
                        rows.sum()),
                MetricFamily.single("nexus_query_blocks_total", MetricFamily.Type.COUNTER, "RMA block reads done for queries.",
                        blocks.sum()),
                MetricFamily.single("nexus_query_read_bytes_total", MetricFamily.Type.COUNTER, "Bytes read from RMA for queries.",
                        bytes.sum()));
    }
}
