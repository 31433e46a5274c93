package io.binlogbridge.replayer.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.session.RegisteredReplica;
import io.binlogbridge.replayer.session.ReplicaRegistry;
import io.binlogbridge.replayer.session.Session;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.server.sql.BinaryLog;
import io.binlogbridge.server.sql.BinlogPosition;
import io.binlogbridge.server.sql.QueryResponder;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.sql.ServerIdentity;
import io.binlogbridge.server.sql.StaticLogState;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogStatementsTest {
    static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    final ReplicaRegistry registry = new ReplicaRegistry();
    final ClientSession session = new ClientSession(1, "localhost");

    static StaticLogState state(Flavor flavor) {
        ServerIdentity id = new ServerIdentity(flavor, flavor == Flavor.MARIADB ? "10.11.6-MariaDB-log" : "8.0.40", 42, UUID,
                "CRC32", true, 3, flavor == Flavor.MARIADB ? "mariadb.org binary distribution" : "MySQL Community Server - GPL");
        return new StaticLogState(id, List.of(new BinaryLog("binlog.000001", 1000, false), new BinaryLog("binlog.000002", 2000, false)),
                new BinlogPosition("binlog.000002", 2000), UUID + ":1-5", UUID + ":1-2");
    }

    QueryResult run(Flavor flavor, String sql) {
        return new QueryResponder(state(flavor), List.of(new LogStatements(registry))).respond(sql, session);
    }

    QueryResult.ResultSet rs(Flavor flavor, String sql) {
        return (QueryResult.ResultSet) run(flavor, sql);
    }

    List<String> columns(Flavor flavor, String sql) {
        return rs(flavor, sql).columns().stream().map(QueryResult.Column::name).toList();
    }

    @Test
    void aUserWithNoPrivilegeOnTheConnectionsClusterSeesNoLogState() {
        session.cluster("b");
        session.grants(io.binlogbridge.server.access.Grants.parse("replication@a,admin@a"));
        for (String sql : List.of("SHOW MASTER STATUS", "SHOW BINARY LOGS", "SHOW REPLICAS")) {
            QueryResult.Error e = (QueryResult.Error) run(Flavor.MYSQL, sql);
            assertEquals(MySqlConstants.ER_SPECIFIC_ACCESS_DENIED_ERROR, e.code(), sql);
            assertEquals(LogStatements.ACCESS_DENIED, e.message());
        }
        for (String grants : List.of("monitor@b", "replication@b", "admin@b", "monitor")) {
            session.grants(io.binlogbridge.server.access.Grants.parse(grants));
            assertEquals("binlog.000002", rs(Flavor.MYSQL, "SHOW MASTER STATUS").rows().get(0).get(0), grants);
        }
    }

    @Test
    void masterStatusAndBinaryLogs() {
        for (String sql : List.of("SHOW MASTER STATUS", "show binary log status")) {
            QueryResult.ResultSet r = rs(Flavor.MYSQL, sql);
            assertEquals(List.of("File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB", "Executed_Gtid_Set"), columns(Flavor.MYSQL, sql));
            assertEquals(List.of("binlog.000002", "2000", "", "", UUID + ":1-5"), r.rows().get(0));
        }
        for (String sql : List.of("SHOW BINARY LOGS", "SHOW MASTER LOGS")) {
            assertEquals(List.of("Log_name", "File_size", "Encrypted"), columns(Flavor.MYSQL, sql));
            assertEquals(List.of(List.of("binlog.000001", "1000", "No"), List.of("binlog.000002", "2000", "No")), rs(Flavor.MYSQL, sql).rows());
        }
    }

    @Test
    void slaveHostsFromAllSessions() {
        registry.register(new Session(2, "localhost"), new RegisteredReplica(7, "r1", 3306, 0, 42, UUID));
        assertEquals(List.of("Server_id", "Host", "Port", "Master_id", "Slave_UUID"), columns(Flavor.MYSQL, "SHOW SLAVE HOSTS"));
        assertEquals(List.of(List.of("7", "r1", "3306", "42", UUID)), rs(Flavor.MYSQL, "SHOW SLAVE HOSTS").rows());
        assertEquals(List.of("Server_Id", "Host", "Port", "Source_Id", "Replica_UUID"), columns(Flavor.MYSQL, "SHOW REPLICAS"));
    }

    @Test
    void mariaDbHasNoGtidSetEncryptionOrReplicaUuidColumns() {
        registry.register(new Session(2, "r"), new RegisteredReplica(7, "r1", 3306, 0, 42, "uuid-7"));
        assertEquals(List.of("File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB"), columns(Flavor.MARIADB, "SHOW MASTER STATUS"));
        assertEquals(List.of(List.of("binlog.000002", "2000", "", "")), rs(Flavor.MARIADB, "SHOW BINARY LOG STATUS").rows());
        assertEquals(List.of("Log_name", "File_size"), columns(Flavor.MARIADB, "SHOW MASTER LOGS"));
        assertEquals(List.of(List.of("binlog.000001", "1000"), List.of("binlog.000002", "2000")), rs(Flavor.MARIADB, "SHOW BINARY LOGS").rows());
        assertEquals(List.of("Server_id", "Host", "Port", "Master_id"), columns(Flavor.MARIADB, "SHOW SLAVE HOSTS"));
        assertEquals(List.of(List.of("7", "r1", "3306", "42")), rs(Flavor.MARIADB, "SHOW REPLICAS").rows());
    }

    @Test
    void malformedLogStatementsAreSyntaxErrorsAndOthersFallThrough() {
        QueryResult.Error e = (QueryResult.Error) run(Flavor.MARIADB, "SHOW BINARY FOO");
        assertEquals(MySqlConstants.ER_PARSE_ERROR, e.code());
        assertEquals("You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version"
                + " for the right syntax to use near 'FOO' at line 1", e.message());
        assertEquals(MySqlConstants.ER_NOT_SUPPORTED_YET, ((QueryResult.Error) run(Flavor.MYSQL, "SHOW SLAVE STATUS")).code());
        assertEquals(List.of("Variable_name", "Value"), columns(Flavor.MYSQL, "SHOW VARIABLES LIKE 'server_id'"));
    }
}
