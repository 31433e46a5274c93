package io.binlogbridge.server.sql;

import io.binlogbridge.server.session.ClientSession;

/**
 * Another MySQL server that answers, for one client connection, the statements a protocol server cannot answer
 * itself (the replayer's {@code --query-backend}: table reads, SHOW CREATE TABLE, transactions, locks). The client's
 * connection has a backend connection of its own, so its session state (transaction, locks, SET values) is the
 * backend's.
 */
public interface QueryBackend {
    /** No backend: statements the server cannot answer keep its own error. */
    QueryBackend NONE = absent(null);

    /** Whether statements are forwarded at all; without a backend, transaction statements are answered locally. */
    boolean configured();

    /**
     * Answers a statement the server does not answer itself; {@code localAnswer} is the error it would give, which a
     * server without a backend returns (perhaps explaining how to get a real answer).
     */
    QueryResult forward(String sql, ClientSession session, QueryResult.Error localAnswer);

    /** A session statement the server answered itself (SET, USE) that the backend session must see too, in order. */
    void follow(String sql, ClientSession session);

    /**
     * Whether the client's backend session holds a transaction or a lock: a snapshot whose binary log position
     * (SHOW MASTER STATUS) only the backend can tell.
     */
    boolean holdsSnapshot(ClientSession session);

    /** The client's connection closed: so does its backend connection. */
    default void connectionClosed(ClientSession session) {}

    /**
     * No backend; statements MySQL would run but this server cannot (1235) get {@code hint} appended to MySQL's
     * message, so that users learn what to configure. A null hint leaves the message as it is.
     */
    static QueryBackend absent(String hint) {
        return new QueryBackend() {
            @Override
            public boolean configured() {
                return false;
            }

            @Override
            public QueryResult forward(String sql, ClientSession session, QueryResult.Error localAnswer) {
                if (hint == null || localAnswer.code() != io.binlogbridge.core.protocol.MySqlConstants.ER_NOT_SUPPORTED_YET) {
                    return localAnswer;
                }
                return new QueryResult.Error(localAnswer.code(), localAnswer.sqlState(), localAnswer.message() + " " + hint);
            }

            @Override
            public void follow(String sql, ClientSession session) {}

            @Override
            public boolean holdsSnapshot(ClientSession session) {
                return false;
            }
        };
    }
}
