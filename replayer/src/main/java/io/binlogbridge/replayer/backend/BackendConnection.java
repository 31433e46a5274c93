package io.binlogbridge.replayer.backend;

import static io.binlogbridge.core.protocol.MySqlConstants.COM_QUERY;
import static io.binlogbridge.core.protocol.MySqlConstants.SERVER_STATUS_IN_TRANS;

import io.binlogbridge.core.protocol.ConnectionSettings;
import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.MySqlServerException;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.wire.PayloadSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's session on the query backend. Opened at the first statement it runs, closed with the
 * client's connection. Its statements run one after the other on the shared backend threads (never on the event
 * loop), in the order the client sent them: {@link #tail} chains them. Session statements the replayer answered
 * itself (SET, USE) are replayed when it opens, then follow as they come, so the backend session is the client's.
 */
final class BackendConnection {
    private static final Logger LOG = LoggerFactory.getLogger(BackendConnection.class);
    /** Session statements kept for a backend connection not yet open; a client that sets more is not a CDC tool. */
    private static final int MAX_PENDING = 256;

    /** ER_PARSE_ERROR (mysqld_error.h). */
    private static final int ER_PARSE_ERROR = 1064;
    /** The binary log position statement under its two names, each to the other. */
    private static final Map<String, String> LOG_STATUS_NAMES = Map.of(
            "SHOW MASTER STATUS", "SHOW BINARY LOG STATUS", "SHOW BINARY LOG STATUS", "SHOW MASTER STATUS");

    private final ConnectionSettings settings;
    private final int clientId;
    private final Executor threads;
    /** The last statement queued; touched only on the client's event loop. */
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    /** Touched only by the queued tasks, which never overlap. */
    private final List<String> pending = new ArrayList<>();
    private MySqlClient client;
    private boolean locked;
    /** The backend connection broke inside a transaction: the client must learn, not read outside its snapshot. */
    private boolean lostSnapshot;
    private volatile boolean holdsSnapshot;

    BackendConnection(ConnectionSettings settings, int clientId, Executor threads) {
        this.settings = settings;
        this.clientId = clientId;
        this.threads = threads;
    }

    /**
     * Runs the statement on the backend, its response relayed into {@code sink} as it arrives; completes with what the
     * client must get after that (an error), or null.
     */
    CompletableFuture<QueryResult> run(String sql, boolean deprecateEof, PayloadSink sink) {
        CompletableFuture<QueryResult> answer = tail.handleAsync((x, t) -> execute(sql, deprecateEof, sink), threads);
        tail = answer;
        return answer;
    }

    void follow(String sql) {
        tail = tail.handleAsync((x, t) -> {
            if (client == null) {
                if (pending.size() < MAX_PENDING) {
                    pending.add(sql);
                }
            } else {
                runQuietly(sql);
            }
            return null;
        }, threads);
    }

    boolean holdsSnapshot() {
        return holdsSnapshot;
    }

    void close() {
        tail = tail.handleAsync((x, t) -> {
            disconnect();
            return null;
        }, threads);
    }

    private QueryResult execute(String sql, boolean deprecateEof, PayloadSink sink) {
        String word = firstWord(sql);
        if (lostSnapshot) {
            if (word.equals("ROLLBACK")) {
                lostSnapshot = false;
            }
            return lost();
        }
        try {
            if (client == null) {
                client = MySqlClient.connect(settings);
                LOG.debug("connection {}: query backend {} open", clientId, settings.address());
                for (String statement : pending) {
                    runQuietly(statement);
                }
                pending.clear();
            }
            send(sql);
            byte[] first = client.channel().readPayload();
            String otherName = LOG_STATUS_NAMES.get(normalized(sql));
            if (otherName != null && isSyntaxError(first)) {
                // The client took its statement's name from the replayer, which knows both; the backend's version may
                // know only one (SHOW MASTER STATUS before 8.2, SHOW BINARY LOG STATUS from 8.4).
                send(otherName);
                first = client.channel().readPayload();
            }
            int status = BackendResponse.relay(first, client.channel(), deprecateEof, sink);
            sink.finish();
            track(word, sql, status);
            return null;
        } catch (PayloadSink.ClientGoneException e) {
            // The rest of the response is unread: this backend session is out of step and the client is gone anyway.
            LOG.debug("connection {}: client gone while its answer was relayed: {}", clientId, e.getMessage());
            disconnect();
            return null;
        } catch (MySqlServerException e) {
            // Refused at connect (access denied, too many connections): the backend's own error.
            disconnect();
            return new QueryResult.Error(e.errorCode(), e.sqlState(), e.serverMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("connection {}: query backend {} failed: {}", clientId, settings.address(), e.toString());
            lostSnapshot = holdsSnapshot;
            disconnect();
            try {
                sink.finish(); // what was relayed before the failure goes out ahead of the error
            } catch (IOException gone) {
                return null;
            }
            return new QueryResult.Error(MySqlConstants.ER_UNKNOWN_ERROR, MySqlConstants.SQLSTATE_GENERAL,
                    "binlog-bridge: the query backend " + settings.address() + " failed: " + e.getMessage());
        }
    }

    private QueryResult lost() {
        return new QueryResult.Error(MySqlConstants.ER_UNKNOWN_ERROR, MySqlConstants.SQLSTATE_GENERAL,
                "binlog-bridge: the connection to the query backend " + settings.address()
                        + " was lost inside a transaction or lock; ROLLBACK and start again");
    }

    /** Whether the backend session now holds a snapshot: a transaction (from its status) or a lock. */
    private void track(String word, String sql, int status) {
        if (status < 0) {
            return; // an error changes nothing we can tell
        }
        if (word.equals("UNLOCK")) {
            locked = false;
        } else if (word.equals("LOCK") || word.equals("FLUSH") && sql.toUpperCase(Locale.ROOT).contains("READ LOCK")) {
            locked = true;
        }
        holdsSnapshot = locked || (status & SERVER_STATUS_IN_TRANS) != 0;
    }

    private static String normalized(String sql) {
        return sql.strip().replaceAll("\\s+", " ").replaceAll(";$", "").toUpperCase(Locale.ROOT);
    }

    private static boolean isSyntaxError(byte[] response) {
        return MySqlClient.isErr(response) && response.length >= 3
                && ((response[1] & 0xFF) | (response[2] & 0xFF) << 8) == ER_PARSE_ERROR;
    }

    private void runQuietly(String sql) {
        try {
            send(sql);
            if (BackendResponse.relay(client.channel().readPayload(), client.channel(), false, PayloadSink.DISCARD) < 0) {
                LOG.debug("connection {}: query backend refused session statement {}", clientId, sql);
            }
        } catch (IOException e) {
            LOG.debug("connection {}: query backend failed on session statement {}: {}", clientId, sql, e.toString());
            disconnect();
        }
    }

    private void send(String sql) throws IOException {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[text.length + 1];
        payload[0] = (byte) COM_QUERY;
        System.arraycopy(text, 0, payload, 1, text.length);
        client.channel().resetSequence();
        client.channel().writePayload(payload);
    }

    private void disconnect() {
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                LOG.debug("connection {}: closing the query backend connection: {}", clientId, e.toString());
            }
            client = null;
        }
        locked = false;
        holdsSnapshot = false;
    }

    private static String firstWord(String sql) {
        String s = sql.stripLeading();
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        return s.substring(0, end).toUpperCase(Locale.ROOT);
    }
}
