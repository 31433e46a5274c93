package io.binlogbridge.server.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import io.binlogbridge.server.wire.PayloadSink;

/**
 * The answer to one statement: OK, ERR, a text result set, or one of these still being computed off the event
 * loop. Protocol-free, so it is easy to test.
 */
public sealed interface QueryResult {

    record Ok(long affectedRows) implements QueryResult {}

    record Error(int code, String sqlState, String message) implements QueryResult {}

    /**
     * An answer computed on another thread (reading the log from Kafka), which must never run on the connection's
     * event loop: the connection reads no further command until it is written.
     */
    record Deferred(CompletableFuture<QueryResult> result) implements QueryResult {
        public Deferred {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * Another server's answer (the replayer's query backend), relayed as it arrives: {@code relay} runs off the event
     * loop, writes the response payloads into the sink it is given and finishes it (numbered anew, otherwise as sent, so column types,
     * flags and binary values reach the client unchanged, already ending the way this client negotiated), and
     * completes with what is still to be written after them (an error when the other server failed midway), or null.
     * The connection reads no further command until it completes.
     */
    record Relayed(Function<PayloadSink, CompletableFuture<QueryResult>> relay) implements QueryResult {
        public Relayed {
            Objects.requireNonNull(relay, "relay");
        }
    }

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
