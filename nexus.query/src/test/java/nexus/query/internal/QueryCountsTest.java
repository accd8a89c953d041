package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.MetricFamily;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;
import nexus.query.QueryStats;

/** Query figures belong to the engine: every caller's successful select is counted, whoever called it. */
class QueryCountsTest {

    @TempDir
    Path dir;

    private static double value(QueryCounts counts, String name) {
        return counts.metrics().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().samples().get(0)
                .value();
    }

    @Test
    void queriesCountRowsBlocksAndBytes() {
        QueryCounts counts = new QueryCounts();
        counts.count(new QueryStats(10, 10, 1, 2, 4096, 40, false, 0, 0, 0, 0, 0));
        counts.count(new QueryStats(5, 0, 1, 1, 100, 0, true, 0, 0, 0, 0, 0));

        assertThat(value(counts, "nexus_queries_total")).isEqualTo(2);
        assertThat(value(counts, "nexus_query_rows_total")).isEqualTo(15);
        assertThat(value(counts, "nexus_query_blocks_total")).isEqualTo(3);
        assertThat(value(counts, "nexus_query_read_bytes_total")).isEqualTo(4196);
        assertThat(counts.metrics()).extracting(MetricFamily::name, MetricFamily::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("nexus_queries_total", MetricFamily.Type.COUNTER),
                org.assertj.core.groups.Tuple.tuple("nexus_query_rows_total", MetricFamily.Type.COUNTER),
                org.assertj.core.groups.Tuple.tuple("nexus_query_blocks_total", MetricFamily.Type.COUNTER),
                org.assertj.core.groups.Tuple.tuple("nexus_query_read_bytes_total", MetricFamily.Type.COUNTER));
    }

    @Test
    void aSelectThroughTheEngineIsCountedWithoutHttp() {
        try (Fixture plant = new Fixture(dir, 200, Limits.DEFAULT)) {
            QueryCounts counts = plant.engine.counts();
            assertThat(value(counts, "nexus_queries_total")).isZero();

            QueryResult result = plant.engine.select(plant.registry, plant.rma,
                    "SELECT id, path FROM tags ORDER BY path LIMIT 7", QueryOptions.DEFAULT);
            QueryResult metadata = plant.engine.select(plant.registry, plant.rma, "SELECT count(*) FROM tags",
                    QueryOptions.DEFAULT);

            assertThat(result.stats().blocks()).isPositive();
            assertThat(value(counts, "nexus_queries_total")).isEqualTo(2);
            assertThat(value(counts, "nexus_query_rows_total")).isEqualTo(7 + 1);
            assertThat(value(counts, "nexus_query_blocks_total"))
                    .isEqualTo(result.stats().blocks() + metadata.stats().blocks());
            assertThat(value(counts, "nexus_query_read_bytes_total"))
                    .isEqualTo(result.stats().bytesRead() + metadata.stats().bytesRead());
        }
    }

    @Test
    void aRefusedQueryCountsNothing() {
        try (Fixture plant = new Fixture(dir, 50, Limits.DEFAULT)) {
            assertThatThrownBy(() -> plant.engine.select(plant.registry, plant.rma, "DELETE FROM tags", QueryOptions.DEFAULT));

            assertThat(value(plant.engine.counts(), "nexus_queries_total")).isZero();
            assertThat(value(plant.engine.counts(), "nexus_query_rows_total")).isZero();
        }
    }
}
