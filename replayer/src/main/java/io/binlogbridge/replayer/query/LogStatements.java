package io.binlogbridge.replayer.query;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.session.RegisteredReplica;
import io.binlogbridge.replayer.session.ReplicaRegistry;
import io.binlogbridge.server.access.Privilege;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.server.sql.BinaryLog;
import io.binlogbridge.server.sql.BinlogPosition;
import io.binlogbridge.server.sql.LogState;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.sql.QueryResult.Column;
import io.binlogbridge.server.sql.StatementContext;
import io.binlogbridge.server.sql.StatementCursor;
import io.binlogbridge.server.sql.StatementFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SHOW statements about the binary log and its readers that replicas and CDC tools send to a source:
 * MASTER STATUS / BINARY LOG STATUS, BINARY LOGS / MASTER LOGS, SLAVE HOSTS / REPLICAS. Columns are named
 * and ordered as the server of the log's flavor names them, since tools read them by name or by position.
 */
public final class LogStatements implements StatementFamily {
    private static final Logger LOG = LoggerFactory.getLogger(LogStatements.class);
    /** MySQL 8.0's ER_SPECIFIC_ACCESS_DENIED_ERROR for SHOW MASTER STATUS and SHOW BINARY LOGS. */
    static final String ACCESS_DENIED = "Access denied; you need (at least one of) the SUPER, REPLICATION CLIENT privilege(s) for this operation";
    private final ReplicaRegistry replicas;

    public LogStatements(ReplicaRegistry replicas) {
        this.replicas = replicas;
    }

    @Override
    public QueryResult answer(String first, StatementContext context) {
        if (!first.equals("SHOW")) {
            return null;
        }
        StatementCursor cursor = context.cursor();
        int start = cursor.offset();
        QueryResult answer = answerShow(cursor, context);
        if (answer != null && !readsLogState(context.session())) {
            LOG.info("connection {}: user '{}'@'{}' refused SHOW {}: no privilege on cluster {} ({})", context.session().connectionId(),
                    context.session().user(), context.session().remoteHost(), cursor.textFrom(start).strip(),
                    context.session().cluster(), context.session().grants());
            return new QueryResult.Error(MySqlConstants.ER_SPECIFIC_ACCESS_DENIED_ERROR,
                    MySqlConstants.SQLSTATE_SPECIFIC_ACCESS_DENIED, ACCESS_DENIED);
        }
        return answer;
    }

    /**
     * Whether the user may see this cluster's log state: any of replication (replicas and CDC tools ask for it, as
     * MySQL replication users are usually granted REPLICATION CLIENT too), monitor or admin on the connection's cluster.
     * A user granted only on other clusters may not list this one's files and positions.
     */
    static boolean readsLogState(ClientSession session) {
        String cluster = session.cluster();
        return session.grants().allows(Privilege.MONITOR, cluster) || session.grants().allows(Privilege.REPLICATION, cluster)
                || session.grants().allows(Privilege.ADMIN, cluster);
    }

    private QueryResult answerShow(StatementCursor cursor, StatementContext context) {
        if (cursor.acceptWord("MASTER")) {
            if (cursor.acceptWord("STATUS")) {
                cursor.expectEnd();
                return masterStatus(context);
            }
            if (cursor.acceptWord("LOGS")) {
                cursor.expectEnd();
                return binaryLogs(context);
            }
            throw cursor.syntaxHere();
        }
        if (cursor.acceptWord("BINARY")) {
            if (cursor.acceptWord("LOGS")) {
                cursor.expectEnd();
                return binaryLogs(context);
            }
            if (cursor.acceptWord("LOG") && cursor.acceptWord("STATUS")) {
                cursor.expectEnd();
                return masterStatus(context);
            }
            throw cursor.syntaxHere();
        }
        if (cursor.acceptWord("SLAVE") && cursor.acceptWord("HOSTS")) {
            cursor.expectEnd();
            return replicaHosts(context, false);
        }
        if (cursor.acceptWord("REPLICAS")) {
            cursor.expectEnd();
            return replicaHosts(context, true);
        }
        return null;
    }

    private static QueryResult masterStatus(StatementContext context) {
        LogState logState = context.logState();
        BinlogPosition pos = logState.currentPosition();
        List<Column> columns = new ArrayList<>(List.of(Column.text("File"), Column.number("Position"),
                Column.text("Binlog_Do_DB"), Column.text("Binlog_Ignore_DB")));
        List<String> row = new ArrayList<>(Arrays.asList(pos.file(), Long.toString(pos.position()), "", ""));
        if (!context.identity().mariaDb()) {
            columns.add(Column.text("Executed_Gtid_Set"));
            row.add(logState.gtidExecuted());
        }
        return new QueryResult.ResultSet(columns, List.of(row));
    }

    private static QueryResult binaryLogs(StatementContext context) {
        boolean mysql = !context.identity().mariaDb();
        List<Column> columns = new ArrayList<>(List.of(Column.text("Log_name"), Column.number("File_size")));
        if (mysql) {
            columns.add(Column.text("Encrypted"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (BinaryLog log : context.logState().binaryLogs()) {
            List<String> row = new ArrayList<>(List.of(log.name(), Long.toString(log.size())));
            if (mysql) {
                row.add(log.encrypted() ? "Yes" : "No");
            }
            rows.add(row);
        }
        return new QueryResult.ResultSet(columns, rows);
    }

    /** @param replicasKeyword SHOW REPLICAS, which names the columns in MySQL 8.0.22+'s words */
    private QueryResult replicaHosts(StatementContext context, boolean replicasKeyword) {
        List<Column> columns = new ArrayList<>(replicasKeyword
                ? List.of(Column.number("Server_Id"), Column.text("Host"), Column.number("Port"), Column.number("Source_Id"))
                : List.of(Column.number("Server_id"), Column.text("Host"), Column.number("Port"), Column.number("Master_id")));
        boolean uuid = !context.identity().mariaDb();
        if (uuid) {
            columns.add(Column.text(replicasKeyword ? "Replica_UUID" : "Slave_UUID"));
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
}
