package io.github.nestedvirt.result;

import java.util.List;

/** Rows of text in aligned columns, for terminals and build logs. */
public final class TextTable {

    private TextTable() {
    }

    /** Appends {@code rows} (the first one being the header) with every column as wide as its widest cell. */
    public static void append(StringBuilder text, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < row.length; i++) {
                line.append(' ').append(row[i]).append(" ".repeat(widths[i] - row[i].length()));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
