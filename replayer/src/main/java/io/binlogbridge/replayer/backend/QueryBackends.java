package io.binlogbridge.replayer.backend;

import io.binlogbridge.core.protocol.ConnectionSettings;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.server.sql.QueryBackend;
import io.binlogbridge.server.sql.QueryResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The replayer's {@code --query-backend}: a MySQL server (a replica of the source, normally) that answers what the
 * log cannot, each client connection on a backend connection of its own ({@link BackendConnection}). Backend I/O runs
 * on its own threads; the answers are relayed as they arrive ({@link QueryResult.Relayed}).
 */
public final class QueryBackends implements QueryBackend, AutoCloseable {
    /** What a replayer without a backend adds to MySQL's 1235 for the statements a backend would answer. */
    public static final String ABSENT_HINT = "(binlog-bridge: the replayer answers from its log only; table reads, "
            + "SHOW CREATE TABLE and snapshots need --" + QueryBackendOptions.QUERY_BACKEND + ")";

    private final ConnectionSettings settings;
    private final Map<Integer, BackendConnection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger threadIds = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "query-backend-" + threadIds.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    public QueryBackends(ConnectionSettings settings) {
        this.settings = settings;
    }

    /** The backend for {@code settings}, or none (statements it would answer name the option in their error). */
    public static QueryBackend of(ConnectionSettings settings) {
        return settings == null ? QueryBackend.absent(ABSENT_HINT) : new QueryBackends(settings);
    }

    @Override
    public boolean configured() {
        return true;
    }

    @Override
    public QueryResult forward(String sql, ClientSession session, QueryResult.Error localAnswer) {
        BackendConnection connection = connection(session);
        return new QueryResult.Relayed(sink -> connection.run(sql, session.deprecateEof(), sink));
    }

    @Override
    public void follow(String sql, ClientSession session) {
        connection(session).follow(sql);
    }

    @Override
    public boolean holdsSnapshot(ClientSession session) {
        BackendConnection connection = connections.get(session.connectionId());
        return connection != null && connection.holdsSnapshot();
    }

    @Override
    public void connectionClosed(ClientSession session) {
        BackendConnection connection = connections.remove(session.connectionId());
        if (connection != null) {
            connection.close();
        }
    }

    private BackendConnection connection(ClientSession session) {
        return connections.computeIfAbsent(session.connectionId(), id -> new BackendConnection(settings, id, threads));
    }

    @Override
    public void close() {
        connections.values().forEach(BackendConnection::close);
        connections.clear();
        threads.shutdown();
    }
}
