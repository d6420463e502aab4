package org.weft.recipes.report;

import java.util.List;

/**
 * A table for a run's report: a title, column headers, rows of already formatted cells, and a note printed
 * under it (the protocol, what a dash means). Written as JSON into the run folder and rendered as Markdown.
 */
public record Table(String title, List<String> columns, List<List<String>> rows, String note) {

    public Table {
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("table '" + title + "' has " + columns.size()
                        + " columns but a row of " + row.size() + " cells: " + row);
            }
        }
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
    }
}
