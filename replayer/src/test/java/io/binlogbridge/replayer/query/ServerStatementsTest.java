package io.binlogbridge.replayer.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.query.BinlogEventsSource.BinlogEventsException;
import io.binlogbridge.replayer.query.BinlogEventsSource.BinlogEventsRequest;
import io.binlogbridge.replayer.session.ConnectionRegistry;
import io.binlogbridge.replayer.session.ConnectionStats;
import io.binlogbridge.replayer.session.ServerCounters;
import io.binlogbridge.replayer.session.Session;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.sql.QueryResponder;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.sql.ReplicaStatusColumns;
import io.binlogbridge.server.sql.StaticLogState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ServerStatementsTest {
    static final long NOW = 1_000_000_000L;
    final ConnectionRegistry connections = new ConnectionRegistry();
    final ServerCounters counters = new ServerCounters();
    final List<BinlogEventsRequest> requests = new ArrayList<>();
    CompletableFuture<List<List<String>>> events = CompletableFuture.completedFuture(List.of());

    Session session(int id, String user, long connectedAt) {
        Session s = new Session(id, "10.0.0." + id, new ConnectionStats(counters, "10.0.0." + id + ":5000" + id, connectedAt));
        s.user(user);
        connections.opened(s);
        return s;
    }

    QueryResult run(Flavor flavor, String sql, Session asking) {
        asking.statementStarted(sql);
        ServerStatements family = new ServerStatements(new ProcessList(connections, () -> NOW),
                new StatusVariables(connections, counters, NOW - 90_000, () -> NOW),
                new BinlogEventsStatement(r -> {
                    requests.add(r);
                    return events;
                }));
        return new QueryResponder(LogStatementsTest.state(flavor), List.of(family)).respond(sql, asking);
    }

    QueryResult.ResultSet rs(Flavor flavor, String sql, Session asking) {
        return assertInstanceOf(QueryResult.ResultSet.class, run(flavor, sql, asking));
    }

    @Test
    void processListShowsDumpsAsMySqlsDumpThreadsAndTheAskingStatement() {
        Session asking = session(1, "admin", NOW - 5_000);
        Session dump = session(2, "replica", NOW - 60_000);
        dump.dumping(true);
        dump.stats().dumpStarted(7, true);
        dump.stats().dumpCaughtUp(true);
        Session idle = session(3, "cdc", NOW - 10_000);
        idle.commandEnded();
        idle.database("shop");
        Session busy = session(4, "other", NOW);
        busy.statementStarted("SHOW BINLOG EVENTS IN 'binlog.000001' " + "x".repeat(200));
        Session login = session(5, null, NOW - 2_000);

        QueryResult.ResultSet r = rs(Flavor.MYSQL, "SHOW PROCESSLIST", asking);
        assertEquals(List.of("Id", "User", "Host", "db", "Command", "Time", "State", "Info"), r.columns().stream().map(QueryResult.Column::name).toList());
        assertEquals(List.of("1", "admin", "10.0.0.1:50001"), r.rows().get(0).subList(0, 3));
        assertEquals(List.of("Query", "0", "starting", "SHOW PROCESSLIST"), r.rows().get(0).subList(4, 8));
        List<String> d = r.rows().get(1);
        assertEquals("Binlog Dump GTID", d.get(4));
        assertEquals("Source has sent all binlog to replica; waiting for more updates", d.get(6)); // 8.0.40's words
        assertEquals(null, d.get(7));
        assertEquals(List.of("shop", "Sleep"), r.rows().get(2).subList(3, 5));
        assertEquals("", r.rows().get(2).get(6));
        assertEquals(List.of("Query", "0", "executing"), r.rows().get(3).subList(4, 7));
        assertEquals(100, r.rows().get(3).get(7).length(), "without FULL, 100 characters of the statement");
        assertEquals(Arrays.asList("unauthenticated user", "10.0.0.5:50005", null, "Connect", "2", "login", null), r.rows().get(4).subList(1, 8));

        r = rs(Flavor.MYSQL, "SHOW FULL PROCESSLIST", asking);
        assertEquals(busy.statement(), r.rows().get(3).get(7));

        dump.stats().dumpStarted(8, false);
        r = rs(Flavor.MARIADB, "show processlist", asking);
        assertEquals("Progress", r.columns().get(8).name());
        assertEquals(Arrays.asList("Binlog Dump", "0", "Sending binlog event to slave", null, "0.000"), r.rows().get(1).subList(4, 9));
    }

    @Test
    void statusHasTheServersFiguresUnderMySqlsNames() {
        Session asking = session(1, "admin", NOW);
        Session dump = session(2, "replica", NOW);
        dump.dumping(true);
        counters.connected();
        counters.connected();
        dump.stats().written(5000);
        asking.stats().written(300);
        asking.stats().authenticationFailed();

        QueryResult.ResultSet r = rs(Flavor.MYSQL, "SHOW GLOBAL STATUS", asking);
        assertEquals(List.of(List.of("Aborted_connects", "1"), List.of("Bytes_sent", "5300"), List.of("Connections", "2"),
                List.of("Max_used_connections", "2"), List.of("Threads_connected", "2"), List.of("Threads_running", "2"),
                List.of("Uptime", "90"), List.of("Uptime_since_flush_status", "90")), r.rows());
        assertEquals(List.of(List.of("Bytes_sent", "300")), rs(Flavor.MYSQL, "SHOW STATUS LIKE 'bytes_sent'", asking).rows());
        assertEquals(List.of(List.of("Threads_connected", "2"), List.of("Threads_running", "2")),
                rs(Flavor.MYSQL, "SHOW SESSION STATUS WHERE Variable_name LIKE 'Threads%'", asking).rows());
        assertEquals(MySqlConstants.ER_PARSE_ERROR, assertInstanceOf(QueryResult.Error.class, run(Flavor.MYSQL, "SHOW STATUS LIKE", asking)).code());
    }

    @Test
    void binlogEventsAreReadOffTheEventLoopWithTheRequestedBounds() {
        Session asking = session(1, "admin", NOW);
        events = new CompletableFuture<>();
        QueryResult.Deferred deferred = assertInstanceOf(QueryResult.Deferred.class,
                run(Flavor.MYSQL, "SHOW BINLOG EVENTS IN 'binlog.000002' FROM 120 LIMIT 3, 7", asking));
        assertEquals(List.of(new BinlogEventsRequest("binlog.000002", 120, 3, 7)), requests);
        assertFalse(deferred.result().isDone());
        events.complete(List.of(List.of("binlog.000002", "120", "Xid", "42", "151", "COMMIT /* xid=9 */")));
        QueryResult.ResultSet r = assertInstanceOf(QueryResult.ResultSet.class, deferred.result().join());
        assertEquals(List.of("Log_name", "Pos", "Event_type", "Server_id", "End_log_pos", "Info"), r.columns().stream().map(QueryResult.Column::name).toList());
        assertEquals("COMMIT /* xid=9 */", r.rows().get(0).get(5));

        requests.clear();
        assertInstanceOf(QueryResult.Deferred.class, run(Flavor.MYSQL, "SHOW BINLOG EVENTS LIMIT 5", asking));
        assertEquals(List.of(new BinlogEventsRequest("binlog.000001", 4, 0, 5)), requests, "the first file by default");
    }

    @Test
    void binlogEventsErrorsAreMySqls() {
        Session asking = session(1, "admin", NOW);
        QueryResult.Error e = assertInstanceOf(QueryResult.Error.class, run(Flavor.MYSQL, "SHOW BINLOG EVENTS IN 'binlog.000009'", asking));
        assertEquals(1220, e.code());
        assertEquals("Error when executing command SHOW BINLOG EVENTS: Could not find target log", e.message());

        events = CompletableFuture.failedFuture(new BinlogEventsException("Wrong offset or I/O error"));
        QueryResult.Deferred deferred = assertInstanceOf(QueryResult.Deferred.class,
                run(Flavor.MYSQL, "SHOW BINLOG EVENTS FROM 5", asking));
        e = assertInstanceOf(QueryResult.Error.class, deferred.result().join());
        assertEquals("Error when executing command SHOW BINLOG EVENTS: Wrong offset or I/O error", e.message());

        assertEquals(MySqlConstants.ER_PARSE_ERROR,
                assertInstanceOf(QueryResult.Error.class, run(Flavor.MYSQL, "SHOW BINLOG EVENTS LIMIT 'x'", asking)).code());
        QueryResult.ResultSet empty = assertInstanceOf(QueryResult.ResultSet.class, new QueryResponder(
                new StaticLogState(LogStatementsTest.state(Flavor.MYSQL).identity(), List.of(), new io.binlogbridge.server.sql.BinlogPosition("", 0), "", ""),
                List.of(new ServerStatements(new ProcessList(connections, () -> NOW), new StatusVariables(connections, counters, NOW, () -> NOW),
                        new BinlogEventsStatement(r -> events)))).respond("SHOW BINLOG EVENTS", asking));
        assertEquals(List.of(), empty.rows(), "an empty log lists nothing, as a server without binary logging");
    }

    @Test
    void replicaStatusDescribesTheSourceAsTheLogRecordsIt() {
        Session asking = session(1, "admin", NOW);
        QueryResult.ResultSet r = rs(Flavor.MYSQL, "SHOW REPLICA STATUS", asking);
        assertEquals(ReplicaStatusColumns.NAMES, r.columns().stream().map(QueryResult.Column::name).toList());
        List<String> row = r.rows().get(0);
        assertEquals("42", row.get(r.columnIndex("Source_Server_Id")));
        assertEquals(LogStatementsTest.UUID, row.get(r.columnIndex("Source_UUID")));
        assertEquals(List.of("binlog.000002", "2000"), row.subList(r.columnIndex("Source_Log_File"), r.columnIndex("Read_Source_Log_Pos") + 1));
        assertEquals("2000", row.get(r.columnIndex("Exec_Source_Log_Pos")));
        assertEquals(LogStatementsTest.UUID + ":1-5", row.get(r.columnIndex("Executed_Gtid_Set")));
        assertEquals(LogStatementsTest.UUID + ":1-5", row.get(r.columnIndex("Retrieved_Gtid_Set")));
        assertEquals(Arrays.asList("Yes", "Yes"), row.subList(r.columnIndex("Replica_IO_Running"), r.columnIndex("Replica_SQL_Running") + 1));
        assertEquals(null, row.get(r.columnIndex("Seconds_Behind_Source")), "the relay's lag is not in the log");

        r = rs(Flavor.MYSQL, "SHOW SLAVE STATUS FOR CHANNEL ''", asking);
        assertEquals("Waiting for master to send event", r.rows().get(0).get(r.columnIndex("Slave_IO_State")));
        assertEquals("binlog.000002", r.rows().get(0).get(r.columnIndex("Master_Log_File")));

        r = rs(Flavor.MARIADB, "SHOW SLAVE STATUS", asking);
        List<String> names = r.columns().stream().map(QueryResult.Column::name).toList();
        assertEquals(List.of("Using_Gtid", "Gtid_IO_Pos"), names.subList(names.size() - 2, names.size()));
        assertEquals("Slave_Pos", r.rows().get(0).get(r.columnIndex("Using_Gtid")));
    }
}
