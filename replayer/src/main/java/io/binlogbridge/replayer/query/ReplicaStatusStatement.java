package io.binlogbridge.replayer.query;

import io.binlogbridge.server.sql.BinlogPosition;
import io.binlogbridge.server.sql.LogState;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.sql.ReplicaStatusColumns;
import io.binlogbridge.server.sql.ServerIdentity;
import io.binlogbridge.server.sql.StatementContext;
import java.util.Map;

/**
 * SHOW REPLICA STATUS (and SHOW SLAVE STATUS) on the replayer: the relay feeding the log, as far as the log tells.
 * The replayer follows the topic as a replica's receiver follows its source, so it reports what it has read: the
 * source's server id and uuid from the newest records, the end of the log as Read/Exec_Source_Log_Pos (under its
 * presented name, as everything a client sees), and the log's GTID state as Retrieved/Executed_Gtid_Set. What only
 * the relay knows (the source's address and user, how far behind the source it is) is empty or NULL.
 */
public final class ReplicaStatusStatement {
    QueryResult answer(boolean replicaSpelling, StatementContext context) {
        context.cursor().acceptWord("FOR");
        if (context.cursor().acceptWord("CHANNEL")) {
            context.cursor().next(); // the log is the one channel: any name means it
        }
        context.cursor().expectEnd();
        LogState log = context.logState();
        ServerIdentity identity = context.identity();
        BinlogPosition end = log.currentPosition();
        String gtids = log.gtidExecuted(); // MariaDB: gtid_binlog_pos
        Map<String, String> row = ReplicaStatusColumns.emptyRow();
        row.put("Replica_IO_State", "Waiting for source to send event");
        row.put("Source_Log_File", end.file());
        row.put("Read_Source_Log_Pos", Long.toString(end.position()));
        row.put("Relay_Source_Log_File", end.file());
        row.put("Exec_Source_Log_Pos", Long.toString(end.position()));
        row.put("Replica_IO_Running", "Yes");
        row.put("Replica_SQL_Running", "Yes");
        row.put("Until_Condition", "None");
        row.put("Source_SSL_Allowed", "No");
        row.put("Source_SSL_Verify_Server_Cert", "No");
        row.put("Seconds_Behind_Source", null); // the relay's lag is not in the log
        row.put("Source_Server_Id", Long.toString(identity.serverId()));
        row.put("Source_UUID", identity.mariaDb() ? "" : identity.serverUuid());
        row.put("SQL_Remaining_Delay", null);
        row.put("Retrieved_Gtid_Set", gtids);
        row.put("Executed_Gtid_Set", gtids);
        row.put("Auto_Position", gtids.isEmpty() ? "0" : "1");
        if (identity.mariaDb()) {
            row.put("Using_Gtid", "Slave_Pos");
            row.put("Gtid_IO_Pos", gtids);
        }
        return ReplicaStatusColumns.resultSet(row, replicaSpelling);
    }
}
