package io.binlogbridge.core.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A text-protocol result set, values as the server formatted them. Small by design: the client only
 * runs the handful of queries a replica needs ({@code SELECT @@x}, {@code SHOW MASTER STATUS}, ...).
 *
 * @param columns column names (the alias, ColumnDefinition41 {@code name})
 * @param rows    each row's values, null for SQL NULL
 */
public record QueryResult(List<String> columns, List<List<String>> rows) {
    public static final QueryResult EMPTY = new QueryResult(List.of(), List.of());

    public QueryResult {
        columns = List.copyOf(columns);
        // Rows may hold nulls, which List.copyOf refuses.
        rows = rows.stream().map(r -> Collections.unmodifiableList(new ArrayList<>(r))).toList();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The first column of the first row, or null if there is no row or the value is NULL. */
    public String singleValue() {
        return rows.isEmpty() || rows.get(0).isEmpty() ? null : rows.get(0).get(0);
    }

    /** Index of a column by name, ignoring case as MySQL does; -1 if absent. */
    public int columnIndex(String columnName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(columnName)) {
                return i;
            }
        }
        return -1;
    }

    /** The value in {@code row} under {@code columnName}; empty if the column is absent or the value NULL. */
    public Optional<String> value(int row, String columnName) {
        int i = columnIndex(columnName);
        return i < 0 ? Optional.empty() : Optional.ofNullable(rows.get(row).get(i));
    }
}
