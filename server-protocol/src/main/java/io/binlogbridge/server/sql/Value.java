package io.binlogbridge.server.sql;

import io.binlogbridge.server.sql.QueryResult.ColumnType;

/** A value and the column type it would have; text null is SQL NULL. */
record Value(String text, ColumnType type) {
    static final Value NULL = new Value(null, ColumnType.STRING);

    /** As a user variable holds it (see ClientSession): numbers as Long, so @x = 5 reads back as an integer. */
    Object asVariable() {
        if (text == null) {
            return null;
        }
        if (type == ColumnType.INTEGER) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return text;
            }
        }
        return text;
    }
}
