package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.QueryOptions;

/**
 * A mutation fuzzer for the guard and the engine behind it, run briefly in every build: inputs
 * from the attack corpus and from valid queries are cut, spliced, duplicated and sprinkled with
 * SQL tokens, then run. Whatever comes in, the only outcomes are a result within the row cap,
 * QUERY_REJECTED, QUERY_TIMEOUT or INVALID_ARGUMENT (a placeholder without a value), and the
 * registry file stays byte-identical. Seeded, so a failure
 * reproduces; the seed and the input are in the message.
 */
class GuardFuzzTest {

    @TempDir
    static Path dir;

    static Fixture plant;

    static final int LIMIT = 50;

    /** How long the fuzzer runs in the normal build. */
    static final long BUDGET_NANOS = 3_000_000_000L;

    private static final String[] TOKENS = { ";", "--", "/*", "*/", "'", "\"", "`", "[", "]", "(", ")", ",", " ", "\n",
        "SELECT", "FROM", "WHERE", "UNION", "ALL", "WITH", "RECURSIVE", "AS", "DELETE", "UPDATE", "INSERT", "INTO",
        "DROP", "PRAGMA", "ATTACH", "VACUUM", "tags", "tag", "sqlite_master", "main.", "temp.", "load_extension(",
        "randomblob(", "zeroblob(", "count(*)", "1e9", "x'00'", "NULL", "\u0000", "\u00a0", "\u200b", "%", "_", "*",
        "LIKE", "GLOB", "ORDER BY", "LIMIT", "-1", "||", "group_concat(", "replace(", "?", "?1", "?0", ":p", "@p", "$p",
        "CASE WHEN 1 THEN ", " END", "NOT " };

    @BeforeAll
    static void plant() {
        plant = new Fixture(dir, 300, new Limits(LIMIT, LIMIT, 200, 4_096, 64, 4_096, 16));
    }

    @AfterAll
    static void close() {
        plant.close();
    }

    @Test
    void nothingGetsPastTheGuardOrHurtsTheRegistry() throws Exception {
        List<String> seeds = new ArrayList<>();
        AttackCorpusTest.corpus().forEach(a -> seeds.add(a.sql()));
        seeds.add("SELECT id, path FROM tags WHERE path LIKE 'site1/%' ORDER BY path LIMIT 5");
        seeds.add("SELECT unit, count(*) FROM tags GROUP BY unit");
        seeds.add("SELECT a.name, t.path FROM alarms a JOIN tags t ON t.id = a.tag_id");
        String before = AttackCorpusTest.digest(plant.file);
        long seed = Long.getLong("nexus.fuzz.seed", 20261126L);
        SplittableRandom random = new SplittableRandom(seed);
        long deadline = System.nanoTime() + BUDGET_NANOS;
        int runs = 0;
        int accepted = 0;
        while (System.nanoTime() < deadline) {
            String input = mutate(random, seeds);
            try {
                var result = plant.engine.select(plant.registry, plant.rma, input, QueryOptions.DEFAULT);
                assertThat(result.rows().size()).as("seed %d input %s", seed, input).isLessThanOrEqualTo(LIMIT);
                accepted++;
            } catch (NexusException e) {
                // INVALID_ARGUMENT: a mutant with a placeholder (?) and no value for it.
                assertThat(e.code()).as("seed %d input %s", seed, input).isIn(ErrorCode.QUERY_REJECTED, ErrorCode.QUERY_TIMEOUT,
                        ErrorCode.INVALID_ARGUMENT);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " input " + input + " escaped the guard as " + e, e);
            }
            runs++;
        }
        assertThat(runs).as("the fuzzer ran").isGreaterThan(100);
        assertThat(accepted).as("some mutants are valid SQL and ran").isPositive();
        assertThat(AttackCorpusTest.digest(plant.file)).isEqualTo(before);
    }

    static String mutate(SplittableRandom random, List<String> seeds) {
        StringBuilder text = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = text.length() == 0 ? 0 : random.nextInt(text.length() + 1);
            switch (random.nextInt(5)) {
                case 0 -> text.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                case 1 -> {
                    if (text.length() > 0) {
                        int end = Math.min(text.length(), at + 1 + random.nextInt(8));
                        text.delete(Math.min(at, text.length()), end);
                    }
                }
                case 2 -> {
                    String other = seeds.get(random.nextInt(seeds.size()));
                    int from = random.nextInt(other.length() + 1);
                    text.insert(at, other, from, Math.min(other.length(), from + random.nextInt(40)));
                }
                case 3 -> text.insert(at, (char) random.nextInt(0x20, 0x7f));
                default -> text.insert(at, ' ');
            }
        }
        return text.toString();
    }
}
