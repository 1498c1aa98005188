package io.switchboard.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A text table in the layout of Karaf's {@code ShellTable} in ASCII: a header line, a rule, one
 * line per row, each cell padded to its column's width, cells parted by {@code " | "}, trailing
 * blanks cut. The Karaf actions and the Gogo functions both print through it, so both shells show
 * the same text, and a script (or a test) can split a row on {@code '|'}.
 *
 * <p>Not thread-safe: one command call builds it and prints it.
 */
final class Table {
    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> rightAligned = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    Table left(String header) {
        return column(header, false);
    }

    /** A column for numbers and durations, which read best aligned on their last digit. */
    Table right(String header) {
        return column(header, true);
    }

    private Table column(String header, boolean right) {
        headers.add(header);
        rightAligned.add(right);
        return this;
    }

    /** One row, a cell per column; null prints as nothing, and a line break as a blank so that a row stays one line. */
    void row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        String[] texts = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            texts[i] = cells[i] == null ? "" : cells[i].toString().replaceAll("\\R", " ");
        }
        rows.add(texts);
    }

    void print(PrintStream out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        out.println(line(headers.toArray(String[]::new), widths));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.println(rule);
        for (String[] row : rows) {
            out.println(line(row, widths));
        }
        out.flush();
    }

    private String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String padding = " ".repeat(widths[i] - cells[i].length());
            line.append(i == 0 ? "" : " | ");
            line.append(rightAligned.get(i) ? padding + cells[i] : cells[i] + padding);
        }
        return line.toString().stripTrailing();
    }
}
