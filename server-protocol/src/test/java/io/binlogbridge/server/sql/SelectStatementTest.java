package io.binlogbridge.server.sql;

import static io.binlogbridge.server.sql.StatementFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.schemas.Flavor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectStatementTest {
    final ClientSession session = QueryResponderTest.newSession(1);

    QueryResult.ResultSet select(String sql) {
        StatementContext context = StatementFixture.statement(Flavor.MYSQL, sql, session);
        QueryResult r = new SelectStatement(context.cursor(), new ExpressionEvaluator(context, StatementFixture.CLOCK)).answer();
        return (QueryResult.ResultSet) r;
    }

    List<String> names(String sql) {
        return select(sql).columns().stream().map(QueryResult.Column::name).toList();
    }

    @Test
    void columnsAreNamedAsMySqlNamesThem() {
        assertEquals(List.of("a", "b", "c", "d"), names("SELECT 1 AS a, 2 `b`, 3 'c', 4 AS \"d\""));
        assertEquals(List.of("x y", "y"), names("SELECT 'x y', 'x' y"));
        assertEquals(List.of("@@GLOBAL.server_id", "( 1 )", "-  5"), names("SELECT @@GLOBAL.server_id, ( 1 ), -  5"));
    }

    @Test
    void limitWithAnOffsetPastTheOneRowIsEmpty() {
        assertEquals(1, select("SELECT 1 LIMIT 1").rows().size());
        assertEquals(0, select("SELECT 1 LIMIT 0").rows().size());
        assertEquals(1, select("SELECT 1 FROM DUAL LIMIT 0, 1").rows().size());
        assertEquals(0, select("SELECT 1 LIMIT 1, 1").rows().size());
        assertEquals(0, select("SELECT 1 LIMIT 0, 0").rows().size());
    }

    @Test
    void tablesAreNotSupportedAndOtherClausesAreSyntaxErrors() {
        assertEquals(MySqlConstants.ER_NOT_SUPPORTED_YET, error(() -> select("SELECT 1 FROM t")).code());
        assertEquals(MySqlConstants.ER_NOT_SUPPORTED_YET, error(() -> select("SELECT CONCAT('a', 'b')")).code());
        assertEquals(StatementFixture.syntaxErrorNear(Flavor.MYSQL, "ORDER BY 1"), error(() -> select("SELECT 1 ORDER BY 1")).message());
        assertEquals(StatementFixture.syntaxErrorNear(Flavor.MYSQL, "'x'"), error(() -> select("SELECT 1 LIMIT 'x'")).message());
        assertEquals(StatementFixture.syntaxErrorNear(Flavor.MYSQL, "2"), error(() -> select("SELECT 1 AS 2")).message());
    }
}
