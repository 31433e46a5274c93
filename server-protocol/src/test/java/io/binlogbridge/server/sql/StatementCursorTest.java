package io.binlogbridge.server.sql;

import static io.binlogbridge.server.sql.StatementFixture.cursor;
import static io.binlogbridge.server.sql.StatementFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.sql.SqlLexer.Kind;
import io.binlogbridge.schemas.Flavor;
import org.junit.jupiter.api.Test;

class StatementCursorTest {
    @Test
    void acceptsOnlyWhatIsNext() {
        StatementCursor c = cursor(Flavor.MYSQL, "show  Variables like 'x'");
        assertFalse(c.acceptWord("VARIABLES"));
        assertTrue(c.acceptWord("SHOW"));
        assertFalse(c.acceptSymbol("("));
        assertTrue(c.acceptWord("variables"));
        assertEquals(Kind.WORD, c.peek().kind());
        assertEquals("x", c.peek(1).text());
        assertNull(c.peek(2));
        assertEquals("show  Variables", c.textFrom(0)); // as written, up to the last token read
        c.skipRest();
        assertTrue(c.atEnd());
        c.expectEnd();
    }

    @Test
    void rewindGoesBackToAPosition() {
        StatementCursor c = cursor(Flavor.MYSQL, "@x = 1 + 2, @y");
        c.next();
        int start = c.position();
        int offset = c.offset();
        c.next();
        c.next();
        assertEquals("= 1", c.textFrom(offset));
        c.rewind(start);
        c.expectSymbol("=");
        assertEquals(2, c.position());
    }

    @Test
    void syntaxErrorsQuoteTheStatementFromWhereItWentWrong() {
        StatementCursor c = cursor(Flavor.MYSQL, "SELECT 1 FROM");
        c.next();
        QueryResult.Error wrongKind = error(() -> c.expect(Kind.STRING));
        assertEquals(MySqlConstants.ER_PARSE_ERROR, wrongKind.code());
        assertEquals("42000", wrongKind.sqlState());
        assertEquals(StatementFixture.syntaxErrorNear(Flavor.MYSQL, "1 FROM"), wrongKind.message());
        c.skipRest();
        assertEquals(StatementFixture.syntaxErrorNear(Flavor.MYSQL, ""), error(c::next).message());
        assertEquals(StatementFixture.syntaxErrorNear(Flavor.MYSQL, ""), error(() -> c.expectSymbol(")")).message());
    }

    @Test
    void syntaxErrorsCountLinesAndQuoteAtMost80Characters() {
        String sql = "SELECT\n1\n" + "x".repeat(100);
        StatementCursor c = cursor(Flavor.MARIADB, sql);
        c.next();
        c.next();
        assertEquals("You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version "
                + "for the right syntax to use near '" + "x".repeat(80) + "' at line 3", error(c::expectEnd).message());
    }

    @Test
    void notSupportedQuotesAtMost64CharactersOfTheWholeStatement() {
        String sql = "  SHOW SLAVE STATUS FOR CHANNEL '" + "c".repeat(60) + "'  ";
        QueryResult.Error e = cursor(Flavor.MYSQL, sql).notSupported().error;
        assertEquals(MySqlConstants.ER_NOT_SUPPORTED_YET, e.code());
        assertEquals("42000", e.sqlState());
        assertEquals("This version of MySQL doesn't yet support '" + sql.strip().substring(0, 64) + "'", e.message());
        assertTrue(cursor(Flavor.MARIADB, "KILL 1").notSupported().error.message().startsWith("This version of MariaDB "));
    }
}
