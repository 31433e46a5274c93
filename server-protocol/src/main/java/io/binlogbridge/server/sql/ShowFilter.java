package io.binlogbridge.server.sql;

import io.binlogbridge.server.sql.SqlLexer.Kind;
import io.binlogbridge.server.sql.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The optional {@code LIKE 'pattern'} or {@code WHERE condition} of SHOW VARIABLES and SHOW STATUS, over
 * rows {Variable_name, Value}. WHERE takes comparisons (=, !=, <>, [NOT] LIKE, [NOT] IN) of those two
 * columns with literals, joined by AND, OR, NOT and parentheses: what tools write, not general SQL.
 * Comparisons ignore case, as the utf8 *_ci collations of MySQL's result columns do.
 */
public final class ShowFilter {
    private final StatementCursor cursor;

    private ShowFilter(StatementCursor cursor) {
        this.cursor = cursor;
    }

    /** Reads the filter, if any, at the cursor; no filter matches every row. */
    public static Predicate<String[]> parse(StatementCursor cursor) {
        if (cursor.acceptWord("LIKE")) {
            var pattern = LikePattern.compile(cursor.expect(Kind.STRING).text());
            return r -> pattern.matcher(r[0]).matches();
        }
        if (cursor.acceptWord("WHERE")) {
            return new ShowFilter(cursor).orCondition();
        }
        return r -> true;
    }

    private Predicate<String[]> orCondition() {
        Predicate<String[]> p = andCondition();
        while (cursor.acceptWord("OR") || cursor.acceptSymbol("||")) {
            p = p.or(andCondition());
        }
        return p;
    }

    private Predicate<String[]> andCondition() {
        Predicate<String[]> p = notCondition();
        while (cursor.acceptWord("AND") || cursor.acceptSymbol("&&")) {
            p = p.and(notCondition());
        }
        return p;
    }

    private Predicate<String[]> notCondition() {
        if (cursor.acceptWord("NOT") || cursor.acceptSymbol("!")) {
            return notCondition().negate();
        }
        if (cursor.acceptSymbol("(")) {
            Predicate<String[]> p = orCondition();
            cursor.expectSymbol(")");
            return p;
        }
        return comparison();
    }

    /** column op literal, where column is Variable_name or Value. */
    private Predicate<String[]> comparison() {
        Token col = cursor.expect(Kind.WORD, Kind.QUOTED_IDENT);
        int index;
        if (col.text().equalsIgnoreCase("Variable_name")) {
            index = 0;
        } else if (col.text().equalsIgnoreCase("Value")) {
            index = 1;
        } else {
            throw new SqlError(MySqlErrors.unknownColumn(col.text(), "where clause"));
        }
        boolean negate = cursor.acceptWord("NOT");
        Predicate<String[]> p;
        if (cursor.acceptWord("LIKE")) {
            var pattern = LikePattern.compile(literal());
            p = r -> pattern.matcher(r[index]).matches();
        } else if (cursor.acceptWord("IN")) {
            cursor.expectSymbol("(");
            List<String> values = new ArrayList<>();
            do {
                values.add(literal());
            } while (cursor.acceptSymbol(","));
            cursor.expectSymbol(")");
            p = r -> values.stream().anyMatch(v -> v.equalsIgnoreCase(r[index]));
        } else if (!negate && cursor.acceptSymbol("=")) {
            String v = literal();
            p = r -> v.equalsIgnoreCase(r[index]);
        } else if (!negate && (cursor.acceptSymbol("!=") || cursor.acceptSymbol("<>"))) {
            String v = literal();
            p = r -> !v.equalsIgnoreCase(r[index]);
        } else {
            throw cursor.syntaxHere();
        }
        return negate ? p.negate() : p;
    }

    private String literal() {
        return cursor.expect(Kind.STRING, Kind.NUMBER).text();
    }
}
