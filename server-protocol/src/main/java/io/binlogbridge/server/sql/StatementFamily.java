package io.binlogbridge.server.sql;

/**
 * Statements one server answers beyond those {@link QueryResponder} answers for every server (SELECT, SET,
 * SHOW VARIABLES, transactions): the replayer's binary log statements, the relay's replica statements.
 */
public interface StatementFamily {
    /**
     * Answers the statement whose first word, {@code first} (upper case), the context's cursor has just
     * consumed; returns null when the statement is not this family's, and the responder then rewinds the
     * cursor for the next family. A malformed statement of this family throws the cursor's {@link SqlError}.
     */
    QueryResult answer(String first, StatementContext context);
}
