package nexus.shell.internal;

import java.util.List;

/** Aligned console columns: each as wide as its widest cell, up to a limit; longer cells are cut with "…". */
final class TextTable {

    private TextTable() {
    }

    static void render(StringBuilder out, List<String> header, List<List<String>> rows, int widest) {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.min(widest, Math.max(widths[c], row.get(c).length()));
            }
        }
        line(out, header, widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            if (cell.length() > widths[c]) {
                cell = cell.substring(0, widths[c] - 1) + "…";
            }
            line.append(String.format("%-" + widths[c] + "s", cell)).append("  ");
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
