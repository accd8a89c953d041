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

    /** Generated inputs too long for the corpus file: deep nesting and long chains of every kind. */
    static List<Attack> generated() {
        List<Attack> attacks = new ArrayList<>();
        attacks.add(new Attack(0, true, "SELECT 1" + "+1".repeat(5_000)));
        attacks.add(new Attack(0, true, "SELECT 1" + " AND 1".repeat(5_000)));
        attacks.add(new Attack(0, true, "SELECT path FROM tags WHERE " + "path = 'a' OR ".repeat(3_000) + "path = 'b'"));
        attacks.add(new Attack(0, true, "SELECT path FROM tags WHERE path" + " || 'x'".repeat(5_000) + " = 'y'"));
        attacks.add(new Attack(0, true, "SELECT " + "NOT ".repeat(5_000) + "1"));
        attacks.add(new Attack(0, true, "SELECT " + "- ".repeat(5_000) + "1"));
        attacks.add(new Attack(0, true, "SELECT " + "~".repeat(5_000) + "1"));
        attacks.add(new Attack(0, true, "SELECT " + "+".repeat(5_000) + "1"));
        attacks.add(new Attack(0, true, "SELECT path FROM tags WHERE path" + " IS NOT NULL".repeat(3_000)));
        attacks.add(new Attack(0, true, "SELECT path" + " COLLATE NOCASE".repeat(3_000) + " FROM tags"));
        attacks.add(new Attack(0, true, "SELECT " + "(".repeat(5_000) + "1" + ")".repeat(5_000) + " FROM tags"));
        attacks.add(new Attack(0, true, "SELECT " + "(".repeat(40) + "1" + ")".repeat(40) + " FROM tags"));
        attacks.add(new Attack(0, true, "SELECT " + "(".repeat(5_000) + "1"));
        attacks.add(new Attack(0, true, "SELECT " + "abs(".repeat(2_000) + "1" + ")".repeat(2_000)));
        attacks.add(new Attack(0, true, "SELECT " + "CASE WHEN 1 THEN ".repeat(2_000) + "1" + " END".repeat(2_000)));
        attacks.add(new Attack(0, true, "SELECT " + "CASE 1 WHEN ".repeat(2_000) + "1 THEN 1" + " END".repeat(2_000)));
        attacks.add(new Attack(0, true, "SELECT " + "(SELECT ".repeat(1_000) + "1" + ")".repeat(1_000)));
        attacks.add(new Attack(0, true, "SELECT path FROM tags WHERE id IN " + "(SELECT id FROM tags WHERE id IN ".repeat(500)
                + "(1)" + ")".repeat(500)));
        attacks.add(new Attack(0, true, "SELECT path FROM tags WHERE " + "EXISTS (SELECT 1 WHERE ".repeat(500) + "1"
                + ")".repeat(500)));
        attacks.add(new Attack(0, true, "WITH " + "a AS (".repeat(1_000) + "SELECT 1" + ")".repeat(1_000) + " SELECT 1"));
        attacks.add(new Attack(0, true, "SELECT 1 FROM tags WHERE " + "id BETWEEN 1 AND ".repeat(2_000) + "2"));
        attacks.add(new Attack(0, true, "SELECT 1 WHERE 1 IN (" + "1 IN (".repeat(2_000) + "1" + ")".repeat(2_001)));
        attacks.add(new Attack(0, true, "SELECT " + "cast(".repeat(2_000) + "1" + " AS INTEGER)".repeat(2_000)));
        attacks.add(new Attack(0, true, "SELECT " + "coalesce(1, ".repeat(2_000) + "1" + ")".repeat(2_000)));
        // Long but flat: may run, must stay bounded.
        attacks.add(new Attack(0, false, "SELECT CASE" + " WHEN id = 1 THEN 'a'".repeat(2_000)
                + " END FROM tags"));
        attacks.add(new Attack(0, false, "SELECT path FROM tags WHERE id IN (" + "1, ".repeat(12_000) + "2)"));
        attacks.add(new Attack(0, false, "SELECT path FROM tags WHERE path IN (" + "'a/b', ".repeat(6_000) + "'c')"));
        attacks.add(new Attack(0, false, "SELECT 1" + " UNION SELECT 1".repeat(3_000)));
        attacks.add(new Attack(0, false, "SELECT 1" + " UNION ALL SELECT 1 FROM tags WHERE 1 = 1".repeat(1_200)));
        attacks.add(new Attack(0, false, "SELECT t0.path FROM tags t0" + " JOIN tags t ON 1".repeat(1_000)));
        attacks.add(new Attack(0, false, "SELECT " + "1, ".repeat(10_000) + "1"));
        attacks.add(new Attack(0, false, "SELECT 'a" + "x".repeat(60_000) + "'"));
        attacks.add(new Attack(0, false, "SELECT '" + "''".repeat(30_000) + "'"));
        attacks.add(new Attack(0, false, "SELECT \"" + "p".repeat(60_000) + "\" FROM tags"));
        attacks.add(new Attack(0, false, "SELECT 1 -- " + "(".repeat(60_000)));
        attacks.add(new Attack(0, false, "SELECT 1 /* " + "CASE ".repeat(12_000) + "*/"));
        attacks.add(new Attack(0, false, "SELECT '" + "(".repeat(60_000) + "'"));
        attacks.add(new Attack(0, false, "SELECT x'" + "00".repeat(30_000) + "'"));
        // Unicode: emoji, combining marks, bidi overrides, zero-width characters, fullwidth
        // parentheses, lone surrogates, in literals, identifiers and keywords.
        attacks.add(new Attack(0, false, "SELECT '\uD83D\uDE00' || 'e\u0301' || '\u202Egnp.exe' FROM tags LIMIT 1"));
        attacks.add(new Attack(0, false, "SELECT path FROM tags WHERE path = '\uD800'"));
        attacks.add(new Attack(0, true, "SEL\u200BECT path FROM tags"));
        attacks.add(new Attack(0, true, "SELECT \uFF081\uFF09 FROM tags; DELETE FROM tag"));
        attacks.add(new Attack(0, true, "SELECT path FROM tags\u037E DELETE FROM tag"));
        attacks.add(new Attack(0, true, "SELECT path FROM \u0074ag"));
        attacks.add(new Attack(0, true, "SELECT path FROM ta\u0261s"));
        attacks.add(new Attack(0, false, "SELECT " + "\uD83D\uDE00".repeat(30_000)));
        attacks.add(new Attack(0, true, "SELECT " + "\uFF08".repeat(5_000) + "1"));
        attacks.add(new Attack(0, true, "SELECT 1" + "\u00A0+\u00A01".repeat(5_000)));
        attacks.add(new Attack(0, true, "SELECT 1" + "\u2003AND\u20031".repeat(5_000)));
        // Quoting the scanner and the parser might read differently: depth hidden from one of them.
        attacks.add(new Attack(0, true, "SELECT '\\'', " + "(".repeat(3_000) + "1" + ")".repeat(3_000) + ", ''"));
        attacks.add(new Attack(0, true, "SELECT [" + "(".repeat(3_000) + "1" + ")".repeat(3_000) + "]"));
        attacks.add(new Attack(0, true, "SELECT $$" + "(".repeat(3_000) + "1" + ")".repeat(3_000) + "$$"));
        attacks.add(new Attack(0, true, "SELECT E'\\'', " + "1+".repeat(3_000) + "1, ''"));
        attacks.add(new Attack(0, true, "SELECT 1 # " + "(".repeat(3_000) + "\n1"));
        attacks.add(new Attack(0, true, "SELECT 1 // " + "+1".repeat(3_000) + "\n"));
        attacks.add(new Attack(0, true, "SELECT \"a\\\"\", " + "NOT ".repeat(3_000) + "1, \"\""));
        attacks.add(new Attack(0, true, "SELECT `a\\``, " + "- ".repeat(3_000) + "1, ``"));
        attacks.add(new Attack(0, true, "SELECT {fn " + "abs(".repeat(3_000) + "1" + ")".repeat(3_000) + "}"));
        return attacks;
    }

    /**
     * Deep and long SQL never gets to overflow a stack: every generated attack is refused or bounded
     * even on a thread with a small stack (a request thread's is not larger), and the refusals of the
     * nesting and chain bounds name the limit.
     */
    @Test
    void deepAndLongSqlIsRefusedBeforeItCanExhaustTheStack() throws Exception {
        String before = digest(plant.file);
        List<String> outcomes = new ArrayList<>();
        Throwable[] escaped = new Throwable[1];
        Thread small = new Thread(null, () -> {
            try {
                for (Attack attack : generated()) {
                    outcomes.add(attack(attack.sql()));
                }
            } catch (Throwable t) {
                escaped[0] = t;
            }
        }, "small-stack", 256 * 1024);
        small.start();
        small.join();
        assertThat(escaped[0]).as("an attack escaped the guard").isNull();
        List<Attack> attacks = generated();
        List<String> leaks = new ArrayList<>();
        for (int i = 0; i < attacks.size(); i++) {
            String sql = attacks.get(i).sql();
            String shown = sql.length() > 80 ? sql.substring(0, 80) + "…" : sql;
            if (attacks.get(i).mustReject() && !outcomes.get(i).startsWith("rejected")) {
                leaks.add("#" + i + " " + shown + " -> " + outcomes.get(i));
            }
        }
        assertThat(leaks).as("inputs the guard should have refused").isEmpty();
        assertThat(outcomes.get(0)).isEqualTo("rejected: the SQL chains 5000 operators (such as +, ||, =, AND, OR, NOT)"
                + " into one expression; the limit is 200: use IN (…) for long lists of values");
        assertThat(outcomes.get(11)).isEqualTo("rejected: the SQL nests parentheses, subqueries or CASE 40 levels deep;"
                + " the limit is 32");
        assertThat(digest(plant.file)).isEqualTo(before);
    }

    @Test
    void oversizedAndDeeplyNestedSqlIsRejected() {
        String huge = "SELECT path FROM tags WHERE path = '" + "x".repeat(70_000) + "'";
        String deep = "SELECT " + "(".repeat(5_000) + "1" + ")".repeat(5_000) + " FROM tags";

        assertThat(attack(huge)).isEqualTo("rejected: the SQL is 70037 characters; the limit is 65536");
        assertThat(attack(deep)).startsWith("rejected: ");
    }
}
