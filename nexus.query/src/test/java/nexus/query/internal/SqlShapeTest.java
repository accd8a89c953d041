package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import nexus.core.ErrorCode;
import nexus.core.NexusException;

class SqlShapeTest {

    private static SqlShape.Measure measure(String sql) {
        return SqlShape.measure(sql);
    }

    @Test
    void realNamespaceQueriesAreShallowAndShort() {
        assertThat(measure("SELECT id, path FROM tags WHERE path LIKE 'site1/%' AND unit = '°C' ORDER BY path LIMIT 5"))
                .isEqualTo(new SqlShape.Measure(0, 3));
        assertThat(measure("SELECT a.name, t.path FROM alarms a JOIN tags t ON t.id = a.tag_id WHERE a.severity >= 2"
                + " AND (t.path LIKE 'a/%' OR t.path LIKE 'b/%')")).isEqualTo(new SqlShape.Measure(1, 5));
        assertThat(measure("SELECT CASE WHEN x > 1 THEN 'hi' WHEN x < 0 THEN 'lo' ELSE 'ok' END FROM tags"))
                .isEqualTo(new SqlShape.Measure(1, 1));
    }

    @Test
    void chainsAddUpThroughParenthesesButNotAcrossCommasOrClauses() {
        assertThat(measure("SELECT 1 + (2 + (3 + 4))").chain()).isEqualTo(3);
        assertThat(measure("SELECT 1 + 2, 3 + 4 FROM tags WHERE a = 1").chain()).isEqualTo(1);
        assertThat(measure("SELECT abs(1 + 2 + 3) + 1").chain()).isEqualTo(3);
        assertThat(measure("SELECT - - - 1").chain()).isEqualTo(3);
        assertThat(measure("SELECT NOT NOT 1 OR 2").chain()).isEqualTo(3);
        assertThat(measure("SELECT a || b <= c").chain()).isEqualTo(2);
    }

    @Test
    void literalsIdentifiersAndCommentsAreSkipped() {
        assertThat(measure("SELECT '((( + + + ''(('")).isEqualTo(new SqlShape.Measure(0, 0));
        assertThat(measure("SELECT \"a+b\", `c(d`, [e)f] FROM tags")).isEqualTo(new SqlShape.Measure(0, 0));
        assertThat(measure("SELECT 1 -- ((((+\n/* CASE CASE (( */")).isEqualTo(new SqlShape.Measure(0, 0));
        assertThat(measure("SELECT x'2B2B' FROM tags")).isEqualTo(new SqlShape.Measure(0, 0));
        assertThat(measure("SELECT 'unterminated ((((")).isEqualTo(new SqlShape.Measure(0, 0));
    }

    @Test
    void caseNestsLikeAParenthesis() {
        assertThat(measure("SELECT CASE WHEN 1 THEN CASE WHEN 2 THEN CASE 3 WHEN 3 THEN 1 END END END").depth()).isEqualTo(3);
    }

    @Test
    void theLimitsThemselvesAreAcceptedAndOneMoreIsRefusedNamingTheLimit() {
        SqlShape.check("SELECT " + "(".repeat(SqlShape.MAX_DEPTH) + "1" + ")".repeat(SqlShape.MAX_DEPTH));
        SqlShape.check("SELECT 1" + " + 1".repeat(SqlShape.MAX_CHAIN));

        assertThatThrownBy(() -> SqlShape.check("SELECT " + "(".repeat(33) + "1" + ")".repeat(33)))
                .isInstanceOfSatisfying(NexusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.QUERY_REJECTED))
                .hasMessage("the SQL nests parentheses, subqueries or CASE 33 levels deep; the limit is 32");
        assertThatThrownBy(() -> SqlShape.check("SELECT 1" + " OR 1".repeat(201)))
                .isInstanceOfSatisfying(NexusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.QUERY_REJECTED))
                .hasMessageStartingWith("the SQL chains 201 operators").hasMessageContaining("the limit is 200");
    }

    @Test
    void unclosedAndExtremeNestingIsCountedWithoutGrowingMemory() {
        assertThat(measure("SELECT " + "(".repeat(60_000)).depth()).isEqualTo(60_000);
        assertThat(measure("SELECT " + ")".repeat(60_000) + "(1)").depth()).isEqualTo(1);
        assertThat(measure("SELECT " + "END ".repeat(1_000) + "CASE WHEN 1 THEN 1 END").depth()).isEqualTo(1);
    }
}
