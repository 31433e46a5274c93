package io.binlogbridge.replayer.purge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.access.Grants;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.server.sql.QueryResponder;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.sql.ServerIdentity;
import io.binlogbridge.server.sql.StaticLogState;
import io.binlogbridge.server.sql.BinaryLog;
import io.binlogbridge.server.sql.BinlogPosition;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** PURGE BINARY | MASTER LOGS TO | BEFORE: what is parsed, who may, and MySQL's errors. */
class PurgeStatementTest {
    private final List<PurgeRequest> asked = new ArrayList<>();
    private final Purger purger = request -> {
        asked.add(request);
        return CompletableFuture.completedFuture(new QueryResult.Ok(0));
    };

    private static final StaticLogState LOG = new StaticLogState(new ServerIdentity(Flavor.MYSQL, "8.0.40", 42,
            "3e11fa47-71ca-11e1-9e33-c80aa9429562", "CRC32", true, 0, "MySQL Community Server - GPL"),
            List.of(new BinaryLog("binlog.000001", 1000, false), new BinaryLog("binlog.000002", 2000, false)),
            new BinlogPosition("binlog.000002", 2000), "", "");

    private QueryResult run(String sql, String grants) {
        ClientSession session = new ClientSession(1, "127.0.0.1");
        session.user("u");
        session.grants(Grants.parse(grants));
        return new QueryResponder(LOG, List.of(new PurgeStatement(purger))).respond(sql, session);
    }

    @Test
    void toAndBeforeInBothSpellingsArePurgedOffTheEventLoop() {
        assertInstanceOf(QueryResult.Deferred.class, run("PURGE BINARY LOGS TO 'binlog.000002'", "admin"));
        assertInstanceOf(QueryResult.Deferred.class, run("purge master logs to \"binlog.000003\"", "admin,replication"));
        assertInstanceOf(QueryResult.Deferred.class, run("PURGE BINARY LOGS BEFORE '2026-12-01 10:20:30'", "admin"));
        assertInstanceOf(QueryResult.Deferred.class, run("PURGE MASTER LOGS BEFORE '2026-12-01'", "admin"));
        assertEquals(List.of(PurgeRequest.to("binlog.000002"), PurgeRequest.to("binlog.000003"),
                PurgeRequest.before(LocalDateTime.of(2026, 12, 1, 10, 20, 30)), PurgeRequest.before(LocalDateTime.of(2026, 12, 1, 0, 0))), asked);
    }

    @Test
    void aUserWithoutAdminGetsMySqlsAccessDenied() {
        QueryResult.Error e = assertInstanceOf(QueryResult.Error.class, run("PURGE BINARY LOGS TO 'binlog.000002'", "replication"));
        assertEquals(1227, e.code());
        assertEquals("42000", e.sqlState());
        assertEquals("Access denied; you need (at least one of) the SUPER or BINLOG_ADMIN privilege(s) for this operation", e.message());
        assertTrue(asked.isEmpty());
    }

    @Test
    void malformedStatementsGetMySqlsErrors() {
        assertEquals(1064, assertInstanceOf(QueryResult.Error.class, run("PURGE LOGS TO 'binlog.000002'", "admin")).code());
        assertEquals(1064, assertInstanceOf(QueryResult.Error.class, run("PURGE BINARY LOGS TO binlog", "admin")).code());
        assertEquals(1064, assertInstanceOf(QueryResult.Error.class, run("PURGE BINARY LOGS", "admin")).code());
        QueryResult.Error date = assertInstanceOf(QueryResult.Error.class, run("PURGE BINARY LOGS BEFORE 'yesterday'", "admin"));
        assertEquals(1210, date.code());
        assertEquals("Incorrect arguments to PURGE LOGS BEFORE", date.message());
        // An expression is valid SQL the replayer does not evaluate.
        assertEquals(1235, assertInstanceOf(QueryResult.Error.class, run("PURGE BINARY LOGS BEFORE NOW() - INTERVAL 1 DAY", "admin")).code());
        assertTrue(asked.isEmpty());
    }

    @Test
    void datetimesAreMySqlLiterals() {
        assertEquals(LocalDateTime.of(2026, 1, 2, 3, 4, 5, 600_000_000), PurgeStatement.parseDateTime("2026-01-02 03:04:05.6"));
        assertNull(PurgeStatement.parseDateTime("2026-13-02 03:04:05"));
    }
}
