package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nexus.core.ErrorCode;
import nexus.core.NexusException;
import nexus.query.QueryOptions;
import nexus.query.QueryResult;

/**
 * Hostile SQL against a real registry file: every input in attack-corpus.tsv is rejected by the
 * guard (R) or, where it is SQL the guard may let through, bounded by the row cap, SQLite's limits
 * or the time limit (B). Afterwards the registry file is byte-identical.
 */
class AttackCorpusTest {

    @TempDir
    static Path dir;

    static Fixture plant;

    static final int LIMIT = 100;

    @BeforeAll
    static void plant() {
        plant = new Fixture(dir, 500, new Limits(LIMIT, LIMIT, 300, 65_536, 64, 4_096, 16));
    }

    @AfterAll
    static void close() {
        plant.close();
    }

    record Attack(int line, boolean mustReject, String sql) {
    }

    static List<Attack> corpus() throws IOException {
        List<Attack> attacks = new ArrayList<>();
        try (InputStream in = AttackCorpusTest.class.getResourceAsStream("/attack-corpus.tsv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                int tab = line.indexOf('\t');
                attacks.add(new Attack(i + 1, line.charAt(0) == 'R', unescape(line.substring(tab + 1))));
            }
        }
        return attacks;
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String digest(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** @return what happened, for the failure message: "rejected: …", "timeout", or "rows N" */
    static String attack(String sql) {
        try {
            QueryResult result = plant.engine.select(plant.registry, plant.rma, sql, QueryOptions.DEFAULT);
            assertThat(result.rows().size()).as(sql).isLessThanOrEqualTo(LIMIT);
            return "rows " + result.rows().size();
        } catch (NexusException e) {
            assertThat(e.code()).as(sql).isIn(ErrorCode.QUERY_REJECTED, ErrorCode.QUERY_TIMEOUT);
            assertThat(e.getMessage()).as(sql).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
            return e.code() == ErrorCode.QUERY_REJECTED ? "rejected: " + e.getMessage() : "timeout";
        }
    }

    @Test
    void everyAttackIsRejectedOrBoundedAndTheRegistryIsUntouched() throws Exception {
        List<Attack> attacks = corpus();
        assertThat(attacks).hasSizeGreaterThanOrEqualTo(200);
        String before = digest(plant.file);
        List<String> leaks = new ArrayList<>();

        for (Attack attack : attacks) {
            String outcome = attack(attack.sql());
            if (attack.mustReject() && !outcome.startsWith("rejected")) {
                leaks.add("line " + attack.line() + ": " + attack.sql() + " -> " + outcome);
            }
        }
        assertThat(leaks).as("inputs the guard should have refused").isEmpty();
        assertThat(digest(plant.file)).isEqualTo(before);
        assertThat(plant.engine.select(plant.registry, plant.rma, "SELECT count(*) FROM tags", QueryOptions.DEFAULT)
                .rows().get(0).cells().get(0)).as("the registry still answers").isEqualTo((long) plant.registry.index().size());
    }

    @Test
    void oversizedAndDeeplyNestedSqlIsRejected() {
        String huge = "SELECT path FROM tags WHERE path = '" + "x".repeat(70_000) + "'";
        String deep = "SELECT " + "(".repeat(5_000) + "1" + ")".repeat(5_000) + " FROM tags";

        assertThat(attack(huge)).isEqualTo("rejected: the SQL is 70037 characters; the limit is 65536");
        assertThat(attack(deep)).startsWith("rejected: ");
    }
}
