package io.binlogbridge.server.sql;

import io.binlogbridge.server.sql.QueryResult.Column;
import io.binlogbridge.server.sql.QueryResult.ColumnType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The SHOW statements every client may send: VARIABLES, STATUS, WARNINGS / ERRORS, GRANTS. Columns are
 * named and ordered as the server of the log's flavor names them, since tools read them by name or by
 * position. Other SHOW statements (unless a server's {@link StatementFamily} owns them) get 1235;
 * malformed ones of these, 1064.
 */
final class ShowStatement {
    private final StatementContext context;
    private final StatementCursor cursor;
    private final LogState logState;

    ShowStatement(StatementContext context) {
        this.context = context;
        this.cursor = context.cursor();
        this.logState = context.logState();
    }

    /** Answers the statement after its SHOW. */
    QueryResult answer() {
        boolean global = false;
        if (cursor.acceptWord("GLOBAL")) {
            global = true;
        } else if (!cursor.acceptWord("SESSION")) {
            cursor.acceptWord("LOCAL");
        }
        if (cursor.acceptWord("VARIABLES")) {
            return variables(global);
        }
        if (cursor.acceptWord("STATUS")) {
            return status();
        }
        if (global) {
            throw cursor.syntaxHere();
        }
        if (cursor.acceptWord("WARNINGS") || cursor.acceptWord("ERRORS")) {
            return warnings();
        }
        if (cursor.acceptWord("GRANTS")) {
            return grants();
        }
        throw cursor.atEnd() ? cursor.syntaxHere() : cursor.notSupported();
    }

    private QueryResult variables(boolean global) {
        Predicate<String[]> filter = ShowFilter.parse(cursor);
        cursor.expectEnd();
        return nameValueRows(filter, SystemVariables.all(context.identity()).stream()
                .map(d -> new String[] {d.name(), SystemVariables.showValue(d, logState, context.session(), global)}));
    }

    /**
     * Constant rows for servers without counters of their own (the relay's admin port), so that clients that send
     * SHOW STATUS carry on; the replayer answers SHOW STATUS with its figures before this is asked.
     */
    private QueryResult status() {
        Predicate<String[]> filter = ShowFilter.parse(cursor);
        cursor.expectEnd();
        return nameValueRows(filter, Stream.of(new String[] {"Uptime", "0"}, new String[] {"Threads_connected", "1"}));
    }

    /** The rows {Variable_name, Value} that pass the filter, in order. */
    private static QueryResult nameValueRows(Predicate<String[]> filter, Stream<String[]> rows) {
        List<List<String>> matching = rows.filter(filter).map(Arrays::asList).toList();
        return new QueryResult.ResultSet(List.of(Column.text("Variable_name"), Column.text("Value")), matching);
    }

    /** Nothing the replayer answers leaves a warning, so the list is always empty. */
    private QueryResult warnings() {
        if (cursor.acceptWord("LIMIT")) {
            cursor.next();
            if (cursor.acceptSymbol(",")) {
                cursor.next();
            }
        }
        cursor.expectEnd();
        return new QueryResult.ResultSet(List.of(Column.text("Level"), Column.number("Code"), Column.text("Message")), List.of());
    }

    private QueryResult grants() {
        if (cursor.acceptWord("FOR")) {
            cursor.skipRest(); // FOR CURRENT_USER [()] or FOR 'u'@'h': all mean this connection's user here
        }
        cursor.expectEnd();
        String user = context.session().user() == null ? "" : context.session().user();
        String grant = "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `"
                + user + "`@`%`";
        return new QueryResult.ResultSet(List.of(Column.text("Grants for " + user + "@%")), List.of(List.of(grant)));
    }
}
