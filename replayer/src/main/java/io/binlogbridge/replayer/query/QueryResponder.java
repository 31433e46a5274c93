package io.binlogbridge.replayer.query;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.query.QueryResult.Column;
import io.binlogbridge.replayer.query.QueryResult.ColumnType;
import io.binlogbridge.replayer.query.SqlLexer.Kind;
import io.binlogbridge.replayer.query.SqlLexer.Token;
import io.binlogbridge.replayer.session.RegisteredReplica;
import io.binlogbridge.replayer.session.ReplicaRegistry;
import io.binlogbridge.replayer.session.Session;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Answers the statements replicas and CDC tools send before they ask for the binlog: a small recognizer
 * over {@link SqlLexer} tokens, not a SQL engine. Recognized: SELECT of system/user variables, literals
 * and a few functions; SET of anything (user variables are kept, known system variables get a session
 * value, the rest is accepted); SHOW VARIABLES / MASTER STATUS / BINARY LOGS / SLAVE HOSTS / WARNINGS /
 * GRANTS; transaction statements and USE. Other statements get MySQL's syntax error (1064) or, when
 * MySQL would run them, 1235; the connection stays usable either way.
 */
public final class QueryResponder {
    /** ER_SP_DOES_NOT_EXIST (mysqld_error.h); not in MySqlConstants yet. */
    public static final int ER_SP_DOES_NOT_EXIST = 1305;
    /** ER_BAD_FIELD_ERROR (mysqld_error.h); not in MySqlConstants yet. */
    public static final int ER_BAD_FIELD_ERROR = 1054;

    private static final Set<String> SCOPES = Set.of("GLOBAL", "SESSION", "LOCAL", "PERSIST", "PERSIST_ONLY");
    /** Words that end a select item rather than name it. */
    private static final Set<String> CLAUSE_WORDS = Set.of("FROM", "LIMIT", "WHERE", "INTO", "UNION", "FOR", "ORDER", "GROUP", "HAVING", "LOCK", "WINDOW");
    /** Statements MySQL runs but the replayer does not: 1235 rather than a syntax error. */
    private static final Set<String> UNSUPPORTED_STATEMENTS = Set.of(
            "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "RENAME", "TRUNCATE", "GRANT",
            "REVOKE", "FLUSH", "PURGE", "RESET", "CHANGE", "STOP", "KILL", "LOCK", "UNLOCK", "CALL", "EXPLAIN",
            "DESCRIBE", "DESC", "HELP", "LOAD", "ANALYZE", "OPTIMIZE", "CHECK", "REPAIR", "CHECKSUM", "SAVEPOINT",
            "RELEASE", "XA", "PREPARE", "EXECUTE", "DEALLOCATE", "HANDLER", "INSTALL", "UNINSTALL", "BINLOG",
            "CACHE", "SHUTDOWN", "RESTART", "CLONE", "IMPORT", "TABLE", "VALUES", "WITH");
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final LogState logState;
    private final ReplicaRegistry replicas;
    private final Clock clock;

    public QueryResponder(LogState logState, ReplicaRegistry replicas) {
        this(logState, replicas, Clock.systemUTC());
    }

    public QueryResponder(LogState logState, ReplicaRegistry replicas, Clock clock) {
        this.logState = logState;
        this.replicas = replicas;
        this.clock = clock;
    }

    public LogState logState() {
        return logState;
    }

    public QueryResult respond(String sql, Session session) {
        ServerIdentity identity = logState.identity();
        try {
            List<Token> tokens = SqlLexer.lex(sql);
            int n = tokens.size();
            while (n > 0 && tokens.get(n - 1).isSymbol(";")) {
                n--;
            }
            tokens = tokens.subList(0, n);
            if (tokens.isEmpty()) {
                return new QueryResult.Error(MySqlConstants.ER_EMPTY_QUERY, MySqlConstants.SQLSTATE_SYNTAX, "Query was empty");
            }
            for (int i = 0; i < tokens.size(); i++) {
                // We do not negotiate CLIENT_MULTI_STATEMENTS: MySQL then fails at the second statement.
                if (tokens.get(i).isSymbol(";")) {
                    return syntaxError(identity, sql, tokens.get(i).start());
                }
            }
            return new Statement(sql, tokens, session, identity).execute();
        } catch (SqlLexer.LexException e) {
            return syntaxError(identity, sql, e.offset);
        } catch (SqlError e) {
            return e.error;
        }
    }

    static QueryResult.Error syntaxError(ServerIdentity identity, String sql, int offset) {
        String near = sql.substring(Math.min(offset, sql.length()));
        if (near.length() > 80) {
            near = near.substring(0, 80);
        }
        int line = 1;
        for (int i = 0; i < offset && i < sql.length(); i++) {
            if (sql.charAt(i) == '\n') {
                line++;
            }
        }
        return new QueryResult.Error(MySqlConstants.ER_PARSE_ERROR, MySqlConstants.SQLSTATE_SYNTAX,
                "You have an error in your SQL syntax; check the manual that corresponds to your "
                        + (identity.mariaDb() ? "MariaDB" : "MySQL") + " server version for the right syntax to use near '"
                        + near + "' at line " + line);
    }

    static QueryResult.Error unknownSystemVariable(String name) {
        return new QueryResult.Error(MySqlConstants.ER_UNKNOWN_SYSTEM_VARIABLE, MySqlConstants.SQLSTATE_GENERAL,
                "Unknown system variable '" + name + "'");
    }

    /** Ends evaluation with an ERR answer. */
    private static final class SqlError extends RuntimeException {
        final QueryResult.Error error;

        SqlError(QueryResult.Error error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    /** An expression the recognizer cannot evaluate (a function it does not know, arithmetic). */
    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    /** A value and the column type it would have; text null is SQL NULL. */
    private record Value(String text, ColumnType type) {
        static final Value NULL = new Value(null, ColumnType.STRING);

        Object asVariable() {
            if (text == null) {
                return null;
            }
            if (type == ColumnType.INTEGER) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    return text;
                }
            }
            return text;
        }
    }

    /** One statement being answered: a cursor over its tokens. */
    private final class Statement {
        private final String sql;
        private final List<Token> tokens;
        private final Session session;
        private final ServerIdentity identity;
        private int i;

        Statement(String sql, List<Token> tokens, Session session, ServerIdentity identity) {
            this.sql = sql;
            this.tokens = tokens;
            this.session = session;
            this.identity = identity;
        }

        // ---- cursor ----

        boolean atEnd() {
            return i >= tokens.size();
        }

        Token peek() {
            return peek(0);
        }

        Token peek(int ahead) {
            int k = i + ahead;
            return k < tokens.size() ? tokens.get(k) : null;
        }

        Token next() {
            if (atEnd()) {
                throw syntaxHere();
            }
            return tokens.get(i++);
        }

        boolean acceptWord(String word) {
            if (!atEnd() && peek().isWord(word)) {
                i++;
                return true;
            }
            return false;
        }

        boolean acceptSymbol(String symbol) {
            if (!atEnd() && peek().isSymbol(symbol)) {
                i++;
                return true;
            }
            return false;
        }

        void expectSymbol(String symbol) {
            if (!acceptSymbol(symbol)) {
                throw syntaxHere();
            }
        }

        void expectEnd() {
            if (!atEnd()) {
                throw syntaxHere();
            }
        }

        SqlError syntaxHere() {
            return new SqlError(syntaxError(identity, sql, atEnd() ? sql.length() : peek().start()));
        }

        SqlError notSupported() {
            String what = sql.strip();
            if (what.length() > 64) {
                what = what.substring(0, 64);
            }
            return new SqlError(new QueryResult.Error(MySqlConstants.ER_NOT_SUPPORTED_YET, MySqlConstants.SQLSTATE_SYNTAX,
                    "This version of " + (identity.mariaDb() ? "MariaDB" : "MySQL") + " doesn't yet support '" + what + "'"));
        }

        int lastEnd() {
            return tokens.get(i - 1).end();
        }

        // ---- statements ----

        QueryResult execute() {
            Token first = next();
            if (first.kind() != Kind.WORD) {
                throw new SqlError(syntaxError(identity, sql, first.start()));
            }
            switch (first.upper()) {
                case "SELECT":
                    return select();
                case "SET":
                    return set();
                case "SHOW":
                    return show();
                case "USE":
                    session.database(identifier());
                    expectEnd();
                    return QueryResult.ok();
                case "BEGIN":
                case "COMMIT":
                case "ROLLBACK":
                case "DO":
                    // Nothing to commit: the replayer holds no data a client can change.
                    return QueryResult.ok();
                case "START":
                    if (acceptWord("TRANSACTION")) {
                        return QueryResult.ok();
                    }
                    throw notSupported();
                default:
                    if (UNSUPPORTED_STATEMENTS.contains(first.upper())) {
                        throw notSupported();
                    }
                    throw new SqlError(syntaxError(identity, sql, first.start()));
            }
        }

        String identifier() {
            Token t = next();
            if (t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_IDENT) {
                return t.text();
            }
            throw new SqlError(syntaxError(identity, sql, t.start()));
        }

        /** A charset or collation name as in SET NAMES: a word, a quoted identifier, a string or DEFAULT. */
        String nameOrString() {
            Token t = next();
            if (t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_IDENT || t.kind() == Kind.STRING) {
                return t.text();
            }
            throw new SqlError(syntaxError(identity, sql, t.start()));
        }

        // ---- SELECT ----

        QueryResult select() {
            List<Column> columns = new ArrayList<>();
            List<String> row = new ArrayList<>();
            do {
                int itemStart = peek() == null ? sql.length() : peek().start();
                int itemIndex = i;
                Value v;
                try {
                    v = expression(false);
                } catch (Unsupported e) {
                    throw notSupported();
                }
                String name;
                if (acceptWord("AS")) {
                    name = alias();
                } else if (!atEnd() && isImplicitAlias(peek())) {
                    name = alias();
                } else if (i == itemIndex + 1 && tokens.get(itemIndex).kind() == Kind.STRING) {
                    name = tokens.get(itemIndex).text(); // MySQL names a string literal column by its value
                } else {
                    name = sql.substring(itemStart, tokens.get(i - 1).end());
                }
                columns.add(new Column(name, v.type()));
                row.add(v.text());
            } while (acceptSymbol(","));
            if (acceptWord("FROM")) {
                if (!acceptWord("DUAL")) {
                    throw notSupported();
                }
            }
            boolean empty = false;
            if (acceptWord("LIMIT")) {
                Token n = next();
                if (n.kind() != Kind.NUMBER) {
                    throw new SqlError(syntaxError(identity, sql, n.start()));
                }
                if (acceptSymbol(",")) {
                    Token m = next();
                    empty = "0".equals(m.text()) || !"0".equals(n.text());
                } else {
                    empty = "0".equals(n.text());
                }
            }
            expectEnd();
            return new QueryResult.ResultSet(columns, empty ? List.of() : List.of(row));
        }

        boolean isImplicitAlias(Token t) {
            return t.kind() == Kind.QUOTED_IDENT || t.kind() == Kind.STRING
                    || (t.kind() == Kind.WORD && !CLAUSE_WORDS.contains(t.upper()));
        }

        String alias() {
            Token t = next();
            if (t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_IDENT || t.kind() == Kind.STRING) {
                return t.text();
            }
            throw new SqlError(syntaxError(identity, sql, t.start()));
        }

        /**
         * One term: a system or user variable, a literal, NULL/TRUE/FALSE, a known function call, or a
         * parenthesized term. With {@code bareWords} (right side of SET) a plain word is its own value
         * (ON, utf8mb4, DEFAULT); in SELECT it would be a column, which does not exist.
         */
        Value expression(boolean bareWords) {
            Token t = next();
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
                    while (!atEnd() && peek().kind() == Kind.STRING) {
                        s.append(next().text()); // 'a' 'b' is 'ab' in SQL
                    }
                    return new Value(s.toString(), ColumnType.STRING);
                }
                case SYMBOL:
                    if (t.isSymbol("-") && !atEnd() && peek().kind() == Kind.NUMBER) {
                        return number(next().text(), true);
                    }
                    if (t.isSymbol("*")) {
                        throw new Unsupported(); // SELECT * FROM a table: valid SQL, nothing we serve
                    }
                    if (t.isSymbol("(")) {
                        Value v = expression(bareWords);
                        expectSymbol(")");
                        return v;
                    }
                    throw new SqlError(syntaxError(identity, sql, t.start()));
                case WORD:
                    if (!atEnd() && peek().isSymbol("(")) {
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
                            break;
                    }
                    if (bareWords) {
                        return new Value(t.text(), ColumnType.STRING);
                    }
                    throw new SqlError(new QueryResult.Error(ER_BAD_FIELD_ERROR, "42S22",
                            "Unknown column '" + t.text() + "' in 'field list'"));
                case QUOTED_IDENT:
                    if (bareWords) {
                        return new Value(t.text(), ColumnType.STRING);
                    }
                    throw new SqlError(new QueryResult.Error(ER_BAD_FIELD_ERROR, "42S22",
                            "Unknown column '" + t.text() + "' in 'field list'"));
                default:
                    throw new SqlError(syntaxError(identity, sql, t.start()));
            }
        }

        Value number(String text, boolean negative) {
            String s = negative ? "-" + text : text;
            try {
                return new Value(Long.toString(Long.parseLong(s)), ColumnType.INTEGER);
            } catch (NumberFormatException e) {
                return new Value(s, ColumnType.STRING);
            }
        }

        Value now() {
            return new Value(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).format(DATETIME), ColumnType.STRING);
        }

        Value function(Token name) {
            expectSymbol("(");
            List<Value> args = new ArrayList<>();
            if (!acceptSymbol(")")) {
                do {
                    args.add(expression(false));
                } while (acceptSymbol(","));
                expectSymbol(")");
            }
            switch (name.upper()) {
                case "UNIX_TIMESTAMP":
                    if (!args.isEmpty()) {
                        throw new Unsupported();
                    }
                    return new Value(Long.toString(clock.instant().getEpochSecond()), ColumnType.INTEGER);
                case "VERSION":
                    return new Value(identity.serverVersion(), ColumnType.STRING);
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
                    if (identity.mariaDb()) {
                        return Value.NULL;
                    }
                    throw new SqlError(new QueryResult.Error(ER_SP_DOES_NOT_EXIST, MySqlConstants.SQLSTATE_SYNTAX,
                            "FUNCTION " + (session.database() == null ? "" : session.database() + ".") + name.text()
                                    + " does not exist"));
                default:
                    throw new Unsupported();
            }
        }

        Value systemVariable(String text) {
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
            Optional<SystemVariables.Definition> def = SystemVariables.find(name, identity);
            if (def.isEmpty()) {
                throw new SqlError(unknownSystemVariable(name));
            }
            SystemVariables.Definition d = def.get();
            String value = SystemVariables.selectValue(d, logState, session, global);
            return new Value(value, d.kind() == SystemVariables.Kind.STRING ? ColumnType.STRING : ColumnType.INTEGER);
        }

        // ---- SET ----

        QueryResult set() {
            do {
                assignment();
            } while (acceptSymbol(","));
            expectEnd();
            return QueryResult.ok();
        }

        void assignment() {
            String scope = null;
            if (!atEnd() && peek().kind() == Kind.WORD && SCOPES.contains(peek().upper())
                    && peek(1) != null && !peek(1).isSymbol("=") && !peek(1).isSymbol(":=")) {
                scope = next().upper();
            }
            Token target = next();
            if (target.isWord("NAMES")) {
                String charset = nameOrString();
                String collation = acceptWord("COLLATE") ? nameOrString() : null;
                setCharset(charset, true);
                if (collation != null) {
                    session.sessionVariable("collation_connection", collation);
                }
                return;
            }
            if (target.isWord("CHARSET") || (target.isWord("CHARACTER") && acceptWord("SET"))) {
                setCharset(nameOrString(), false);
                return;
            }
            if (target.isWord("TRANSACTION") || target.isWord("PASSWORD") || target.isWord("ROLE")
                    || target.isWord("DEFAULT")) {
                // SET TRANSACTION ISOLATION LEVEL ... / READ ONLY: accepted, nothing to isolate.
                i = tokens.size();
                return;
            }
            if (target.kind() != Kind.USER_VAR && target.kind() != Kind.SYS_VAR
                    && target.kind() != Kind.WORD && target.kind() != Kind.QUOTED_IDENT) {
                throw new SqlError(syntaxError(identity, sql, target.start()));
            }
            if (!acceptSymbol("=") && !acceptSymbol(":=")) {
                throw syntaxHere();
            }
            Value value = assignedValue();
            switch (target.kind()) {
                case USER_VAR:
                    session.userVariable(target.text(), value.asVariable());
                    if (target.text().equalsIgnoreCase("mariadb_slave_capability")) {
                        session.markMariaDbClient();
                    }
                    return;
                case SYS_VAR: {
                    String name = target.text();
                    int dot = name.indexOf('.');
                    if (dot > 0 && SCOPES.contains(name.substring(0, dot).toUpperCase(Locale.ROOT))) {
                        scope = name.substring(0, dot).toUpperCase(Locale.ROOT);
                        name = name.substring(dot + 1);
                    }
                    setSystemVariable(scope, name, value);
                    return;
                }
                default:
                    setSystemVariable(scope, target.text(), value);
            }
        }

        /**
         * The right side of an assignment, up to the next top-level comma. A term we cannot evaluate
         * (arithmetic, unknown functions) is kept as its text: SET must not fail on what it does not need.
         */
        Value assignedValue() {
            int start = i;
            try {
                Value v = expression(true);
                if (atEnd() || peek().isSymbol(",")) {
                    return v;
                }
            } catch (Unsupported e) {
                // fall through to the raw text
            }
            i = start;
            int depth = 0;
            while (!atEnd()) {
                Token t = peek();
                if (t.isSymbol("(")) {
                    depth++;
                } else if (t.isSymbol(")")) {
                    depth--;
                } else if (t.isSymbol(",") && depth == 0) {
                    break;
                }
                i++;
            }
            if (i == start) {
                throw syntaxHere();
            }
            return new Value(sql.substring(tokens.get(start).start(), lastEnd()), ColumnType.STRING);
        }

        void setSystemVariable(String scope, String name, Value value) {
            if ("GLOBAL".equals(scope) || "PERSIST".equals(scope) || "PERSIST_ONLY".equals(scope)) {
                return; // global settings belong to the source; accepted and ignored
            }
            Optional<SystemVariables.Definition> def = SystemVariables.find(name, identity);
            if (def.isEmpty()) {
                return; // unknown SET is accepted (the replayer contract)
            }
            SystemVariables.Definition d = def.get();
            if (value.text() != null && value.type() == ColumnType.STRING && value.text().equalsIgnoreCase("DEFAULT")) {
                session.sessionVariable(d.name(), d.global().apply(logState));
            } else {
                session.sessionVariable(d.name(), SystemVariables.normalize(d, value.text()));
            }
        }

        void setCharset(String charset, boolean names) {
            String cs = charset.equalsIgnoreCase("DEFAULT") ? "utf8mb4" : charset.toLowerCase(Locale.ROOT);
            session.sessionVariable("character_set_client", cs);
            session.sessionVariable("character_set_results", cs);
            if (names) {
                session.sessionVariable("character_set_connection", cs);
            }
        }

        // ---- SHOW ----

        QueryResult show() {
            boolean global = false;
            if (acceptWord("GLOBAL")) {
                global = true;
            } else if (!acceptWord("SESSION")) {
                acceptWord("LOCAL");
            }
            if (acceptWord("VARIABLES")) {
                return showVariables(global);
            }
            if (acceptWord("STATUS")) {
                Predicate<String[]> filter = filter();
                expectEnd();
                List<List<String>> rows = new ArrayList<>();
                for (String[] r : List.of(new String[] {"Uptime", "0"}, new String[] {"Threads_connected", "1"})) {
                    if (filter.test(r)) {
                        rows.add(Arrays.asList(r));
                    }
                }
                return new QueryResult.ResultSet(List.of(str("Variable_name"), str("Value")), rows);
            }
            if (global) {
                throw syntaxHere();
            }
            if (acceptWord("MASTER")) {
                if (acceptWord("STATUS")) {
                    expectEnd();
                    return masterStatus();
                }
                if (acceptWord("LOGS")) {
                    expectEnd();
                    return binaryLogs();
                }
                throw syntaxHere();
            }
            if (acceptWord("BINARY")) {
                if (acceptWord("LOGS")) {
                    expectEnd();
                    return binaryLogs();
                }
                if (acceptWord("LOG") && acceptWord("STATUS")) {
                    expectEnd();
                    return masterStatus();
                }
                throw syntaxHere();
            }
            if (acceptWord("SLAVE")) {
                if (acceptWord("HOSTS")) {
                    expectEnd();
                    return replicaHosts(false);
                }
                throw notSupported();
            }
            if (acceptWord("REPLICAS")) {
                expectEnd();
                return replicaHosts(true);
            }
            if (acceptWord("WARNINGS") || acceptWord("ERRORS")) {
                if (acceptWord("LIMIT")) {
                    next();
                    if (acceptSymbol(",")) {
                        next();
                    }
                }
                expectEnd();
                return new QueryResult.ResultSet(List.of(str("Level"), num("Code"), str("Message")), List.of());
            }
            if (acceptWord("GRANTS")) {
                return grants();
            }
            throw atEnd() ? syntaxHere() : notSupported();
        }

        QueryResult showVariables(boolean global) {
            Predicate<String[]> filter = filter();
            expectEnd();
            List<List<String>> rows = new ArrayList<>();
            for (SystemVariables.Definition d : SystemVariables.all(identity)) {
                String[] r = {d.name(), SystemVariables.showValue(d, logState, session, global)};
                if (filter.test(r)) {
                    rows.add(Arrays.asList(r));
                }
            }
            return new QueryResult.ResultSet(List.of(str("Variable_name"), str("Value")), rows);
        }

        /** [LIKE 'pattern' | WHERE condition] over rows {Variable_name, Value}. */
        Predicate<String[]> filter() {
            if (acceptWord("LIKE")) {
                Token p = next();
                if (p.kind() != Kind.STRING) {
                    throw new SqlError(syntaxError(identity, sql, p.start()));
                }
                var pattern = LikePattern.compile(p.text());
                return r -> pattern.matcher(r[0]).matches();
            }
            if (acceptWord("WHERE")) {
                return orCondition();
            }
            return r -> true;
        }

        Predicate<String[]> orCondition() {
            Predicate<String[]> p = andCondition();
            while (acceptWord("OR") || acceptSymbol("||")) {
                p = p.or(andCondition());
            }
            return p;
        }

        Predicate<String[]> andCondition() {
            Predicate<String[]> p = notCondition();
            while (acceptWord("AND") || acceptSymbol("&&")) {
                p = p.and(notCondition());
            }
            return p;
        }

        Predicate<String[]> notCondition() {
            if (acceptWord("NOT") || acceptSymbol("!")) {
                return notCondition().negate();
            }
            if (acceptSymbol("(")) {
                Predicate<String[]> p = orCondition();
                expectSymbol(")");
                return p;
            }
            return comparison();
        }

        /** column op literal, where column is Variable_name or Value; comparisons are case-insensitive. */
        Predicate<String[]> comparison() {
            Token col = next();
            int index;
            if ((col.kind() == Kind.WORD || col.kind() == Kind.QUOTED_IDENT) && col.text().equalsIgnoreCase("Variable_name")) {
                index = 0;
            } else if ((col.kind() == Kind.WORD || col.kind() == Kind.QUOTED_IDENT) && col.text().equalsIgnoreCase("Value")) {
                index = 1;
            } else if (col.kind() == Kind.WORD || col.kind() == Kind.QUOTED_IDENT) {
                throw new SqlError(new QueryResult.Error(ER_BAD_FIELD_ERROR, "42S22",
                        "Unknown column '" + col.text() + "' in 'where clause'"));
            } else {
                throw new SqlError(syntaxError(identity, sql, col.start()));
            }
            boolean negate = acceptWord("NOT");
            Predicate<String[]> p;
            if (acceptWord("LIKE")) {
                var pattern = LikePattern.compile(literal());
                p = r -> pattern.matcher(r[index]).matches();
            } else if (acceptWord("IN")) {
                expectSymbol("(");
                List<String> values = new ArrayList<>();
                do {
                    values.add(literal());
                } while (acceptSymbol(","));
                expectSymbol(")");
                p = r -> values.stream().anyMatch(v -> v.equalsIgnoreCase(r[index]));
            } else if (!negate && acceptSymbol("=")) {
                String v = literal();
                p = r -> v.equalsIgnoreCase(r[index]);
            } else if (!negate && (acceptSymbol("!=") || acceptSymbol("<>"))) {
                String v = literal();
                p = r -> !v.equalsIgnoreCase(r[index]);
            } else {
                throw syntaxHere();
            }
            return negate ? p.negate() : p;
        }

        String literal() {
            Token t = next();
            if (t.kind() == Kind.STRING || t.kind() == Kind.NUMBER) {
                return t.text();
            }
            throw new SqlError(syntaxError(identity, sql, t.start()));
        }

        QueryResult masterStatus() {
            BinlogPosition pos = logState.currentPosition();
            List<Column> columns = new ArrayList<>(List.of(str("File"), num("Position"), str("Binlog_Do_DB"), str("Binlog_Ignore_DB")));
            List<String> row = new ArrayList<>(Arrays.asList(pos.file(), Long.toString(pos.position()), "", ""));
            if (!identity.mariaDb()) {
                columns.add(str("Executed_Gtid_Set"));
                row.add(logState.gtidExecuted());
            }
            return new QueryResult.ResultSet(columns, List.of(row));
        }

        QueryResult binaryLogs() {
            List<Column> columns = new ArrayList<>(List.of(str("Log_name"), num("File_size")));
            if (!identity.mariaDb()) {
                columns.add(str("Encrypted"));
            }
            List<List<String>> rows = new ArrayList<>();
            for (BinaryLog log : logState.binaryLogs()) {
                List<String> row = new ArrayList<>(List.of(log.name(), Long.toString(log.size())));
                if (!identity.mariaDb()) {
                    row.add(log.encrypted() ? "Yes" : "No");
                }
                rows.add(row);
            }
            return new QueryResult.ResultSet(columns, rows);
        }

        QueryResult replicaHosts(boolean replicasKeyword) {
            List<Column> columns = new ArrayList<>(replicasKeyword
                    ? List.of(num("Server_Id"), str("Host"), num("Port"), num("Source_Id"))
                    : List.of(num("Server_id"), str("Host"), num("Port"), num("Master_id")));
            boolean uuid = !identity.mariaDb();
            if (uuid) {
                columns.add(str(replicasKeyword ? "Replica_UUID" : "Slave_UUID"));
            }
            List<List<String>> rows = new ArrayList<>();
            for (RegisteredReplica r : replicas.replicas()) {
                List<String> row = new ArrayList<>(List.of(Long.toString(r.serverId()), r.host(),
                        Integer.toString(r.port()), Long.toString(r.masterId())));
                if (uuid) {
                    row.add(r.uuid());
                }
                rows.add(row);
            }
            return new QueryResult.ResultSet(columns, rows);
        }

        QueryResult grants() {
            if (acceptWord("FOR")) {
                while (!atEnd()) {
                    next(); // FOR CURRENT_USER [()] or FOR 'u'@'h': all mean this connection's user here
                }
            }
            expectEnd();
            String user = session.user() == null ? "" : session.user();
            String grant = "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `"
                    + user + "`@`%`";
            return new QueryResult.ResultSet(List.of(str("Grants for " + user + "@%")), List.of(List.of(grant)));
        }
    }

    private static Column str(String name) {
        return new Column(name, ColumnType.STRING);
    }

    private static Column num(String name) {
        return new Column(name, ColumnType.INTEGER);
    }
}
