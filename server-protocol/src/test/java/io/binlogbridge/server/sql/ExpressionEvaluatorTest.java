package io.binlogbridge.server.sql;

import static io.binlogbridge.server.sql.StatementFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.binlogbridge.server.sql.QueryResult.ColumnType;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.schemas.Flavor;
import org.junit.jupiter.api.Test;

class ExpressionEvaluatorTest {
    final ClientSession session = new ClientSession(7, "client.example");

    Value evaluate(Flavor flavor, String term, boolean bareWords) {
        StatementContext context = StatementFixture.statement(flavor, "SELECT " + term, session);
        Value v = new ExpressionEvaluator(context, StatementFixture.CLOCK).evaluate(bareWords);
        context.cursor().expectEnd();
        return v;
    }

    Value evaluate(String term) {
        return evaluate(Flavor.MYSQL, term, false);
    }

    @Test
    void numbersThatFitABigintAreIntegersTheRestKeepTheirText() {
        assertEquals(new Value("-5", ColumnType.INTEGER), evaluate("- 5"));
        assertEquals(new Value("7", ColumnType.INTEGER), evaluate("((007))"));
        assertEquals(new Value("1.5", ColumnType.STRING), evaluate("1.5"));
        assertEquals(new Value("-99999999999999999999", ColumnType.STRING), evaluate("-99999999999999999999"));
    }

    @Test
    void userVariablesKeepTheirType() {
        session.userVariable("n", 5L);
        session.userVariable("s", "5");
        assertEquals(new Value("5", ColumnType.INTEGER), evaluate("@N"));
        assertEquals(new Value("5", ColumnType.STRING), evaluate("@s"));
        assertEquals(Value.NULL, evaluate("@unset"));
    }

    @Test
    void functionsDescribeTheConnectionAndTheClock() {
        session.user("repl");
        assertEquals(new Value("repl@client.example", ColumnType.STRING), evaluate("CURRENT_USER()"));
        assertEquals(new Value("7", ColumnType.INTEGER), evaluate("connection_id()"));
        assertEquals(new Value(null, ColumnType.STRING), evaluate("DATABASE()"));
        assertEquals(new Value("2023-11-14 22:13:20", ColumnType.STRING), evaluate("UTC_TIMESTAMP()"));
        assertEquals(new Value("2023-11-14 22:13:20", ColumnType.STRING), evaluate("LOCALTIME"));
        assertEquals(new Value("10.11.6-MariaDB-log", ColumnType.STRING), evaluate(Flavor.MARIADB, "VERSION()", false));
        assertThrows(UnsupportedExpression.class, () -> evaluate("UNIX_TIMESTAMP(1)"));
        assertThrows(UnsupportedExpression.class, () -> evaluate("NOSUCH()"));
    }

    @Test
    void binlogGtidPosIsMariaDbOnly() {
        assertEquals(Value.NULL, evaluate(Flavor.MARIADB, "BINLOG_GTID_POS('f', 4)", false));
        assertEquals("FUNCTION binlog_gtid_pos does not exist", error(() -> evaluate("binlog_gtid_pos('f', 4)")).message());
        session.database("db1");
        QueryResult.Error e = error(() -> evaluate("BINLOG_GTID_POS('f', 4)"));
        assertEquals(QueryResponder.ER_SP_DOES_NOT_EXIST, e.code());
        assertEquals("FUNCTION db1.BINLOG_GTID_POS does not exist", e.message());
    }

    @Test
    void bareWordsAreValuesOnlyWhereSetAllowsThem() {
        assertEquals(new Value("utf8mb4", ColumnType.STRING), evaluate(Flavor.MYSQL, "utf8mb4", true));
        assertEquals(new Value("x", ColumnType.STRING), evaluate(Flavor.MYSQL, "`x`", true));
        assertEquals("Unknown column 'x' in 'field list'", error(() -> evaluate("`x`")).message());
        assertEquals("Unknown column 'utf8mb4' in 'field list'", error(() -> evaluate("utf8mb4")).message());
    }
}
