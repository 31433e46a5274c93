package io.binlogbridge.server.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The answer to one statement: OK, ERR, or a text result set. Protocol-free, so it is easy to test. */
public sealed interface QueryResult {

    record Ok(long affectedRows) implements QueryResult {}

    record Error(int code, String sqlState, String message) implements QueryResult {}

    /** Rows hold text values (numbers printed), null for SQL NULL. */
    record ResultSet(List<Column> columns, List<List<String>> rows) implements QueryResult {
        public ResultSet {
            columns = List.copyOf(columns);
            List<List<String>> copy = new ArrayList<>(rows.size());
            for (List<String> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException("row has " + row.size() + " values for " + columns.size() + " columns");
                }
                copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
            }
            rows = Collections.unmodifiableList(copy);
        }

        public int columnIndex(String name) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equalsIgnoreCase(name)) {
                    return i;
                }
            }
            return -1;
        }
    }

    record Column(String name, ColumnType type) {
        public static Column text(String name) {
            return new Column(name, ColumnType.STRING);
        }

        public static Column number(String name) {
            return new Column(name, ColumnType.INTEGER);
        }
    }

    /** INTEGER becomes MYSQL_TYPE_LONGLONG on the wire, STRING becomes MYSQL_TYPE_VAR_STRING. */
    enum ColumnType { STRING, INTEGER }

    static Ok ok() {
        return new Ok(0);
    }
}
