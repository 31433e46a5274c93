package io.binlogbridge.server.sql;

import io.binlogbridge.server.sql.SqlLexer.Kind;
import io.binlogbridge.server.sql.SqlLexer.Token;
import java.util.List;

/**
 * One statement's tokens and a position in them: the accept/expect steps every statement family parses
 * with. It also keeps the statement's text and the server's identity because every error it raises
 * quotes the text as the client wrote it and names the server (MySQL or MariaDB) as that server would.
 */
public final class StatementCursor {
    private final String sql;
    private final List<Token> tokens;
    private final ServerIdentity identity;
    private int position;

    StatementCursor(String sql, List<Token> tokens, ServerIdentity identity) {
        this.sql = sql;
        this.tokens = tokens;
        this.identity = identity;
    }

    public boolean atEnd() {
        return position >= tokens.size();
    }

    /** The next token, null at the end. */
    public Token peek() {
        return peek(0);
    }

    public Token peek(int ahead) {
        int k = position + ahead;
        return k < tokens.size() ? tokens.get(k) : null;
    }

    /** Consumes the next token; running out of tokens mid-statement is a syntax error at the end. */
    public Token next() {
        if (atEnd()) {
            throw syntaxHere();
        }
        return tokens.get(position++);
    }

    /** The next token, which must be of one of these kinds: a syntax error at it otherwise. */
    public Token expect(Kind... kinds) {
        Token t = next();
        for (Kind kind : kinds) {
            if (t.kind() == kind) {
                return t;
            }
        }
        throw syntaxAt(t);
    }

    public boolean acceptWord(String word) {
        if (!atEnd() && peek().isWord(word)) {
            position++;
            return true;
        }
        return false;
    }

    public boolean acceptSymbol(String symbol) {
        if (!atEnd() && peek().isSymbol(symbol)) {
            position++;
            return true;
        }
        return false;
    }

    public void expectSymbol(String symbol) {
        if (!acceptSymbol(symbol)) {
            throw syntaxHere();
        }
    }

    public void expectEnd() {
        if (!atEnd()) {
            throw syntaxHere();
        }
    }

    /** How many tokens are consumed; with {@link #rewind} lets a parse try one reading and fall back to another. */
    public int position() {
        return position;
    }

    public void rewind(int position) {
        this.position = position;
    }

    /** Consumes the rest of the statement, for statements accepted without being read. */
    public void skipRest() {
        position = tokens.size();
    }

    /** Where the next token starts in the statement's text; its length at the end. */
    public int offset() {
        return atEnd() ? sql.length() : peek().start();
    }

    /** The statement's text from {@code offset} to the end of the last consumed token, as the client wrote it. */
    public String textFrom(int offset) {
        return sql.substring(offset, tokens.get(position - 1).end());
    }

    /** MySQL's syntax error at the next token (at the end, quoting nothing). */
    public SqlError syntaxHere() {
        return new SqlError(MySqlErrors.syntax(identity, sql, offset()));
    }

    public SqlError syntaxAt(Token t) {
        return new SqlError(MySqlErrors.syntax(identity, sql, t.start()));
    }

    /** 1235 quoting the whole statement: valid SQL the replayer does not run. */
    public SqlError notSupported() {
        return new SqlError(MySqlErrors.notSupported(identity, sql));
    }
}
