package nexus.query.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * CSV cells of a snapshot (RFC 4180), safe to open in a spreadsheet.
 *
 * <p>Formula injection: a spreadsheet runs a cell that begins with {@code =}, {@code +}, {@code -} or
 * {@code @} as a formula (and a leading tab or carriage return hides such a start), so a tag path or a
 * STRING value chosen by whoever wrote the registry or the value could run on the operator's machine.
 * Such text cells get a leading {@code '}, which spreadsheets show but do not keep as part of the
 * value; a text cell that begins with {@code '} itself gets one too, so {@link #restored} can always
 * take the first {@code '} away and a round trip is exact. Numbers are left as they are: a cell that
 * is a plain number ({@code -3.5}, {@code -1.0E-5}) is a number to a spreadsheet, not a formula, and
 * must stay one; only cells matching {@link #NUMBER} count as numbers, so {@code -2+3} is neutralised.
 *
 * <p>A tag path that begins with {@code #} gets a leading {@code '} as well ({@link #path}), so the
 * trailer and error rows ({@code #end}, {@code #error}) can never be taken for a tag's row.
 *
 * <p>A cell holding a comma, a quote or a line break is quoted, quotes doubled. An empty cell is a
 * missing value; an empty text is written {@code ""}: {@link #READ} tells them apart.
 */
final class CsvCells {

    /** A plain number as Java prints Long, Float and Double values: never a formula. */
    static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?(E-?[0-9]+)?");

    private CsvCells() {
    }

    /** @return the text as a cell: neutralised, then quoted when needed */
    static String text(String text) {
        if (text.isEmpty()) {
            return "\"\"";
        }
        return quoted(neutralised(text));
    }

    /** @return a number's cell: as it is when it is a plain number, else treated as text (NaN, -Infinity) */
    static String number(String number) {
        return NUMBER.matcher(number).matches() ? number : text(number);
    }

    /**
     * @return a tag path's cell: as {@link #text}, and a path that begins with {@code #} gets a leading
     *         {@code '} too, so the first cell of a tag row never begins with {@code #}: a row whose
     *         first cell is {@code #end} or {@code #error} is always the trailer or the error row
     */
    static String path(String path) {
        return path.startsWith("#") ? quoted("'" + path) : text(path);
    }

    /** @return the text with a leading {@code '} when a spreadsheet could take it for a formula */
    static String neutralised(String text) {
        if (text.isEmpty()) {
            return text;
        }
        char first = text.charAt(0);
        boolean risky = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                || first == '\'';
        return risky ? "'" + text : text;
    }

    /** @return the text a neutralised cell stood for */
    static String restored(String cell) {
        return cell.startsWith("'") ? cell.substring(1) : cell;
    }

    private static String quoted(String cell) {
        boolean needs = false;
        for (int i = 0; i < cell.length() && !needs; i++) {
            char c = cell.charAt(i);
            needs = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return needs ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }

    /**
     * How a snapshot's CSV is read back (commons-csv, as a tag list's CSV is): RFC 4180 records, a
     * quoted cell's characters kept exactly (a carriage return in a text stays one), blank lines
     * skipped, and an empty unquoted cell read as {@code null} (a missing value) while {@code ""} is an
     * empty text.
     */
    static final CSVFormat READ = CSVFormat.DEFAULT.builder().setQuoteMode(QuoteMode.ALL_NON_NULL)
            .setIgnoreEmptyLines(true).get();

    /** @return the record's cells, {@code null} for an empty unquoted one */
    static List<String> cells(CSVRecord record) {
        List<String> cells = new ArrayList<>(record.size());
        record.forEach(cells::add);
        return cells;
    }
}
