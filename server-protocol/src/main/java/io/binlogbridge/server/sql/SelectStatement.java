package io.binlogbridge.server.sql;

import io.binlogbridge.server.sql.QueryResult.Column;
import io.binlogbridge.server.sql.SqlLexer.Kind;
import io.binlogbridge.server.sql.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SELECT item [[AS] alias], ... [FROM DUAL] [LIMIT n[, m]]: one row of evaluated terms, each column named
 * as MySQL names it (the alias, a string literal's value, or the item as written), because connectors
 * look their settings up by those names.
 */
final class SelectStatement {
    /** Words that end a select item rather than name it. */
    private static final Set<String> CLAUSE_WORDS = Set.of("FROM", "LIMIT", "WHERE", "INTO", "UNION", "FOR", "ORDER", "GROUP", "HAVING", "LOCK", "WINDOW");

    private final StatementCursor cursor;
    private final ExpressionEvaluator expressions;

    SelectStatement(StatementCursor cursor, ExpressionEvaluator expressions) {
        this.cursor = cursor;
        this.expressions = expressions;
    }

    /** Answers the statement after its SELECT. */
    QueryResult answer() {
        List<Column> columns = new ArrayList<>();
        List<String> row = new ArrayList<>();
        do {
            int itemOffset = cursor.offset();
            int itemPosition = cursor.position();
            Token first = cursor.peek();
            Value v;
            try {
                v = expressions.evaluate(false);
            } catch (UnsupportedExpression e) {
                throw cursor.notSupported();
            }
            String name;
            if (cursor.acceptWord("AS")) {
                name = alias();
            } else if (!cursor.atEnd() && isImplicitAlias(cursor.peek())) {
                name = alias();
            } else if (cursor.position() == itemPosition + 1 && first.kind() == Kind.STRING) {
                name = first.text(); // MySQL names a string literal column by its value
            } else {
                name = cursor.textFrom(itemOffset);
            }
            columns.add(new Column(name, v.type()));
            row.add(v.text());
        } while (cursor.acceptSymbol(","));
        if (cursor.acceptWord("FROM")) {
            if (!cursor.acceptWord("DUAL")) {
                throw cursor.notSupported();
            }
        }
        boolean empty = false;
        if (cursor.acceptWord("LIMIT")) {
            Token n = cursor.expect(Kind.NUMBER);
            if (cursor.acceptSymbol(",")) {
                Token m = cursor.next();
                empty = "0".equals(m.text()) || !"0".equals(n.text());
            } else {
                empty = "0".equals(n.text());
            }
        }
        cursor.expectEnd();
        return new QueryResult.ResultSet(columns, empty ? List.of() : List.of(row));
    }

    private static boolean isImplicitAlias(Token t) {
        return t.kind() == Kind.QUOTED_IDENT || t.kind() == Kind.STRING
                || (t.kind() == Kind.WORD && !CLAUSE_WORDS.contains(t.upper()));
    }

    private String alias() {
        return cursor.expect(Kind.WORD, Kind.QUOTED_IDENT, Kind.STRING).text();
    }
}
