package io.binlogbridge.server.sql;

/**
 * Ends a statement with an ERR answer. Thrown from wherever the statement turns out wrong, however deep
 * in its parse, and turned back into {@link #error} by {@link QueryResponder#respond}.
 */
public final class SqlError extends RuntimeException {
    final QueryResult.Error error;

    public SqlError(QueryResult.Error error) {
        // No stack trace: this is an answer to the client, not a fault in the replayer.
        super(error.message(), null, false, false);
        this.error = error;
    }
}
