package io.binlogbridge.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A titled Markdown table, as docs/benchmarks.md holds them; its cells as measured stay available for the JSON. */
final class MarkdownTable {
    private final String title;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<List<Object>> cellsAsMeasured = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    MarkdownTable(String title, String... header) {
        this.title = title;
        this.header = List.of(header);
    }

    MarkdownTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException(title + ": " + cells.length + " cells for " + header.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(c instanceof Double d ? number(d) : String.valueOf(c));
        }
        rows.add(row);
        cellsAsMeasured.add(Arrays.asList(cells));
        return this;
    }

    /** The last row as printed, for a progress line. */
    String lastRow() {
        return "| " + String.join(" | ", rows.get(rows.size() - 1)) + " |";
    }

    /** A line printed under the table. */
    MarkdownTable note(String note) {
        notes.add(note);
        return this;
    }

    /** Figures the way the docs print them: 3 significant digits at most, no exponent, "—" when not measured. */
    static String number(double d) {
        if (!Double.isFinite(d)) {
            return "—";
        }
        double abs = Math.abs(d);
        String pattern = abs >= 100 ? "%.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f";
        return String.format(pattern, d);
    }

    /** A ratio as "0.42×". */
    static String ratio(double r) {
        return Double.isFinite(r) ? String.format("%.2f×", r) : "—";
    }

    /** Title, notes and one object per row keyed by the column headers, numbers unrounded (null where not measured). */
    Map<String, Object> toJson() {
        List<Object> objects = new ArrayList<>();
        for (List<Object> cells : cellsAsMeasured) {
            Map<String, Object> o = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                o.put(header.get(i), cells.get(i));
            }
            objects.add(o);
        }
        return Json.object("title", title, "rows", objects, "notes", notes);
    }

    String render() {
        StringBuilder out = new StringBuilder("### ").append(title).append("\n\n");
        out.append("| ").append(String.join(" | ", header)).append(" |\n");
        out.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        for (String n : notes) {
            out.append('\n').append(n).append('\n');
        }
        return out.toString();
    }
}
