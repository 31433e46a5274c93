package io.binlogbridge.server.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaStatusColumnsTest {
    @Test
    void aRowHasMySqlsColumnsInOrderWithNumbersTypedAsNumbers() {
        Map<String, String> row = ReplicaStatusColumns.emptyRow();
        row.put("Replica_IO_State", "Waiting for source to send event");
        row.put("Using_Gtid", "Slave_Pos"); // a server's own column comes after MySQL's
        QueryResult.ResultSet r = ReplicaStatusColumns.resultSet(row, true);
        List<String> names = r.columns().stream().map(QueryResult.Column::name).toList();
        assertEquals(ReplicaStatusColumns.NAMES, names.subList(0, ReplicaStatusColumns.NAMES.size()));
        assertEquals("Using_Gtid", names.get(names.size() - 1));
        assertEquals(60, ReplicaStatusColumns.NAMES.size());
        assertEquals(QueryResult.ColumnType.INTEGER, r.columns().get(r.columnIndex("Read_Source_Log_Pos")).type());
        assertEquals(QueryResult.ColumnType.STRING, r.columns().get(r.columnIndex("Source_Log_File")).type());
        assertEquals("0", r.rows().get(0).get(r.columnIndex("Exec_Source_Log_Pos")));
        assertEquals("", r.rows().get(0).get(r.columnIndex("Source_Host")));
    }

    @Test
    void theSlaveSpellingRenamesColumnsAndTheIoState() {
        Map<String, String> row = ReplicaStatusColumns.emptyRow();
        row.put("Replica_IO_State", "Waiting for source to send event");
        QueryResult.ResultSet r = ReplicaStatusColumns.resultSet(row, false);
        assertEquals("Slave_IO_State", r.columns().get(0).name());
        assertEquals("Master_Host", r.columns().get(1).name());
        assertEquals("Waiting for master to send event", r.rows().get(0).get(0));
        assertEquals(List.of("Get_master_public_key", "Network_Namespace"),
                r.columns().subList(58, 60).stream().map(QueryResult.Column::name).toList());
    }

    @Test
    void slaveSpellingOfTheStatusColumns() {
        assertEquals("Master_Host", ReplicaStatusColumns.slaveSpelling("Source_Host"));
        assertEquals("Slave_IO_Running", ReplicaStatusColumns.slaveSpelling("Replica_IO_Running"));
        assertEquals("Seconds_Behind_Master", ReplicaStatusColumns.slaveSpelling("Seconds_Behind_Source"));
        assertEquals("Relay_Master_Log_File", ReplicaStatusColumns.slaveSpelling("Relay_Source_Log_File"));
        assertEquals("Get_master_public_key", ReplicaStatusColumns.slaveSpelling("Get_Source_public_key"));
        assertEquals("Executed_Gtid_Set", ReplicaStatusColumns.slaveSpelling("Executed_Gtid_Set"));
        assertEquals("Replicate_Do_DB", ReplicaStatusColumns.slaveSpelling("Replicate_Do_DB"));
        assertEquals("Slave_SQL_Running_State", ReplicaStatusColumns.slaveSpelling("Replica_SQL_Running_State"));
    }
}
