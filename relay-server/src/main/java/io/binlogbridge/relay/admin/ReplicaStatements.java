package io.binlogbridge.relay.admin;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.access.Grants;
import io.binlogbridge.server.access.Privilege;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.sql.SqlError;
import io.binlogbridge.server.sql.SqlLexer.Kind;
import io.binlogbridge.server.sql.StatementContext;
import io.binlogbridge.server.sql.StatementCursor;
import io.binlogbridge.server.sql.StatementFamily;
import java.time.Duration;
import java.util.Optional;

/**
 * The statements DBAs and HA tools send a replica, answered for the relay: STOP REPLICA, CHANGE REPLICATION
 * SOURCE TO, START REPLICA, SHOW REPLICA STATUS, and their SLAVE / MASTER spellings. IO_THREAD and SQL_THREAD
 * both name the relay (it has one thread, which reads and writes to Kafka). Unlike MySQL, START REPLICA waits
 * until the relay streams from its source or refuses it, so that a refusal is the statement's own error.
 */
final class ReplicaStatements implements StatementFamily {
    /** ER_REPLICA_CHANNEL_IO_THREAD_MUST_STOP (mysqld_error.h). */
    static final int ER_REPLICA_CHANNEL_IO_THREAD_MUST_STOP = 3021;

    private final ReplicaThread replica;
    private final ReplicaStatus status;
    private final Duration startWait;

    ReplicaStatements(ReplicaThread replica, ReplicaStatus status, Duration startWait) {
        this.replica = replica;
        this.status = status;
        this.startWait = startWait;
    }

    @Override
    public QueryResult answer(String first, StatementContext context) {
        StatementCursor cursor = context.cursor();
        Grants grants = context.session().grants();
        return switch (first) {
            case "START" -> replicaWord(cursor) ? start(cursor, grants) : null;
            case "STOP" -> replicaWord(cursor) ? stop(cursor, grants) : null;
            case "CHANGE" -> change(cursor, grants);
            case "SHOW" -> {
                boolean replicaSpelling = cursor.acceptWord("REPLICA");
                // SHOW SLAVE HOSTS and the rest are not ours: the cursor is rewound for them.
                yield (replicaSpelling || cursor.acceptWord("SLAVE")) && cursor.acceptWord("STATUS") ? show(cursor, replicaSpelling, grants) : null;
            }
            default -> null;
        };
    }

    /** STOP, CHANGE and START need {@code admin}: MySQL's SUPER or REPLICATION_SLAVE_ADMIN. */
    private static void requireAdmin(Grants grants) {
        if (!grants.allows(Privilege.ADMIN, null)) {
            throw accessDenied("SUPER or REPLICATION_SLAVE_ADMIN");
        }
    }

    private static SqlError accessDenied(String privileges) {
        return new SqlError(new QueryResult.Error(MySqlConstants.ER_SPECIFIC_ACCESS_DENIED_ERROR, MySqlConstants.SQLSTATE_SPECIFIC_ACCESS_DENIED,
                "Access denied; you need (at least one of) the " + privileges + " privilege(s) for this operation"));
    }

    private static boolean replicaWord(StatementCursor cursor) {
        return cursor.acceptWord("REPLICA") || cursor.acceptWord("SLAVE");
    }

    private QueryResult start(StatementCursor cursor, Grants grants) {
        threads(cursor);
        channel(cursor);
        cursor.expectEnd();
        requireAdmin(grants);
        try {
            Optional<IoError> failure = replica.start(startWait);
            if (failure.isPresent()) {
                IoError e = failure.get();
                throw new SqlError(new QueryResult.Error(e.errno(), MySqlConstants.SQLSTATE_GENERAL, e.message()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqlError(new QueryResult.Error(MySqlConstants.ER_UNKNOWN_ERROR, MySqlConstants.SQLSTATE_GENERAL, "interrupted"));
        }
        return new QueryResult.Ok(0);
    }

    private QueryResult stop(StatementCursor cursor, Grants grants) {
        threads(cursor);
        channel(cursor);
        cursor.expectEnd();
        requireAdmin(grants);
        try {
            replica.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqlError(new QueryResult.Error(MySqlConstants.ER_UNKNOWN_ERROR, MySqlConstants.SQLSTATE_GENERAL, "interrupted"));
        }
        return new QueryResult.Ok(0);
    }

    private QueryResult change(StatementCursor cursor, Grants grants) {
        boolean replicationSource = cursor.acceptWord("REPLICATION") && cursor.acceptWord("SOURCE");
        if (!replicationSource && !cursor.acceptWord("MASTER")) {
            return null;
        }
        if (!cursor.acceptWord("TO")) {
            throw cursor.syntaxHere();
        }
        SourceChange change = ChangeSourceStatement.parse(cursor);
        requireAdmin(grants);
        try {
            replica.change(change);
        } catch (IllegalStateException running) {
            throw new SqlError(new QueryResult.Error(ER_REPLICA_CHANNEL_IO_THREAD_MUST_STOP, MySqlConstants.SQLSTATE_GENERAL,
                    "This operation cannot be performed with a running replica io thread; run STOP REPLICA IO_THREAD FOR CHANNEL '' first."));
        }
        return new QueryResult.Ok(0);
    }

    /** SHOW REPLICA STATUS needs {@code monitor} or {@code admin}: MySQL's SUPER or REPLICATION CLIENT. */
    private QueryResult show(StatementCursor cursor, boolean replicaSpelling, Grants grants) {
        channel(cursor);
        cursor.expectEnd();
        if (!grants.allows(Privilege.MONITOR, null) && !grants.allows(Privilege.ADMIN, null)) {
            throw accessDenied("SUPER, REPLICATION CLIENT");
        }
        return status.resultSet(replicaSpelling);
    }

    /** {@code IO_THREAD, SQL_THREAD}: both name the relay's one thread. */
    private static void threads(StatementCursor cursor) {
        if (cursor.acceptWord("IO_THREAD") || cursor.acceptWord("SQL_THREAD")) {
            while (cursor.acceptSymbol(",")) {
                if (!cursor.acceptWord("IO_THREAD") && !cursor.acceptWord("SQL_THREAD")) {
                    throw cursor.syntaxHere();
                }
            }
        }
        if (cursor.acceptWord("UNTIL") || cursor.acceptWord("USER") || cursor.acceptWord("PASSWORD")) {
            throw cursor.notSupported();
        }
    }

    /** {@code FOR CHANNEL ''}: the relay has the default channel only. */
    static void channel(StatementCursor cursor) {
        if (cursor.acceptWord("FOR")) {
            if (!cursor.acceptWord("CHANNEL")) {
                throw cursor.syntaxHere();
            }
            String name = cursor.expect(Kind.STRING, Kind.WORD, Kind.QUOTED_IDENT).text();
            if (!name.isEmpty()) {
                throw cursor.notSupported();
            }
        }
    }
}
