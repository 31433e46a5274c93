package io.binlogbridge.replayer.query;

import io.binlogbridge.replayer.query.QueryResult.Column;
import io.binlogbridge.replayer.query.QueryResult.ColumnType;
import io.binlogbridge.replayer.session.RegisteredReplica;
import io.binlogbridge.replayer.session.ReplicaRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The SHOW statements replicas and CDC tools send: VARIABLES, STATUS, MASTER STATUS / BINARY LOG STATUS,
 * BINARY LOGS / MASTER LOGS, SLAVE HOSTS / REPLICAS, WARNINGS / ERRORS, GRANTS. Columns are named and
 * ordered as the server of the log's flavor names them, since tools read them by name or by position.
 * Other SHOW statements get 1235; malformed ones of these, 1064.
 */
final class ShowStatement {
    private final StatementContext context;
    private final StatementCursor cursor;
    private final LogState logState;
    private final ReplicaRegistry replicas;

    ShowStatement(StatementContext context, ReplicaRegistry replicas) {
        this.context = context;
        this.cursor = context.cursor();
        this.logState = context.logState();
        this.replicas = replicas;
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
        if (cursor.acceptWord("MASTER")) {
            if (cursor.acceptWord("STATUS")) {
                cursor.expectEnd();
                return masterStatus();
            }
            if (cursor.acceptWord("LOGS")) {
                cursor.expectEnd();
                return binaryLogs();
            }
            throw cursor.syntaxHere();
        }
        if (cursor.acceptWord("BINARY")) {
            if (cursor.acceptWord("LOGS")) {
                cursor.expectEnd();
                return binaryLogs();
            }
            if (cursor.acceptWord("LOG") && cursor.acceptWord("STATUS")) {
                cursor.expectEnd();
                return masterStatus();
            }
            throw cursor.syntaxHere();
        }
        if (cursor.acceptWord("SLAVE")) {
            if (cursor.acceptWord("HOSTS")) {
                cursor.expectEnd();
                return replicaHosts(false);
            }
            throw cursor.notSupported();
        }
        if (cursor.acceptWord("REPLICAS")) {
            cursor.expectEnd();
            return replicaHosts(true);
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

    /** The replayer keeps no status counters; these constant rows let clients that send SHOW STATUS carry on. */
    private QueryResult status() {
        Predicate<String[]> filter = ShowFilter.parse(cursor);
        cursor.expectEnd();
        return nameValueRows(filter, Stream.of(new String[] {"Uptime", "0"}, new String[] {"Threads_connected", "1"}));
    }

    /** The rows {Variable_name, Value} that pass the filter, in order. */
    private static QueryResult nameValueRows(Predicate<String[]> filter, Stream<String[]> rows) {
        List<List<String>> matching = rows.filter(filter).map(Arrays::asList).toList();
        return new QueryResult.ResultSet(List.of(str("Variable_name"), str("Value")), matching);
    }

    private QueryResult masterStatus() {
        BinlogPosition pos = logState.currentPosition();
        List<Column> columns = new ArrayList<>(List.of(str("File"), num("Position"), str("Binlog_Do_DB"), str("Binlog_Ignore_DB")));
        List<String> row = new ArrayList<>(Arrays.asList(pos.file(), Long.toString(pos.position()), "", ""));
        if (!context.identity().mariaDb()) {
            columns.add(str("Executed_Gtid_Set"));
            row.add(logState.gtidExecuted());
        }
        return new QueryResult.ResultSet(columns, List.of(row));
    }

    private QueryResult binaryLogs() {
        List<Column> columns = new ArrayList<>(List.of(str("Log_name"), num("File_size")));
        if (!context.identity().mariaDb()) {
            columns.add(str("Encrypted"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (BinaryLog log : logState.binaryLogs()) {
            List<String> row = new ArrayList<>(List.of(log.name(), Long.toString(log.size())));
            if (!context.identity().mariaDb()) {
                row.add(log.encrypted() ? "Yes" : "No");
            }
            rows.add(row);
        }
        return new QueryResult.ResultSet(columns, rows);
    }

    /** @param replicasKeyword SHOW REPLICAS, which names the columns in MySQL 8.0.22+'s words */
    private QueryResult replicaHosts(boolean replicasKeyword) {
        List<Column> columns = new ArrayList<>(replicasKeyword
                ? List.of(num("Server_Id"), str("Host"), num("Port"), num("Source_Id"))
                : List.of(num("Server_id"), str("Host"), num("Port"), num("Master_id")));
        boolean uuid = !context.identity().mariaDb();
        if (uuid) {
            columns.add(str(replicasKeyword ? "Replica_UUID" : "Slave_UUID"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (RegisteredReplica r : replicas.replicas()) {
            List<String> row = new ArrayList<>(List.of(Long.toString(r.serverId()), r.host(),
                    Integer.toString(r.port()), Long.toString(r.masterId())));
            if (uuid) {
                row.add(r.uuid());
            }
            rows.add(row);
        }
        return new QueryResult.ResultSet(columns, rows);
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
        return new QueryResult.ResultSet(List.of(str("Level"), num("Code"), str("Message")), List.of());
    }

    private QueryResult grants() {
        if (cursor.acceptWord("FOR")) {
            cursor.skipRest(); // FOR CURRENT_USER [()] or FOR 'u'@'h': all mean this connection's user here
        }
        cursor.expectEnd();
        String user = context.session().user() == null ? "" : context.session().user();
        String grant = "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `"
                + user + "`@`%`";
        return new QueryResult.ResultSet(List.of(str("Grants for " + user + "@%")), List.of(List.of(grant)));
    }

    private static Column str(String name) {
        return new Column(name, ColumnType.STRING);
    }

    private static Column num(String name) {
        return new Column(name, ColumnType.INTEGER);
    }
}
