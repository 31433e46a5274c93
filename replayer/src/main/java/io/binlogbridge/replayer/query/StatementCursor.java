package io.binlogbridge.replayer.query;

import io.binlogbridge.replayer.query.SqlLexer.Kind;
import io.binlogbridge.replayer.query.SqlLexer.Token;
import java.util.List;

/**
 * One statement's tokens and a position in them: the accept/expect steps every statement family parses
 * with. It also keeps the statement's text and the server's identity because every error it raises
 * quotes the text as the client wrote it and names the server (MySQL or MariaDB) as that server would.
 */
final class StatementCursor {
    private final String sql;
    private final List<Token> tokens;
    private final ServerIdentity identity;
    private int position;

    StatementCursor(String sql, List<Token> tokens, ServerIdentity identity) {
        this.sql = sql;
        this.tokens = tokens;
        this.identity = identity;
    }

    boolean atEnd() {
        return position >= tokens.size();
    }

    /** The next token, null at the end. */
    Token peek() {
        return peek(0);
    }

    Token peek(int ahead) {
        int k = position + ahead;
        return k < tokens.size() ? tokens.get(k) : null;
    }

    /** Consumes the next token; running out of tokens mid-statement is a syntax error at the end. */
    Token next() {
        if (atEnd()) {
            throw syntaxHere();
        }
        return tokens.get(position++);
    }

    /** The next token, which must be of one of these kinds: a syntax error at it otherwise. */
    Token expect(Kind... kinds) {
        Token t = next();
        for (Kind kind : kinds) {
            if (t.kind() == kind) {
                return t;
            }
        }
        throw syntaxAt(t);
    }

    boolean acceptWord(String word) {
        if (!atEnd() && peek().isWord(word)) {
            position++;
            return true;
        }
        return false;
    }

    boolean acceptSymbol(String symbol) {
        if (!atEnd() && peek().isSymbol(symbol)) {
            position++;
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

    /** How many tokens are consumed; with {@link #rewind} lets a parse try one reading and fall back to another. */
    int position() {
        return position;
    }

    void rewind(int position) {
        this.position = position;
    }

    /** Consumes the rest of the statement, for statements accepted without being read. */
    void skipRest() {
        position = tokens.size();
    }

    /** Where the next token starts in the statement's text; its length at the end. */
    int offset() {
        return atEnd() ? sql.length() : peek().start();
    }

    /** The statement's text from {@code offset} to the end of the last consumed token, as the client wrote it. */
    String textFrom(int offset) {
        return sql.substring(offset, tokens.get(position - 1).end());
    }

    /** MySQL's syntax error at the next token (at the end, quoting nothing). */
    SqlError syntaxHere() {
        return new SqlError(MySqlErrors.syntax(identity, sql, offset()));
    }

    SqlError syntaxAt(Token t) {
        return new SqlError(MySqlErrors.syntax(identity, sql, t.start()));
    }

    /** 1235 quoting the whole statement: valid SQL the replayer does not run. */
    SqlError notSupported() {
        return new SqlError(MySqlErrors.notSupported(identity, sql));
    }
}
