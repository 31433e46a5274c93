package io.binlogbridge.relay.admin;

import io.binlogbridge.server.sql.SqlLexer.Kind;
import io.binlogbridge.server.sql.SqlLexer.Token;
import io.binlogbridge.server.sql.StatementCursor;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses the option list of {@code CHANGE REPLICATION SOURCE TO} / {@code CHANGE MASTER TO}, in both
 * spellings (SOURCE_HOST or MASTER_HOST). Options that only steer how a MySQL replica positions itself
 * (SOURCE_AUTO_POSITION, MariaDB's MASTER_USE_GTID) are accepted: the relay always continues the log from
 * the log's own state. Other MySQL options get 1235 naming the statement, never a silent no-op.
 */
final class ChangeSourceStatement {
    private ChangeSourceStatement() {}

    /** @param cursor just after TO */
    static SourceChange parse(StatementCursor cursor) {
        Optional<String> host = Optional.empty();
        Optional<Integer> port = Optional.empty();
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        Optional<String> logFile = Optional.empty();
        Optional<Long> logPosition = Optional.empty();
        do {
            Token name = cursor.expect(Kind.WORD);
            cursor.expectSymbol("=");
            String option = name.upper().replaceFirst("^MASTER_", "SOURCE_");
            switch (option) {
                case "SOURCE_HOST" -> host = Optional.of(string(cursor));
                case "SOURCE_PORT" -> port = Optional.of((int) number(cursor, 1, 65535));
                case "SOURCE_USER" -> user = Optional.of(string(cursor));
                case "SOURCE_PASSWORD" -> password = Optional.of(string(cursor));
                case "SOURCE_LOG_FILE" -> logFile = Optional.of(string(cursor));
                case "SOURCE_LOG_POS" -> logPosition = Optional.of(number(cursor, 4, Long.MAX_VALUE));
                case "SOURCE_AUTO_POSITION" -> number(cursor, 0, 1);
                case "SOURCE_USE_GTID" -> cursor.expect(Kind.WORD); // MariaDB's MASTER_USE_GTID = slave_pos | current_pos | no
                default -> throw cursor.notSupported();
            }
        } while (cursor.acceptSymbol(","));
        ReplicaStatements.channel(cursor);
        cursor.expectEnd();
        return new SourceChange(host, port, user, password, logFile, logPosition);
    }

    private static String string(StatementCursor cursor) {
        return cursor.expect(Kind.STRING).text();
    }

    private static long number(StatementCursor cursor, long min, long max) {
        Token t = cursor.expect(Kind.NUMBER);
        long value;
        try {
            value = Long.parseLong(t.text().toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            throw cursor.syntaxAt(t);
        }
        if (value < min || value > max) {
            throw cursor.syntaxAt(t);
        }
        return value;
    }
}
