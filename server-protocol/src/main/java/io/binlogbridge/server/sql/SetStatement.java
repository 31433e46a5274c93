package io.binlogbridge.server.sql;

import io.binlogbridge.server.sql.QueryResult.ColumnType;
import io.binlogbridge.server.sql.SqlLexer.Kind;
import io.binlogbridge.server.sql.SqlLexer.Token;
import io.binlogbridge.server.session.ClientSession;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * SET assignment, ...: user variables are kept (replicas announce themselves through them, e.g.
 * {@code @master_binlog_checksum}, {@code @mariadb_slave_capability}); known system variables get a
 * session value that SELECT and SHOW then return; everything else is accepted and ignored, because a
 * client's connect-time SET must not fail on settings the replayer has no use for.
 */
final class SetStatement {
    private static final Set<String> SCOPES = Set.of("GLOBAL", "SESSION", "LOCAL", "PERSIST", "PERSIST_ONLY");

    private final StatementContext context;
    private final StatementCursor cursor;
    private final ClientSession session;
    private final ExpressionEvaluator expressions;

    SetStatement(StatementContext context, ExpressionEvaluator expressions) {
        this.context = context;
        this.cursor = context.cursor();
        this.session = context.session();
        this.expressions = expressions;
    }

    /** Answers the statement after its SET. */
    QueryResult answer() {
        do {
            assignment();
        } while (cursor.acceptSymbol(","));
        cursor.expectEnd();
        return QueryResult.ok();
    }

    private void assignment() {
        String scope = null;
        if (!cursor.atEnd() && cursor.peek().kind() == Kind.WORD && SCOPES.contains(cursor.peek().upper())
                && cursor.peek(1) != null && !cursor.peek(1).isSymbol("=") && !cursor.peek(1).isSymbol(":=")) {
            scope = cursor.next().upper();
        }
        Token target = cursor.next();
        if (target.isWord("NAMES")) {
            String charset = charsetName();
            String collation = cursor.acceptWord("COLLATE") ? charsetName() : null;
            setCharset(charset, true);
            if (collation != null) {
                session.sessionVariable("collation_connection", collation);
            }
            return;
        }
        if (target.isWord("CHARSET") || (target.isWord("CHARACTER") && cursor.acceptWord("SET"))) {
            setCharset(charsetName(), false);
            return;
        }
        if (target.isWord("TRANSACTION") || target.isWord("PASSWORD") || target.isWord("ROLE")
                || target.isWord("DEFAULT")) {
            // SET TRANSACTION ISOLATION LEVEL ... / READ ONLY: accepted, nothing to isolate.
            cursor.skipRest();
            return;
        }
        if (target.kind() != Kind.USER_VAR && target.kind() != Kind.SYS_VAR
                && target.kind() != Kind.WORD && target.kind() != Kind.QUOTED_IDENT) {
            throw cursor.syntaxAt(target);
        }
        if (!cursor.acceptSymbol("=") && !cursor.acceptSymbol(":=")) {
            throw cursor.syntaxHere();
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

    /** A charset or collation name as in SET NAMES: a word, a quoted identifier, a string or DEFAULT. */
    private String charsetName() {
        return cursor.expect(Kind.WORD, Kind.QUOTED_IDENT, Kind.STRING).text();
    }

    /**
     * The right side of an assignment, up to the next top-level comma. A term we cannot evaluate
     * (arithmetic, unknown functions) is kept as its text: SET must not fail on what it does not need.
     */
    private Value assignedValue() {
        int start = cursor.position();
        int startOffset = cursor.offset();
        try {
            Value v = expressions.evaluate(true);
            if (cursor.atEnd() || cursor.peek().isSymbol(",")) {
                return v;
            }
        } catch (UnsupportedExpression e) {
            // fall through to the raw text
        }
        cursor.rewind(start);
        int depth = 0;
        while (!cursor.atEnd()) {
            Token t = cursor.peek();
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (t.isSymbol(",") && depth == 0) {
                break;
            }
            cursor.next();
        }
        if (cursor.position() == start) {
            throw cursor.syntaxHere();
        }
        return new Value(cursor.textFrom(startOffset), ColumnType.STRING);
    }

    private void setSystemVariable(String scope, String name, Value value) {
        if ("GLOBAL".equals(scope) || "PERSIST".equals(scope) || "PERSIST_ONLY".equals(scope)) {
            return; // global settings belong to the source; accepted and ignored
        }
        Optional<SystemVariables.Definition> def = SystemVariables.find(name, context.identity());
        if (def.isEmpty()) {
            return; // unknown SET is accepted (the replayer contract)
        }
        SystemVariables.Definition d = def.get();
        if (value.text() != null && value.type() == ColumnType.STRING && value.text().equalsIgnoreCase("DEFAULT")) {
            session.sessionVariable(d.name(), d.global().apply(context.logState()));
        } else {
            session.sessionVariable(d.name(), SystemVariables.normalize(d, value.text()));
        }
    }

    /**
     * SET NAMES sets the connection charset too; SET CHARACTER SET does not (MySQL takes that one from the
     * default database, which the replayer does not have).
     */
    private void setCharset(String charset, boolean names) {
        String cs = charset.equalsIgnoreCase("DEFAULT") ? "utf8mb4" : charset.toLowerCase(Locale.ROOT);
        session.sessionVariable("character_set_client", cs);
        session.sessionVariable("character_set_results", cs);
        if (names) {
            session.sessionVariable("character_set_connection", cs);
        }
    }
}
