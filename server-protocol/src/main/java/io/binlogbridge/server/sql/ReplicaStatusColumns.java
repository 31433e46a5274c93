package io.binlogbridge.server.sql;

import io.binlogbridge.server.sql.QueryResult.Column;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The columns of MySQL 8.0's SHOW REPLICA STATUS, in its order, with its names and, for SHOW SLAVE STATUS, its older
 * Master_/Slave_ names: one definition for every server that answers the statement (the relay's admin port, the
 * replayer), so that HA tools read the same fields from each. A server fills a row in; columns it adds after MySQL's
 * (MariaDB's Using_Gtid, Gtid_IO_Pos) come last.
 */
public final class ReplicaStatusColumns {
    /** MySQL 8.0.22+'s names, in the order MySQL sends them. */
    public static final List<String> NAMES = List.of("Replica_IO_State", "Source_Host", "Source_User", "Source_Port",
            "Connect_Retry", "Source_Log_File", "Read_Source_Log_Pos", "Relay_Log_File", "Relay_Log_Pos", "Relay_Source_Log_File",
            "Replica_IO_Running", "Replica_SQL_Running", "Replicate_Do_DB", "Replicate_Ignore_DB", "Replicate_Do_Table",
            "Replicate_Ignore_Table", "Replicate_Wild_Do_Table", "Replicate_Wild_Ignore_Table", "Last_Errno", "Last_Error",
            "Skip_Counter", "Exec_Source_Log_Pos", "Relay_Log_Space", "Until_Condition", "Until_Log_File", "Until_Log_Pos",
            "Source_SSL_Allowed", "Source_SSL_CA_File", "Source_SSL_CA_Path", "Source_SSL_Cert", "Source_SSL_Cipher",
            "Source_SSL_Key", "Seconds_Behind_Source", "Source_SSL_Verify_Server_Cert", "Last_IO_Errno", "Last_IO_Error",
            "Last_SQL_Errno", "Last_SQL_Error", "Replicate_Ignore_Server_Ids", "Source_Server_Id", "Source_UUID",
            "Source_Info_File", "SQL_Delay", "SQL_Remaining_Delay", "Replica_SQL_Running_State", "Source_Retry_Count",
            "Source_Bind", "Last_IO_Error_Timestamp", "Last_SQL_Error_Timestamp", "Source_SSL_Crl", "Source_SSL_Crlpath",
            "Retrieved_Gtid_Set", "Executed_Gtid_Set", "Auto_Position", "Replicate_Rewrite_DB", "Channel_Name",
            "Source_TLS_Version", "Source_public_key_path", "Get_Source_public_key", "Network_Namespace");

    private static final Set<String> NUMERIC = Set.of("Source_Port", "Connect_Retry", "Read_Source_Log_Pos",
            "Relay_Log_Pos", "Last_Errno", "Skip_Counter", "Exec_Source_Log_Pos", "Relay_Log_Space", "Until_Log_Pos",
            "Seconds_Behind_Source", "Last_IO_Errno", "Last_SQL_Errno", "Source_Server_Id", "SQL_Delay", "SQL_Remaining_Delay",
            "Source_Retry_Count", "Auto_Position", "Get_Source_public_key");

    private ReplicaStatusColumns() {}

    /** Every column, in order, numbers 0 and text empty: a row for a server to fill in. */
    public static Map<String, String> emptyRow() {
        Map<String, String> row = new LinkedHashMap<>();
        for (String name : NAMES) {
            row.put(name, NUMERIC.contains(name) ? "0" : "");
        }
        return row;
    }

    /** MySQL before 8.0.22 (and SHOW SLAVE STATUS after it) names the columns Master_/Slave_. */
    public static String slaveSpelling(String name) {
        if (name.equals("Get_Source_public_key")) {
            return "Get_master_public_key";
        }
        return name.replace("Source", "Master").replaceFirst("^Replica_", "Slave_");
    }

    /**
     * The statement's one row, from a row keyed by MySQL 8.0.22+'s names; SHOW SLAVE STATUS ({@code replicaSpelling}
     * false) gets the old column names and says "master" in Replica_IO_State, as MySQL does.
     */
    public static QueryResult.ResultSet resultSet(Map<String, String> row, boolean replicaSpelling) {
        List<Column> columns = new ArrayList<>(row.size());
        List<String> values = new ArrayList<>(row.size());
        for (Map.Entry<String, String> e : row.entrySet()) {
            String name = e.getKey();
            String shown = replicaSpelling ? name : slaveSpelling(name);
            columns.add(NUMERIC.contains(name) ? Column.number(shown) : Column.text(shown));
            String value = e.getValue();
            values.add(!replicaSpelling && name.equals("Replica_IO_State") && value != null ? value.replace("source", "master") : value);
        }
        return new QueryResult.ResultSet(columns, List.of(values));
    }
}
