package nexus.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import nexus.query.Quality;
import nexus.query.QueryResult;
import nexus.query.QueryStats;
import nexus.query.ReadPlan;
import nexus.query.TagValue;

class QueryTextTest {

    private static final QueryStats STATS = new QueryStats(2, 2, 1, 1, 8, 8, false, 100_000, 200_000, 10_000, 20_000, 30_000);

    @Test
    void showsCellsThenValueQualityAndTime() {
        QueryResult result = new QueryResult(List.of("id", "path"), List.of(
                new QueryResult.Row(Arrays.asList(1L, "plant/tt101"), new TagValue(21.5f, Quality.GOOD, 1_795_000_000_000_000_000L)),
                new QueryResult.Row(Arrays.asList(2L, null), new TagValue(null, Quality.BAD_NO_BACKEND, 0))), true, 3, STATS);

        assertThat(QueryText.table(result)).isEqualTo("""
                id  path         value  quality         ts
                1   plant/tt101  21.5   GOOD            2026-11-18T11:06:40Z
                2                       BAD_NO_BACKEND
                2 rows (truncated: more matched), registry version 3, 1 blocks / 8 bytes read in 0.36 ms
                """);
    }

    @Test
    void metadataRowsHaveNoValueColumns() {
        QueryResult result = new QueryResult(List.of("unit", "n"), List.of(new QueryResult.Row(Arrays.asList("degC", 12L), null)),
                false, 1, STATS);

        assertThat(QueryText.table(result)).startsWith("unit  n\ndegC  12\n");
    }

    @Test
    void showsThePlan() {
        ReadPlan plan = new ReadPlan(2, 5, List.of(new ReadPlan.BankReads(0, "process",
                List.of(new ReadPlan.Block(0, 16, 4), new ReadPlan.Block(256, 4, 1)))), 64, 4096);

        assertThat(QueryText.plan(plan)).isEqualTo("""
                5 tags, 2 blocks, 20 bytes (merge gap 64, block 4096, registry version 2)
                  bank process (0)
                    bytes 0..16  16 bytes  4 tags
                    bytes 256..260  4 bytes  1 tags
                """);
    }
}
