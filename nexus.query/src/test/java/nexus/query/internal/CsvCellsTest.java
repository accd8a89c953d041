package nexus.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.commons.csv.CSVParser;

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
    void textRoundTripsExactly() throws IOException {
        for (String text : List.of("=1+2", "'=1", "''", "a,b", "say \"hi\"", "two\nlines", "a\rb", "a\r\nb\r", "\r", "-", "@",
                "x", "#end")) {
            List<String> cells = read(CsvCells.text(text) + ",next\r\n").get(0);
            assertThat(CsvCells.restored(cells.get(0))).as(text).isEqualTo(text);
            assertThat(cells.get(1)).isEqualTo("next");
        }
    }

    @Test
    void aPathThatBeginsWithAHashNeverStartsItsRowWithOne() throws IOException {
        for (String path : List.of("#end", "#error", "#", "#a,b")) {
            List<String> cells = read(CsvCells.path(path) + ",STRING\r\n").get(0);
            assertThat(cells.get(0)).as(path).doesNotStartWith("#");
            assertThat(CsvCells.restored(cells.get(0))).isEqualTo(path);
        }
        assertThat(CsvCells.path("plant/tank")).isEqualTo("plant/tank");
    }

    @Test
    void anEmptyCellIsMissingAndQuotedEmptyIsEmptyText() throws IOException {
        assertThat(read("a,,\"\",\r\n").get(0)).containsExactly("a", null, "", null);
    }

    @Test
    void refusesAnUnclosedQuote() {
        assertThatThrownBy(() -> read("\"open\r\n")).isInstanceOf(UncheckedIOException.class);
    }

    private static List<List<String>> read(String csv) throws IOException {
        try (CSVParser parser = CSVParser.parse(csv, CsvCells.READ)) {
            return parser.stream().map(CsvCells::cells).toList();
        }
    }
}
