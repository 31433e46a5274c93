package io.binlogbridge.server.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a statement into tokens the way MySQL's lexer would for the statements we answer: comments
 * ({@code /* *}{@code /}, {@code -- }, {@code #}) are dropped, but the body of an executable comment
 * ({@code /*!40101 ... *}{@code /}) is kept, as MySQL executes it; string literals are unescaped;
 * {@code @@scope.name} and {@code @name} are single tokens. Offsets into the original text are kept, so
 * column names and syntax-error messages can quote the statement as the client wrote it.
 */
public final class SqlLexer {
    public enum Kind { WORD, QUOTED_IDENT, STRING, NUMBER, USER_VAR, SYS_VAR, SYMBOL }

    /** {@code text}: WORD as written; QUOTED_IDENT, STRING, USER_VAR unquoted/unescaped; SYS_VAR without "@@". */
    public record Token(Kind kind, String text, int start, int end) {
        public boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        public boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        public String upper() {
            return text.toUpperCase(Locale.ROOT);
        }
    }

    /** The statement cannot be tokenized (an unterminated string or comment); offset is where it starts. */
    static final class LexException extends Exception {
        final int offset;

        LexException(int offset) {
            super(null, null, false, false);
            this.offset = offset;
        }
    }

    private final String sql;
    private int pos;
    private int openExecutableComments;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    static List<Token> lex(String sql) throws LexException {
        return new SqlLexer(sql).run();
    }

    private List<Token> run() throws LexException {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= sql.length()) {
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipSpaceAndComments() throws LexException {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '/' && peek(1) == '*') {
                int start = pos;
                if (peek(2) == '!' || (peek(2) == 'M' && peek(3) == '!')) {
                    // Executable comment: keep its body, skip the version number.
                    pos += peek(2) == '!' ? 3 : 4;
                    while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
                        pos++;
                    }
                    openExecutableComments++;
                    continue;
                }
                int end = sql.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new LexException(start);
                }
                pos = end + 2;
            } else if (c == '*' && peek(1) == '/' && openExecutableComments > 0) {
                openExecutableComments--;
                pos += 2;
            } else if (c == '#' || (c == '-' && peek(1) == '-' && (pos + 2 >= sql.length() || Character.isWhitespace(sql.charAt(pos + 2))))) {
                int end = sql.indexOf('\n', pos);
                pos = end < 0 ? sql.length() : end + 1;
            } else {
                return;
            }
        }
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < sql.length() ? sql.charAt(i) : '\0';
    }

    private Token next() throws LexException {
        int start = pos;
        char c = sql.charAt(pos);
        if (c == '\'' || c == '"') {
            String s = quoted(c);
            return new Token(Kind.STRING, s, start, pos);
        }
        if (c == '`') {
            String s = quoted('`');
            return new Token(Kind.QUOTED_IDENT, s, start, pos);
        }
        if (c == '@' && peek(1) == '@') {
            pos += 2;
            String name = identifierText();
            if (pos < sql.length() && sql.charAt(pos) == '.' ) {
                pos++;
                name = name + "." + identifierText();
            }
            if (name.isEmpty()) {
                throw new LexException(start);
            }
            return new Token(Kind.SYS_VAR, name, start, pos);
        }
        if (c == '@') {
            pos++;
            char q = pos < sql.length() ? sql.charAt(pos) : '\0';
            String name = (q == '\'' || q == '"' || q == '`') ? quoted(q) : userVariableName();
            if (name.isEmpty()) {
                throw new LexException(start);
            }
            return new Token(Kind.USER_VAR, name, start, pos);
        }
        if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
            while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                pos++;
            }
            return new Token(Kind.NUMBER, sql.substring(start, pos), start, pos);
        }
        if (isIdentifierChar(c)) {
            String word = identifierText();
            return new Token(Kind.WORD, word, start, pos);
        }
        for (String two : new String[] {":=", "<=", ">=", "!=", "<>"}) {
            if (sql.startsWith(two, pos)) {
                pos += 2;
                return new Token(Kind.SYMBOL, two, start, pos);
            }
        }
        pos++;
        return new Token(Kind.SYMBOL, String.valueOf(c), start, pos);
    }

    private static boolean isIdentifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7F;
    }

    private String identifierText() throws LexException {
        if (pos < sql.length() && sql.charAt(pos) == '`') {
            return quoted('`');
        }
        int start = pos;
        while (pos < sql.length() && isIdentifierChar(sql.charAt(pos))) {
            pos++;
        }
        return sql.substring(start, pos);
    }

    private String userVariableName() {
        int start = pos;
        while (pos < sql.length() && (isIdentifierChar(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
            pos++;
        }
        return sql.substring(start, pos);
    }

    /** A quoted string or identifier; a doubled quote is one quote; backslash escapes in strings only. */
    private String quoted(char quote) throws LexException {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < sql.length()) {
            char c = sql.charAt(pos++);
            if (c == quote) {
                if (pos < sql.length() && sql.charAt(pos) == quote) {
                    sb.append(quote);
                    pos++;
                    continue;
                }
                return sb.toString();
            }
            if (c == '\\' && quote != '`' && pos < sql.length()) {
                char e = sql.charAt(pos++);
                switch (e) {
                    case '0' -> sb.append('\0');
                    case 'b' -> sb.append('\b');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'Z' -> sb.append((char) 26);
                    // MySQL keeps the backslash of \% and \_ so they stay literal in LIKE patterns.
                    case '%', '_' -> sb.append('\\').append(e);
                    default -> sb.append(e);
                }
                continue;
            }
            sb.append(c);
        }
        throw new LexException(start);
    }
}
