package io.binlogbridge.server.sql;

import io.binlogbridge.server.sql.SqlLexer.Kind;
import io.binlogbridge.server.sql.SqlLexer.Token;
import io.binlogbridge.server.session.ClientSession;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Answers the statements replicas and CDC tools send before they ask for the binlog: a small recognizer
 * over {@link SqlLexer} tokens, not a SQL engine. Recognized: SELECT of system/user variables, literals
 * and a few functions ({@link SelectStatement}); SET of anything ({@link SetStatement}: user variables
 * are kept, known system variables get a session value, the rest is accepted); SHOW VARIABLES / STATUS /
 * WARNINGS / GRANTS ({@link ShowStatement}); transaction statements and USE, here; and what the server's
 * own {@link StatementFamily families} answer, asked first. Other statements get MySQL's syntax error
 * (1064) or, when MySQL would run them, 1235; the connection stays usable either way.
 */
public final class QueryResponder {
    /** ER_SP_DOES_NOT_EXIST (mysqld_error.h); not in MySqlConstants yet. */
    public static final int ER_SP_DOES_NOT_EXIST = 1305;
    /** ER_BAD_FIELD_ERROR (mysqld_error.h); not in MySqlConstants yet. */
    public static final int ER_BAD_FIELD_ERROR = 1054;

    /** Statements MySQL runs but the replayer does not: 1235 rather than a syntax error. */
    private static final Set<String> UNSUPPORTED_STATEMENTS = Set.of(
            "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "RENAME", "TRUNCATE", "GRANT",
            "REVOKE", "FLUSH", "PURGE", "RESET", "CHANGE", "STOP", "KILL", "LOCK", "UNLOCK", "CALL", "EXPLAIN",
            "DESCRIBE", "DESC", "HELP", "LOAD", "ANALYZE", "OPTIMIZE", "CHECK", "REPAIR", "CHECKSUM", "SAVEPOINT",
            "RELEASE", "XA", "PREPARE", "EXECUTE", "DEALLOCATE", "HANDLER", "INSTALL", "UNINSTALL", "BINLOG",
            "CACHE", "SHUTDOWN", "RESTART", "CLONE", "IMPORT", "TABLE", "VALUES", "WITH");

    private final LogState logState;
    private final List<StatementFamily> families;
    /**
     * Statements that act on the backend session when there is one: its transaction (a consistent snapshot) and
     * its locks, which the statements forwarded after them must see.
     */
    private static final Set<String> BACKEND_SESSION_STATEMENTS = Set.of(
            "BEGIN", "START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "LOCK", "UNLOCK", "FLUSH");

    private final Clock clock;
    private final QueryBackend backend;

    public QueryResponder(LogState logState, List<StatementFamily> families) {
        this(logState, families, Clock.systemUTC());
    }

    public QueryResponder(LogState logState, List<StatementFamily> families, Clock clock) {
        this(logState, families, clock, QueryBackend.NONE);
    }

    /** @param backend answers what this server cannot: its errors for those statements otherwise */
    public QueryResponder(LogState logState, List<StatementFamily> families, Clock clock, QueryBackend backend) {
        this.logState = logState;
        this.families = List.copyOf(families);
        this.clock = clock;
        this.backend = backend;
    }

    public LogState logState() {
        return logState;
    }

    public QueryResult respond(String sql, ClientSession session) {
        ServerIdentity identity = logState.identity();
        try {
            List<Token> tokens = SqlLexer.lex(sql);
            int n = tokens.size();
            while (n > 0 && tokens.get(n - 1).isSymbol(";")) {
                n--;
            }
            tokens = tokens.subList(0, n);
            if (tokens.isEmpty()) {
                return MySqlErrors.emptyQuery();
            }
            for (Token token : tokens) {
                // We do not negotiate CLIENT_MULTI_STATEMENTS: MySQL then fails at the second statement.
                if (token.isSymbol(";")) {
                    return MySqlErrors.syntax(identity, sql, token.start());
                }
            }
            return route(sql, new StatementCursor(sql, tokens, identity), session, identity);
        } catch (SqlLexer.LexException e) {
            return MySqlErrors.syntax(identity, sql, e.offset);
        } catch (SqlError e) {
            return e.error;
        }
    }

    /**
     * Decides who answers: the backend for its session's statements (transactions, locks) and, inside its snapshot,
     * for the binary log position; then the server's own families (whose answers, errors included, stay theirs: a
     * PURGE must never reach the backend); then the statements every server answers; the backend for what those
     * cannot answer.
     */
    private QueryResult route(String sql, StatementCursor cursor, ClientSession session, ServerIdentity identity) {
        Token first = cursor.next();
        if (first.kind() != Kind.WORD) {
            throw cursor.syntaxAt(first);
        }
        String word = first.upper();
        if (word.equals("SET") && cursor.acceptWord("STATEMENT")) {
            return respond(statementAfterFor(sql, cursor), session);
        }
        if (backend.configured() && (BACKEND_SESSION_STATEMENTS.contains(word)
                || word.equals("SHOW") && backend.holdsSnapshot(session) && asksLogPosition(cursor))) {
            return backend.forward(sql, session, null);
        }
        StatementContext context = new StatementContext(cursor, session, logState, identity);
        int afterFirst = cursor.position();
        for (StatementFamily family : families) {
            QueryResult result = family.answer(word, context);
            if (result != null) {
                return result;
            }
            cursor.rewind(afterFirst);
        }
        QueryResult local;
        try {
            local = answer(word, cursor, context, session);
        } catch (SqlError e) {
            local = e.error;
        }
        if (local instanceof QueryResult.Error error && !word.equals("SET")) {
            return backend.forward(sql, session, error);
        }
        if ((word.equals("SET") || word.equals("USE")) && local instanceof QueryResult.Ok) {
            backend.follow(sql, session);
        }
        return local;
    }

    /**
     * MariaDB's {@code SET STATEMENT var=value[, ...] FOR statement} (MariaDB Connector/J wraps its connect-time query
     * in one for {@code max_statement_time}): the statement after FOR, answered as if sent alone. The variables would
     * only bound how long it may run, and what this server answers itself never waits.
     */
    private static String statementAfterFor(String sql, StatementCursor cursor) {
        int depth = 0;
        while (!cursor.atEnd()) {
            Token t = cursor.next();
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && t.isWord("FOR") && !cursor.atEnd()) {
                return sql.substring(cursor.peek().start());
            }
        }
        throw cursor.syntaxHere();
    }

    /** After SHOW: MASTER STATUS or BINARY LOG STATUS (MySQL 8.4's name)? Leaves the cursor where it was. */
    private static boolean asksLogPosition(StatementCursor cursor) {
        int at = cursor.position();
        boolean asks = cursor.acceptWord("MASTER") ? cursor.acceptWord("STATUS")
                : cursor.acceptWord("BINARY") && cursor.acceptWord("LOG") && cursor.acceptWord("STATUS");
        cursor.rewind(at);
        return asks;
    }

    /** The statements every server answers, by their first word. */
    private QueryResult answer(String word, StatementCursor cursor, StatementContext context, ClientSession session) {
        switch (word) {
            case "SELECT":
                return new SelectStatement(cursor, new ExpressionEvaluator(context, clock)).answer();
            case "SET":
                return new SetStatement(context, new ExpressionEvaluator(context, clock)).answer();
            case "SHOW":
                return new ShowStatement(context).answer();
            case "USE":
                session.database(cursor.expect(Kind.WORD, Kind.QUOTED_IDENT).text());
                cursor.expectEnd();
                return QueryResult.ok();
            case "BEGIN":
            case "COMMIT":
            case "ROLLBACK":
            case "DO":
                // Nothing to commit: the replayer holds no data a client can change.
                return QueryResult.ok();
            case "START":
                if (cursor.acceptWord("TRANSACTION")) {
                    return QueryResult.ok();
                }
                throw cursor.notSupported();
            default:
                if (UNSUPPORTED_STATEMENTS.contains(word)) {
                    throw cursor.notSupported();
                }
                throw cursor.syntaxAt(cursor.peek(-1));
        }
    }
}
