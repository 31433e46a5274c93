package io.binlogbridge.server.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.session.ClientSession;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which statements QueryResponder answers itself and which it leaves to a query backend. */
class QueryBackendRoutingTest {
    /** A backend that records what reached it and answers with an empty relayed response. */
    static final class RecordingBackend implements QueryBackend {
        final List<String> forwarded = new ArrayList<>();
        final List<String> followed = new ArrayList<>();
        boolean snapshot;

        @Override
        public boolean configured() {
            return true;
        }

        @Override
        public QueryResult forward(String sql, ClientSession session, QueryResult.Error localAnswer) {
            forwarded.add(sql);
            return new QueryResult.Relayed(sink -> java.util.concurrent.CompletableFuture.completedFuture(null));
        }

        @Override
        public void follow(String sql, ClientSession session) {
            followed.add(sql);
        }

        @Override
        public boolean holdsSnapshot(ClientSession session) {
            return snapshot;
        }
    }

    final ClientSession session = QueryResponderTest.newSession(1);
    final RecordingBackend backend = new RecordingBackend();
    /** The replayer's own family stand-in: answers SHOW MASTER STATUS, and refuses PURGE with its own error. */
    final StatementFamily logFamily = (first, context) -> {
        if (first.equals("PURGE")) {
            return new QueryResult.Error(1373, "HY000", "Target log not found in binlog index");
        }
        if (first.equals("SHOW") && context.cursor().acceptWord("MASTER")) {
            return new QueryResult.ResultSet(List.of(QueryResult.Column.text("File")), List.of(List.of("binlog.000002")));
        }
        return null;
    };
    final QueryResponder responder = new QueryResponder(QueryResponderTest.state(Flavor.MYSQL), List.of(logFamily),
            StatementFixture.CLOCK, backend);

    QueryResult run(String sql) {
        return responder.respond(sql, session);
    }

    @Test
    void statementsTheLogCannotAnswerGoToTheBackend() {
        for (String sql : List.of("SELECT * FROM inventory.orders", "SHOW CREATE TABLE inventory.orders", "SHOW DATABASES",
                "SHOW FULL TABLES IN inventory WHERE Table_Type = 'BASE TABLE'", "SELECT GTID_SUBTRACT('a:1-3', 'a:1')",
                "START TRANSACTION WITH CONSISTENT SNAPSHOT", "FLUSH TABLES WITH READ LOCK", "UNLOCK TABLES",
                "LOCK TABLES t READ", "COMMIT", "ROLLBACK", "BEGIN")) {
            assertInstanceOf(QueryResult.Relayed.class, run(sql), sql);
        }
        assertEquals(12, backend.forwarded.size());
    }

    @Test
    void theReplayersOwnAnswersStayItsOwn() {
        assertInstanceOf(QueryResult.ResultSet.class, run("SELECT @@global.gtid_executed, @@server_id, @@server_uuid"));
        assertInstanceOf(QueryResult.ResultSet.class, run("SHOW GLOBAL VARIABLES LIKE 'gtid_mode'"));
        assertInstanceOf(QueryResult.ResultSet.class, run("SHOW MASTER STATUS"));
        // A family's error is its own: a PURGE must never purge the backend's logs.
        assertEquals(1373, assertInstanceOf(QueryResult.Error.class, run("PURGE BINARY LOGS TO 'x'")).code());
        assertTrue(backend.forwarded.isEmpty(), backend.forwarded.toString());
    }

    @Test
    void insideABackendSnapshotTheLogPositionIsTheBackends() {
        backend.snapshot = true;
        assertInstanceOf(QueryResult.Relayed.class, run("SHOW MASTER STATUS"));
        assertInstanceOf(QueryResult.Relayed.class, run("show binary log status"));
        assertInstanceOf(QueryResult.ResultSet.class, run("SHOW GLOBAL VARIABLES LIKE 'gtid_mode'"));
        assertEquals(List.of("SHOW MASTER STATUS", "show binary log status"), backend.forwarded);
    }

    @Test
    void sessionStatementsAreAnsweredHereAndFollowedThere() {
        assertInstanceOf(QueryResult.Ok.class, run("SET NAMES utf8mb4"));
        assertInstanceOf(QueryResult.Ok.class, run("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ"));
        assertInstanceOf(QueryResult.Ok.class, run("USE inventory"));
        assertEquals(List.of("SET NAMES utf8mb4", "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ", "USE inventory"),
                backend.followed);
        assertTrue(backend.forwarded.isEmpty());
    }

    @Test
    void withoutABackendTheErrorNamesWhatToConfigure() {
        QueryResponder alone = new QueryResponder(QueryResponderTest.state(Flavor.MYSQL), List.of(), StatementFixture.CLOCK,
                QueryBackend.absent("(needs --query-backend)"));
        QueryResult.Error error = assertInstanceOf(QueryResult.Error.class, alone.respond("FLUSH TABLES WITH READ LOCK", session));
        assertEquals(MySqlConstants.ER_NOT_SUPPORTED_YET, error.code());
        assertTrue(error.message().endsWith("(needs --query-backend)"), error.message());
        for (String sql : List.of("SELECT * FROM inventory.orders", "SHOW CREATE TABLE inventory.orders", "SHOW DATABASES",
                "LOCK TABLES t READ")) {
            error = assertInstanceOf(QueryResult.Error.class, alone.respond(sql, session));
            assertTrue(error.message().endsWith("(needs --query-backend)"), sql + ": " + error.code() + " " + error.message());
        }
        // Transactions without a backend: nothing to commit, as before.
        assertInstanceOf(QueryResult.Ok.class, alone.respond("START TRANSACTION WITH CONSISTENT SNAPSHOT", session));
    }
}
