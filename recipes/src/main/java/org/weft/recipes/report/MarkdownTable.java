package org.weft.recipes.report;

import java.util.List;

/**
 * Renders a {@link Table} as a GitHub-flavoured Markdown table: a bold title line, the table, and the note in
 * italics under it. Cells are escaped so that a {@code |} or a line break inside a cell cannot break the table.
 */
public final class MarkdownTable {

    private MarkdownTable() {
    }

    /** The table with its title and note, ending in a blank line. */
    public static String render(Table table) {
        StringBuilder out = new StringBuilder();
        if (table.title() != null && !table.title().isBlank()) {
            out.append("**").append(cell(table.title())).append("**\n\n");
        }
        out.append(grid(table.columns(), table.rows()));
        if (table.note() != null && !table.note().isBlank()) {
            out.append('\n').append('*').append(cell(table.note())).append("*\n");
        }
        return out.append('\n').toString();
    }

    /**
     * Just the grid: header row, separator, body rows. Columns whose body cells all look like numbers are
     * right-aligned so their digits line up when the Markdown is read as text.
     */
    public static String grid(List<String> columns, List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        out.append('|');
        for (String c : columns) {
            out.append(' ').append(cell(c)).append(" |");
        }
        out.append("\n|");
        for (int j = 0; j < columns.size(); j++) {
            out.append(numericColumn(rows, j) ? "---:|" : "---|");
        }
        out.append('\n');
        for (List<String> row : rows) {
            out.append('|');
            for (String c : row) {
                out.append(' ').append(cell(c)).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static boolean numericColumn(List<List<String>> rows, int j) {
        boolean any = false;
        for (List<String> row : rows) {
            String c = row.get(j) == null ? "" : row.get(j).strip();
            if (c.isEmpty() || c.equals("-") || c.equals("—")) {
                continue;
            }
            if (!c.matches("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?\\s*%?( ± [0-9.]+\\s*%?)?")) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** One cell's text made safe for a table: pipes escaped, line breaks as spaces. */
    static String cell(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("|", "\\|").replace("\r\n", " ").replace('\n', ' ')
                .replace('\r', ' ');
    }
}
