package nexus.shell.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Aligned console columns: each as wide as its widest cell, up to a limit; longer cells are cut with "…".
 * Also the console's one way of writing a point in time.
 */
final class TextTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private TextTable() {
    }

    static void render(StringBuilder out, List<String> header, List<List<String>> rows, int widest) {
        lines(header, rows, widest).forEach(line -> out.append(line).append('\n'));
    }

    /** @return the header's line, then one line per row, without line breaks */
    static List<String> lines(List<String> header, List<List<String>> rows, int widest) {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.min(widest, Math.max(widths[c], row.get(c).length()));
            }
        }
        List<String> lines = new ArrayList<>(rows.size() + 1);
        lines.add(line(header, widths));
        for (List<String> row : rows) {
            lines.add(line(row, widths));
        }
        return lines;
    }

    /** @return the instant in UTC to the second, {@code 2026-12-06 15:04:17Z}; empty for {@code null} */
    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            if (cell.length() > widths[c]) {
                cell = cell.substring(0, widths[c] - 1) + "…";
            }
            line.append(String.format("%-" + widths[c] + "s", cell)).append("  ");
        }
        return line.toString().stripTrailing();
    }
}
