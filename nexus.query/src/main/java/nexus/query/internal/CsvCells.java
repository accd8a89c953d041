package nexus.query.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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
 * <p>A cell holding a comma, a quote or a line break is quoted, quotes doubled. An empty cell is a
 * missing value; an empty text is written {@code ""}: {@link #split} tells them apart.
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
     * Splits one record into cells; {@code null} stands for an empty unquoted cell (a missing value).
     *
     * @param next gives the next physical line when a quoted cell spans lines, or {@code null} at the end
     * @throws IllegalArgumentException when a quote is not closed, or text follows a closing quote
     */
    static List<String> split(String line, java.util.function.Supplier<String> next) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        String rest = line;
        int i = 0;
        while (true) {
            if (i < rest.length() && rest.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i == rest.length()) {
                        String more = next.get();
                        if (more == null) {
                            throw new IllegalArgumentException("a quoted cell is not closed before the end of the file");
                        }
                        cell.append('\n');
                        rest = more;
                        i = 0;
                        continue;
                    }
                    char c = rest.charAt(i++);
                    if (c == '"') {
                        if (i < rest.length() && rest.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        cell.append(c);
                    }
                }
                if (i < rest.length() && rest.charAt(i) != ',') {
                    throw new IllegalArgumentException("text follows a closing quote at column " + (i + 1));
                }
                cells.add(cell.toString());
            } else {
                int comma = rest.indexOf(',', i);
                String plain = rest.substring(i, comma < 0 ? rest.length() : comma);
                if (plain.indexOf('"') >= 0) {
                    throw new IllegalArgumentException("a quote inside an unquoted cell: quote the cell and double the quote");
                }
                cells.add(plain.isEmpty() ? null : plain);
                i = comma < 0 ? rest.length() : comma;
            }
            cell.setLength(0);
            if (i >= rest.length()) {
                return cells;
            }
            i++; // the comma
            if (i == rest.length()) {
                cells.add(null);
                return cells;
            }
        }
    }
}
