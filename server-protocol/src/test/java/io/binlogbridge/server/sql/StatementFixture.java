package io.binlogbridge.server.sql;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.schemas.Flavor;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.function.Executable;

/** Builds what one statement family is answered from, so a family can be tested without QueryResponder. */
final class StatementFixture {
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

    private StatementFixture() {}

    static StatementCursor cursor(Flavor flavor, String sql) {
        try {
            return new StatementCursor(sql, SqlLexer.lex(sql), QueryResponderTest.state(flavor).identity());
        } catch (SqlLexer.LexException e) {
            throw new AssertionError(sql, e);
        }
    }

    /** The statement with its first word read, as QueryResponder hands it to a family. */
    static StatementContext statement(Flavor flavor, String sql, ClientSession session) {
        StaticLogState state = QueryResponderTest.state(flavor);
        StatementCursor cursor = cursor(flavor, sql);
        cursor.next();
        return new StatementContext(cursor, session, state, state.identity());
    }

    /** The ERR answer that ends a statement. */
    static QueryResult.Error error(Executable answer) {
        return assertThrows(SqlError.class, answer).error;
    }

    static String syntaxErrorNear(Flavor flavor, String near) {
        return "You have an error in your SQL syntax; check the manual that corresponds to your "
                + (flavor == Flavor.MARIADB ? "MariaDB" : "MySQL") + " server version for the right syntax to use near '"
                + near + "' at line 1";
    }
}
