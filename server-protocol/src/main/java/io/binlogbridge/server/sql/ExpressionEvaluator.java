package io.binlogbridge.server.sql;

import io.binlogbridge.server.sql.QueryResult.ColumnType;
import io.binlogbridge.server.sql.SqlLexer.Kind;
import io.binlogbridge.server.sql.SqlLexer.Token;
import io.binlogbridge.server.session.ClientSession;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Evaluates the terms SELECT lists and SET assigns: system and user variables, literals, NULL/TRUE/FALSE
 * and the few functions replicas and client libraries call while they connect. Anything else is
 * {@link UnsupportedExpression}, which each statement answers in its own way.
 */
final class ExpressionEvaluator {
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final StatementContext context;
    private final StatementCursor cursor;
    private final ClientSession session;
    private final Clock clock;

    ExpressionEvaluator(StatementContext context, Clock clock) {
        this.context = context;
        this.cursor = context.cursor();
        this.session = context.session();
        this.clock = clock;
    }

    /**
     * One term: a system or user variable, a literal, NULL/TRUE/FALSE, a known function call, or a
     * parenthesized term. With {@code bareWords} (right side of SET) a plain word is its own value
     * (ON, utf8mb4, DEFAULT); in SELECT it would be a column, which does not exist.
     */
    Value evaluate(boolean bareWords) {
        Token t = cursor.next();
        switch (t.kind()) {
            case SYS_VAR:
                return systemVariable(t.text());
            case USER_VAR: {
                Object v = session.userVariable(t.text());
                if (v == null) {
                    return Value.NULL;
                }
                return new Value(v.toString(), v instanceof Long ? ColumnType.INTEGER : ColumnType.STRING);
            }
            case NUMBER:
                return number(t.text(), false);
            case STRING: {
                StringBuilder s = new StringBuilder(t.text());
                while (!cursor.atEnd() && cursor.peek().kind() == Kind.STRING) {
                    s.append(cursor.next().text()); // 'a' 'b' is 'ab' in SQL
                }
                return new Value(s.toString(), ColumnType.STRING);
            }
            case SYMBOL:
                if (t.isSymbol("-") && !cursor.atEnd() && cursor.peek().kind() == Kind.NUMBER) {
                    return number(cursor.next().text(), true);
                }
                if (t.isSymbol("*")) {
                    throw new UnsupportedExpression(); // SELECT * FROM a table: valid SQL, nothing we serve
                }
                if (t.isSymbol("(")) {
                    Value v = evaluate(bareWords);
                    cursor.expectSymbol(")");
                    return v;
                }
                throw cursor.syntaxAt(t);
            case WORD:
                if (!cursor.atEnd() && cursor.peek().isSymbol("(")) {
                    return function(t);
                }
                switch (t.upper()) {
                    case "NULL":
                        return Value.NULL;
                    case "TRUE":
                        return new Value("1", ColumnType.INTEGER);
                    case "FALSE":
                        return new Value("0", ColumnType.INTEGER);
                    case "CURRENT_TIMESTAMP":
                    case "LOCALTIME":
                    case "LOCALTIMESTAMP":
                        return now();
                    default:
                        return bareWord(t, bareWords);
                }
            case QUOTED_IDENT:
                return bareWord(t, bareWords);
            default:
                throw cursor.syntaxAt(t);
        }
    }

    /** A word or quoted identifier that is not a keyword: a value on the right of SET, a column in SELECT. */
    private static Value bareWord(Token t, boolean bareWords) {
        if (bareWords) {
            return new Value(t.text(), ColumnType.STRING);
        }
        throw new SqlError(MySqlErrors.unknownColumn(t.text(), "field list"));
    }

    /** An integer that fits a BIGINT is an INTEGER column; anything else numeric (decimals, longer integers) keeps its text. */
    private static Value number(String text, boolean negative) {
        String s = negative ? "-" + text : text;
        try {
            return new Value(Long.toString(Long.parseLong(s)), ColumnType.INTEGER);
        } catch (NumberFormatException e) {
            return new Value(s, ColumnType.STRING);
        }
    }

    private Value now() {
        return new Value(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).format(DATETIME), ColumnType.STRING);
    }

    private Value function(Token name) {
        cursor.expectSymbol("(");
        List<Value> args = new ArrayList<>();
        if (!cursor.acceptSymbol(")")) {
            do {
                args.add(evaluate(false));
            } while (cursor.acceptSymbol(","));
            cursor.expectSymbol(")");
        }
        switch (name.upper()) {
            case "UNIX_TIMESTAMP":
                if (!args.isEmpty()) {
                    throw new UnsupportedExpression();
                }
                return new Value(Long.toString(clock.instant().getEpochSecond()), ColumnType.INTEGER);
            case "VERSION":
                return new Value(context.identity().serverVersion(), ColumnType.STRING);
            case "DATABASE":
            case "SCHEMA":
                return new Value(session.database(), ColumnType.STRING);
            case "USER":
            case "CURRENT_USER":
            case "SESSION_USER":
            case "SYSTEM_USER":
                return new Value(session.user() + "@" + session.remoteHost(), ColumnType.STRING);
            case "CONNECTION_ID":
                return new Value(Integer.toString(session.connectionId()), ColumnType.INTEGER);
            case "NOW":
            case "SYSDATE":
            case "CURRENT_TIMESTAMP":
            case "LOCALTIME":
            case "LOCALTIMESTAMP":
            case "UTC_TIMESTAMP":
                return now();
            case "BINLOG_GTID_POS":
                // MariaDB's mapping of file/position to a GTID position. Without an index we answer
                // NULL, which a MariaDB replica treats as "no GTID position known" and goes on with
                // file/position replication. MySQL has no such function.
                if (context.identity().mariaDb()) {
                    return Value.NULL;
                }
                throw new SqlError(MySqlErrors.functionDoesNotExist(session.database(), name.text()));
            default:
                throw new UnsupportedExpression();
        }
    }

    /** {@code @@name}, {@code @@global.name}, {@code @@session.name} or {@code @@local.name}. */
    private Value systemVariable(String text) {
        boolean global = false;
        String name = text;
        int dot = text.indexOf('.');
        if (dot > 0) {
            String scope = text.substring(0, dot).toUpperCase(Locale.ROOT);
            if (scope.equals("GLOBAL") || scope.equals("SESSION") || scope.equals("LOCAL")) {
                global = scope.equals("GLOBAL");
                name = text.substring(dot + 1);
            }
        }
        Optional<SystemVariables.Definition> def = SystemVariables.find(name, context.identity());
        if (def.isEmpty()) {
            throw new SqlError(MySqlErrors.unknownSystemVariable(name));
        }
        SystemVariables.Definition d = def.get();
        String value = SystemVariables.selectValue(d, context.logState(), session, global);
        return new Value(value, d.kind() == SystemVariables.Kind.STRING ? ColumnType.STRING : ColumnType.INTEGER);
    }
}
