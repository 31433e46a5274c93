package io.binlogbridge.server.sql;

import static io.binlogbridge.server.sql.StatementFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.schemas.Flavor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShowStatementTest {
    final ClientSession session = new ClientSession(1, "localhost");

    QueryResult.ResultSet show(Flavor flavor, String sql) {
        return (QueryResult.ResultSet) new ShowStatement(StatementFixture.statement(flavor, sql, session)).answer();
    }

    List<String> columns(Flavor flavor, String sql) {
        return show(flavor, sql).columns().stream().map(QueryResult.Column::name).toList();
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
    }

    @Test
    void otherShowStatementsAreNotSupportedButABareShowIsASyntaxError() {
        for (String sql : List.of("SHOW SLAVE STATUS", "SHOW REPLICA STATUS", "SHOW PROCESSLIST", "SHOW BINLOG EVENTS", "SHOW BINARY LOGS")) {
            QueryResult.Error e = error(() -> show(Flavor.MYSQL, sql));
            assertEquals(MySqlConstants.ER_NOT_SUPPORTED_YET, e.code(), sql);
            assertEquals("This version of MySQL doesn't yet support '" + sql + "'", e.message());
        }
        assertEquals(StatementFixture.syntaxErrorNear(Flavor.MYSQL, ""), error(() -> show(Flavor.MYSQL, "SHOW")).message());
    }
}
