package io.binlogbridge.server.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.schemas.Flavor;
import org.junit.jupiter.api.Test;

class SetStatementTest {
    final ClientSession session = QueryResponderTest.newSession(1);

    void set(String sql) {
        StatementContext context = StatementFixture.statement(Flavor.MYSQL, sql, session);
        assertEquals(QueryResult.ok(), new SetStatement(context, new ExpressionEvaluator(context, StatementFixture.CLOCK)).answer());
    }

    @Test
    void whatCannotBeEvaluatedIsKeptAsWritten() {
        set("SET @a = 1 +  2, @b = 1 * (2 + 3), @c = CONCAT('x', @a)");
        assertEquals("1 +  2", session.userVariable("a"));
        assertEquals("1 * (2 + 3)", session.userVariable("b"));
        assertEquals("CONCAT('x', @a)", session.userVariable("c"));
    }

    @Test
    void namesSetsTheConnectionCharsetCharacterSetDoesNot() {
        set("SET NAMES Latin1 COLLATE 'latin1_bin'");
        assertEquals("latin1", session.sessionVariable("character_set_connection"));
        assertEquals("latin1_bin", session.sessionVariable("collation_connection"));
        set("SET CHARACTER SET DEFAULT");
        assertEquals("utf8mb4", session.sessionVariable("character_set_client"));
        assertEquals("utf8mb4", session.sessionVariable("character_set_results"));
        assertEquals("latin1", session.sessionVariable("character_set_connection"));
    }

    @Test
    void onlySessionScopesChangeTheSession() {
        set("SET GLOBAL wait_timeout = 1, PERSIST wait_timeout = 2, @@persist_only.wait_timeout = 3, @@global.wait_timeout = 4");
        assertFalse(session.hasSessionVariable("wait_timeout"));
        set("SET @@local.wait_timeout = 5, SESSION net_write_timeout = 6");
        assertEquals("5", session.sessionVariable("wait_timeout"));
        assertEquals("6", session.sessionVariable("net_write_timeout"));
        set("SET wait_timeout = DEFAULT");
        assertEquals("28800", session.sessionVariable("wait_timeout"));
    }

    @Test
    void aScopeWordIsAVariableNameWhenAssignedTo() {
        set("SET session = 1, global := 2");
        assertFalse(session.hasSessionVariable("session"));
        assertNull(session.userVariable("session"));
    }
}
