package io.binlogbridge.replayer.query;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.query.BinlogEventsSource.BinlogEventsException;
import io.binlogbridge.replayer.query.BinlogEventsSource.BinlogEventsRequest;
import io.binlogbridge.server.sql.BinaryLog;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.sql.QueryResult.Column;
import io.binlogbridge.server.sql.SqlLexer.Kind;
import io.binlogbridge.server.sql.StatementContext;
import io.binlogbridge.server.sql.StatementCursor;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * SHOW BINLOG EVENTS [IN 'file'] [FROM pos] [LIMIT [offset,] n]: the events of one file of the log, as the source
 * lists its own. Without IN, the log's first file. The rows are read from Kafka off the event loop
 * ({@link QueryResult.Deferred}).
 */
public final class BinlogEventsStatement {
    static final List<Column> COLUMNS = List.of(Column.text("Log_name"), Column.number("Pos"), Column.text("Event_type"),
            Column.number("Server_id"), Column.number("End_log_pos"), Column.text("Info"));
    private static final String PREFIX = "Error when executing command SHOW BINLOG EVENTS: ";

    private final BinlogEventsSource source;

    public BinlogEventsStatement(BinlogEventsSource source) {
        this.source = source;
    }

    QueryResult answer(StatementContext context) {
        StatementCursor cursor = context.cursor();
        String file = null;
        long from = 4;
        long skip = 0;
        long limit = -1;
        if (cursor.acceptWord("IN")) {
            file = cursor.expect(Kind.STRING).text();
        }
        if (cursor.acceptWord("FROM")) {
            from = number(cursor);
        }
        if (cursor.acceptWord("LIMIT")) {
            limit = number(cursor);
            if (cursor.acceptSymbol(",")) {
                skip = limit;
                limit = number(cursor);
            }
        }
        cursor.expectEnd();
        if (context.identity().mariaDb() && skip == 0 && limit == 0) {
            // MariaDB checks the limit only after sending an event, so its LIMIT 0 (without offset) lists one.
            limit = 1;
        }
        List<BinaryLog> logs = context.logState().binaryLogs();
        if (logs.isEmpty()) {
            return new QueryResult.ResultSet(COLUMNS, List.of()); // as a server without binary logging answers
        }
        if (file == null) {
            file = logs.get(0).name();
        } else {
            String named = file;
            if (logs.stream().noneMatch(l -> l.name().equals(named))) {
                return error("Could not find target log");
            }
        }
        return new QueryResult.Deferred(source.events(new BinlogEventsRequest(file, from, skip, limit))
                .<QueryResult>thenApply(rows -> new QueryResult.ResultSet(COLUMNS, rows))
                .exceptionally(BinlogEventsStatement::failure));
    }

    private static QueryResult failure(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof BinlogEventsException e) {
            return error(e.getMessage());
        }
        throw t instanceof CompletionException c ? c : new CompletionException(cause);
    }

    static QueryResult.Error error(String message) {
        return new QueryResult.Error(MySqlConstants.ER_ERROR_WHEN_EXECUTING_COMMAND, MySqlConstants.SQLSTATE_GENERAL, PREFIX + message);
    }

    private static long number(StatementCursor cursor) {
        var t = cursor.expect(Kind.NUMBER);
        try {
            return Long.parseLong(t.text());
        } catch (NumberFormatException e) {
            throw cursor.syntaxAt(t);
        }
    }
}
