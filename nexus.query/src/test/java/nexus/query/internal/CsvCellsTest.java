package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;

/** CSV cells: formula injection neutralised, numbers kept, quoting, and exact round trips. */
class CsvCellsTest {

    @Test
    void neutralisesEveryFormulaStart() {
        assertThat(CsvCells.text("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(CsvCells.text("+1")).isEqualTo("'+1");
        assertThat(CsvCells.text("-2+3")).isEqualTo("'-2+3");
        assertThat(CsvCells.text("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvCells.text("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvCells.text("\r=1")).isEqualTo("\"'\r=1\"");
        assertThat(CsvCells.text("'quoted")).as("the escape is escaped").isEqualTo("''quoted");
        assertThat(CsvCells.text("plain")).isEqualTo("plain");
    }

    @Test
    void keepsNumbersNumbers() {
        assertThat(CsvCells.number("-3.5")).isEqualTo("-3.5");
        assertThat(CsvCells.number("-1.0E-5")).isEqualTo("-1.0E-5");
        assertThat(CsvCells.number("42")).isEqualTo("42");
        assertThat(CsvCells.number("-Infinity")).isEqualTo("'-Infinity");
        assertThat(CsvCells.number("NaN")).isEqualTo("NaN");
    }

    @Test
    void textRoundTripsExactly() {
        for (String text : List.of("=1+2", "'=1", "''", "a,b", "say \"hi\"", "two\nlines", "-", "@", "x")) {
            String[] physical = (CsvCells.text(text) + ",next").split("\n", -1);
            Iterator<String> rest = Arrays.asList(physical).subList(1, physical.length).iterator();
            List<String> cells = CsvCells.split(physical[0], () -> rest.hasNext() ? rest.next() : null);
            assertThat(CsvCells.restored(cells.get(0))).as(text).isEqualTo(text);
            assertThat(cells.get(1)).isEqualTo("next");
        }
    }

    @Test
    void anEmptyCellIsMissingAndQuotedEmptyIsEmptyText() {
        assertThat(CsvCells.split("a,,\"\",", () -> null)).containsExactly("a", null, "", null);
    }

    @Test
    void refusesAnUnclosedQuote() {
        assertThatThrownBy(() -> CsvCells.split("\"open", () -> null)).hasMessageContaining("not closed");
        assertThatThrownBy(() -> CsvCells.split("a\"b", () -> null)).hasMessageContaining("quote");
    }
}
