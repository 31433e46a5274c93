package io.binlogbridge.replayer.query;

import static io.binlogbridge.replayer.query.StatementFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.session.RegisteredReplica;
import io.binlogbridge.replayer.session.ReplicaRegistry;
import io.binlogbridge.replayer.session.Session;
import io.binlogbridge.schemas.Flavor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShowStatementTest {
    final ReplicaRegistry registry = new ReplicaRegistry();
    final Session session = new Session(1, "localhost");

    QueryResult.ResultSet show(Flavor flavor, String sql) {
        return (QueryResult.ResultSet) new ShowStatement(StatementFixture.statement(flavor, sql, session), registry).answer();
    }

    List<String> columns(Flavor flavor, String sql) {
        return show(flavor, sql).columns().stream().map(QueryResult.Column::name).toList();
    }

    @Test
    void mariaDbHasNoGtidSetEncryptionOrReplicaUuidColumns() {
        registry.register(new Session(2, "r"), new RegisteredReplica(7, "r1", 3306, 0, 42, "uuid-7"));
        assertEquals(List.of("File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB"), columns(Flavor.MARIADB, "SHOW MASTER STATUS"));
        assertEquals(List.of(List.of("binlog.000002", "2000", "", "")), show(Flavor.MARIADB, "SHOW BINARY LOG STATUS").rows());
        assertEquals(List.of("Log_name", "File_size"), columns(Flavor.MARIADB, "SHOW MASTER LOGS"));
        assertEquals(List.of(List.of("binlog.000001", "1000"), List.of("binlog.000002", "2000")), show(Flavor.MARIADB, "SHOW BINARY LOGS").rows());
        assertEquals(List.of("Server_id", "Host", "Port", "Master_id"), columns(Flavor.MARIADB, "SHOW SLAVE HOSTS"));
        assertEquals(List.of(List.of("7", "r1", "3306", "42")), show(Flavor.MARIADB, "SHOW REPLICAS").rows());
    }

    @Test
    void statusIsAConstantFewRowsThatFiltersApplyTo() {
        assertEquals(List.of(List.of("Uptime", "0"), List.of("Threads_connected", "1")), show(Flavor.MYSQL, "SHOW GLOBAL STATUS").rows());
        assertEquals(List.of(List.of("Threads_connected", "1")), show(Flavor.MYSQL, "SHOW SESSION STATUS WHERE Value = 1").rows());
    }

    @Test
    void warningsAndGrants() {
        assertEquals(List.of("Level", "Code", "Message"), columns(Flavor.MYSQL, "SHOW ERRORS LIMIT 0, 10"));
        assertEquals(List.of(List.of("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ``@`%`")),
                show(Flavor.MYSQL, "SHOW GRANTS FOR 'u'@'h'").rows());
        assertEquals(List.of("Grants for @%"), columns(Flavor.MYSQL, "SHOW GRANTS"));
    }

    @Test
    void onlyVariablesAndStatusTakeAScope() {
        assertEquals(StatementFixture.syntaxErrorNear(Flavor.MYSQL, "MASTER STATUS"), error(() -> show(Flavor.MYSQL, "SHOW GLOBAL MASTER STATUS")).message());
        assertEquals(StatementFixture.syntaxErrorNear(Flavor.MARIADB, "FOO"), error(() -> show(Flavor.MARIADB, "SHOW BINARY FOO")).message());
    }

    @Test
    void otherShowStatementsAreNotSupportedButABareShowIsASyntaxError() {
        for (String sql : List.of("SHOW SLAVE STATUS", "SHOW REPLICA STATUS", "SHOW PROCESSLIST", "SHOW BINLOG EVENTS")) {
            QueryResult.Error e = error(() -> show(Flavor.MYSQL, sql));
            assertEquals(MySqlConstants.ER_NOT_SUPPORTED_YET, e.code(), sql);
            assertEquals("This version of MySQL doesn't yet support '" + sql + "'", e.message());
        }
        assertEquals(StatementFixture.syntaxErrorNear(Flavor.MYSQL, ""), error(() -> show(Flavor.MYSQL, "SHOW")).message());
    }
}
