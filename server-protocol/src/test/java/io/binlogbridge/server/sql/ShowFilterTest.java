package io.binlogbridge.server.sql;

import static io.binlogbridge.server.sql.StatementFixture.cursor;
import static io.binlogbridge.server.sql.StatementFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.schemas.Flavor;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ShowFilterTest {
    static final List<String[]> ROWS = List.of(
            new String[] {"server_id", "42"}, new String[] {"log_bin", "ON"}, new String[] {"gtid_mode", "OFF"},
            new String[] {"sql_log_bin", "on"});

    static Predicate<String[]> parse(String filter) {
        StatementCursor c = cursor(Flavor.MYSQL, filter);
        Predicate<String[]> p = ShowFilter.parse(c);
        c.expectEnd();
        return p;
    }

    static List<String> names(String filter) {
        return ROWS.stream().filter(parse(filter)).map(r -> r[0]).toList();
    }

    @Test
    void noFilterMatchesEverything() {
        assertEquals(4, names("").size());
    }

    @Test
    void likeMatchesTheName() {
        assertEquals(List.of("log_bin", "sql_log_bin"), names("LIKE '%LOG\\_BIN'"));
    }

    @Test
    void whereComparesEitherColumnIgnoringCase() {
        assertEquals(List.of("log_bin", "sql_log_bin"), names("WHERE Value = 'on'"));
        assertEquals(List.of("server_id", "gtid_mode"), names("WHERE `value` <> 'ON'"));
        assertEquals(List.of("server_id"), names("WHERE VARIABLE_NAME != 'x' AND Value = 42"));
        assertEquals(List.of("gtid_mode"), names("WHERE Variable_name IN ('GTID_MODE', 'nope')"));
        assertEquals(List.of("server_id", "log_bin", "sql_log_bin"), names("WHERE Variable_name NOT IN ('gtid_mode')"));
        assertEquals(List.of("server_id", "gtid_mode"), names("WHERE Variable_name NOT LIKE '%bin'"));
    }

    @Test
    void andBindsTighterThanOrAndNotAppliesToOneCondition() {
        assertEquals(List.of("server_id", "log_bin"), names("WHERE Variable_name = 'server_id' OR Variable_name LIKE 'log%' AND Value = 'ON'"));
        assertEquals(List.of("log_bin"), names("WHERE (Variable_name = 'server_id' OR Variable_name LIKE 'log%') AND Value = 'ON'"));
        assertEquals(List.of("gtid_mode"), names("WHERE NOT Value = 'on' AND ! Value = '42'"));
    }

    @Test
    void errorsAreMySqls() {
        QueryResult.Error unknown = error(() -> parse("WHERE Variable = 'x'"));
        assertEquals(QueryResponder.ER_BAD_FIELD_ERROR, unknown.code());
        assertEquals("42S22", unknown.sqlState());
        assertEquals("Unknown column 'Variable' in 'where clause'", unknown.message());
        assertEquals(StatementFixture.syntaxErrorNear(Flavor.MYSQL, "= 'x'"), error(() -> parse("WHERE Value NOT = 'x'")).message());
        assertEquals(StatementFixture.syntaxErrorNear(Flavor.MYSQL, "x"), error(() -> parse("WHERE Value = x")).message());
        assertEquals(StatementFixture.syntaxErrorNear(Flavor.MYSQL, "'a' = 'x'"), error(() -> parse("WHERE 'a' = 'x'")).message());
        assertEquals(StatementFixture.syntaxErrorNear(Flavor.MYSQL, "x"), error(() -> parse("LIKE x")).message());
    }
}
