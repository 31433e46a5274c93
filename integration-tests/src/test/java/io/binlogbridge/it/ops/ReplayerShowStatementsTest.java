package io.binlogbridge.it.ops;

import static io.binlogbridge.it.fixtures.SourceDatabase.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MySQL's own statements on the replayer answer as the source answers them: SHOW BINLOG EVENTS lists a closed file
 * of the log row for row as MySQL 8.0 and MariaDB 10.11 list their own (all six columns, with IN, FROM and LIMIT);
 * SHOW PROCESSLIST shows a connected BinaryLogClient as the source shows the same client's dump thread; SHOW GLOBAL
 * STATUS counts the connections and the bytes a dump received; SHOW REPLICA STATUS names the source and the end
 * of the log as the source reports its own.
 */
class ReplayerShowStatementsTest {
    private static final String USER = "repl";
    private static final String PASSWORD = "repl-Secret1";
    private static KafkaBroker kafka;
    private static MySqlServer mysql;
    private static MariaDbServer mariadb;
    private static RelayProcess mysqlRelay;
    private static RelayProcess mariadbRelay;
    private static ReplayerProcess mysqlReplayer;
    private static ReplayerProcess mariadbReplayer;

    @BeforeAll
    static void setUp() throws Exception {
        kafka = KafkaBroker.launch();
        mysql = MySqlServer.builder().gtid(true).start();
        mariadb = MariaDbServer.builder().start();
        for (SourceDatabase source : List.of(mysql, mariadb)) {
            source.createReplicationUser(USER, PASSWORD);
            workload(source);
        }
        mysqlRelay = RelayProcess.of(mysql, USER, PASSWORD, 4101, kafka.bootstrap(), "show-mysql").start();
        mariadbRelay = RelayProcess.of(mariadb, USER, PASSWORD, 4102, kafka.bootstrap(), "show-mariadb").start();
        awaitRelayed(mysql, "show-mysql");
        awaitRelayed(mariadb, "show-mariadb");
        mysqlReplayer = ReplayerProcess.start(kafka.bootstrap(), "show-mysql");
        mariadbReplayer = ReplayerProcess.start(kafka.bootstrap(), "show-mariadb");
    }

    @AfterAll
    static void tearDown() {
        Cleanup.closeAll(mysqlReplayer, mariadbReplayer, mysqlRelay, mariadbRelay, mysql, mariadb, kafka);
    }

    /** DDL, single-row and multi-row changes, a transaction of several statements, and rotations between them. */
    private static void workload(SourceDatabase source) throws SQLException {
        source.execute("CREATE DATABASE shop",
                "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(100), qty INT) ENGINE=InnoDB",
                "INSERT INTO shop.items VALUES (1, 'apple', 10), (2, 'pear', 20), (3, 'plum', 30)",
                "UPDATE shop.items SET qty = qty + 1 WHERE id = 2",
                "FLUSH BINARY LOGS",
                "DELETE FROM shop.items WHERE id = 3",
                "ALTER TABLE shop.items ADD COLUMN note TEXT",
                "CREATE TABLE shop.`odd``name` (k INT PRIMARY KEY)");
        try (Connection c = source.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("INSERT INTO shop.items VALUES (4, 'fig', 1, 'multi'), (5, 'kiwi', 2, NULL)");
            st.execute("UPDATE shop.items SET note = 'changed' WHERE id < 3");
            st.execute("DELETE FROM shop.items WHERE id = 5");
            st.execute("INSERT INTO shop.`odd``name` VALUES (1)");
            c.commit();
        }
        // The statement beside its rows: MySQL's Rows_query event (MariaDB writes Annotate_rows by default).
        try (Connection c = source.connect(); Statement st = c.createStatement()) {
            if (!source.isMariaDb()) {
                st.execute("SET SESSION binlog_rows_query_log_events = ON");
            }
            st.execute("UPDATE shop.items SET qty = qty * 2 WHERE id IN (1, 2) /* annotated */");
        }
        source.execute("FLUSH BINARY LOGS", "INSERT INTO shop.items VALUES (6, 'lime', 6, 'after')", "FLUSH BINARY LOGS");
    }

    private static void awaitRelayed(SourceDatabase source, String topic) {
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
            contents.pollUntil(TopicContents.reached(source.currentBinlogFile(), source.currentBinlogPosition()),
                    Duration.ofMinutes(2), "relay to catch up with " + source);
        }
    }

    /** The source's files the relay has closed: all but the one it writes now. */
    private static List<String> closedFiles(SourceDatabase source) {
        List<Path> files = source.binlogFiles();
        return files.subList(0, files.size() - 1).stream().map(p -> p.getFileName().toString()).toList();
    }

    private static Connection replayerConnection(ReplayerProcess replayer) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + replayer.port()
                + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true&connectTimeout=10000", ReplayerProcess.USER, ReplayerProcess.PASSWORD);
    }

    private static List<String> columns(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                names.add(rs.getMetaData().getColumnLabel(i));
            }
            return names;
        }
    }

    @Test
    void mysqlBinlogEventsMatchTheSources() throws Exception {
        assertSameBinlogEvents(mysql, mysqlReplayer);
    }

    @Test
    void mariaDbBinlogEventsMatchTheSources() throws Exception {
        assertSameBinlogEvents(mariadb, mariadbReplayer);
    }

    private static void assertSameBinlogEvents(SourceDatabase source, ReplayerProcess replayer) throws Exception {
        List<String> closed = closedFiles(source);
        assertTrue(closed.size() >= 3, "the workload rotated: " + closed);
        try (Connection src = source.connect(); Connection rep = replayerConnection(replayer)) {
            String statement = "SHOW BINLOG EVENTS";
            assertEquals(columns(src, statement), columns(rep, statement));
            java.util.Set<String> types = new java.util.TreeSet<>();
            for (String file : closed) {
                statement = "SHOW BINLOG EVENTS IN '" + file + "'";
                List<List<String>> expected = rows(src, statement);
                assertTrue(expected.size() >= 3, statement + " on the source: " + expected);
                assertEquals(expected, rows(rep, statement), statement);
                expected.forEach(r -> types.add(r.get(2)));
            }
            // Every kind of event the workload writes was compared, each with its own Info.
            List<String> written = source.isMariaDb()
                    ? List.of("Format_desc", "Gtid_list", "Binlog_checkpoint", "Gtid", "Query", "Annotate_rows", "Table_map",
                            "Write_rows_v1", "Update_rows_v1", "Delete_rows_v1", "Xid", "Rotate")
                    : List.of("Format_desc", "Previous_gtids", "Gtid", "Query", "Rows_query", "Table_map", "Write_rows",
                            "Update_rows", "Delete_rows", "Xid", "Rotate");
            assertTrue(types.containsAll(written), "the closed files hold " + types);
            assertEquals(rows(src, "SHOW BINLOG EVENTS"), rows(rep, "SHOW BINLOG EVENTS"), "the first file without IN");

            String second = closed.get(1);
            List<List<String>> all = rows(src, "SHOW BINLOG EVENTS IN '" + second + "'");
            String middle = all.get(all.size() / 2).get(1);
            for (String tail : List.of(" FROM " + middle, " LIMIT 3", " LIMIT 2, 4", " FROM " + middle + " LIMIT 1, 2",
                    " FROM " + middle + " LIMIT 0")) {
                statement = "SHOW BINLOG EVENTS IN '" + second + "'" + tail;
                List<List<String>> expected = rows(src, statement);
                assertEquals(expected, rows(rep, statement), statement);
            }
            assertSameError(src, rep, "SHOW BINLOG EVENTS IN 'nosuch.000001'");
            assertSameError(src, rep, "SHOW BINLOG EVENTS IN '" + second + "' FROM " + (Long.parseLong(middle) + 1));

            // The file the source writes now, as far as the relay has it (all of it: the workload is over).
            statement = "SHOW BINLOG EVENTS IN '" + source.currentBinlogFile() + "'";
            assertEquals(rows(src, statement), rows(rep, statement), statement);
        }
    }

    private static void assertSameError(Connection src, Connection rep, String statement) {
        SQLException expected = assertThrows(SQLException.class, () -> rows(src, statement), statement + " on the source");
        SQLException actual = assertThrows(SQLException.class, () -> rows(rep, statement), statement + " on the replayer");
        assertEquals(expected.getErrorCode(), actual.getErrorCode(), statement);
        // MariaDB's driver (on the MariaDB source) puts "(conn=N) " before the server's message.
        assertEquals(expected.getMessage().replaceFirst("^\\(conn=\\d+\\) ", ""), actual.getMessage(), statement);
        assertEquals(expected.getSQLState(), actual.getSQLState(), statement);
    }

    @Test
    void mysqlProcessListShowsADumpAsTheSourceDoes() throws Exception {
        assertProcessListAsTheSource(mysql, mysqlReplayer, "");
    }

    @Test
    void mariaDbProcessListShowsADumpAsTheSourceDoes() throws Exception {
        assertProcessListAsTheSource(mariadb, mariadbReplayer, null);
    }

    /**
     * The same BinaryLogClient dump against the source and the replayer: both list its connection with the same
     * Command and, once it has everything, the same State; and the connection asking shows itself alike.
     */
    private static void assertProcessListAsTheSource(SourceDatabase source, ReplayerProcess replayer, String gtidSet) throws Exception {
        BinaryLogClient onSource = dumpClient(source.port(), "root", "", 7101, gtidSet);
        BinaryLogClient onReplayer = dumpClient(replayer.port(), ReplayerProcess.USER, ReplayerProcess.PASSWORD, 7102, gtidSet);
        try (Connection src = source.connect(); Connection rep = replayerConnection(replayer)) {
            assertEquals(columns(src, "SHOW PROCESSLIST"), columns(rep, "SHOW PROCESSLIST"));
            List<String> sourceDump = awaitCaughtUpRow(() -> row(src, onSource.getConnectionId()));
            List<String> replayerDump = awaitCaughtUpRow(() -> row(rep, onReplayer.getConnectionId()));
            String expectedCommand = gtidSet != null ? "Binlog Dump GTID" : "Binlog Dump";
            assertEquals(expectedCommand, sourceDump.get(4), "the source's own dump thread: " + sourceDump);
            // Command, State and Info (null) as the source shows them; Id, User, Host and Time are each server's own.
            assertEquals(sourceDump.subList(4, 5), replayerDump.subList(4, 5), "Command");
            assertEquals(sourceDump.subList(6, 8), replayerDump.subList(6, 8), "State and Info");
            assertEquals(ReplayerProcess.USER, replayerDump.get(1));

            List<String> sourceSelf = ownRow(src, "SHOW FULL PROCESSLIST");
            List<String> replayerSelf = ownRow(rep, "SHOW FULL PROCESSLIST");
            assertEquals(List.of(sourceSelf.get(4), sourceSelf.get(6), sourceSelf.get(7)),
                    List.of(replayerSelf.get(4), replayerSelf.get(6), replayerSelf.get(7)), "the asking connection");
        } finally {
            onSource.disconnect();
            onReplayer.disconnect();
        }
    }

    private static BinaryLogClient dumpClient(int port, String user, String password, long serverId, String gtidSet) throws Exception {
        BinaryLogClient client = new BinaryLogClient("127.0.0.1", port, user, password);
        client.setServerId(serverId);
        client.setKeepAlive(false);
        if (gtidSet != null) {
            client.setGtidSet(gtidSet);
        } else {
            client.setBinlogFilename("");
            client.setBinlogPosition(4);
        }
        client.connect(TimeUnit.SECONDS.toMillis(30));
        return client;
    }

    private static List<String> row(Connection c, long id) {
        try {
            for (List<String> r : rows(c, "SHOW PROCESSLIST")) {
                if (Long.parseLong(r.get(0)) == id) {
                    return r;
                }
            }
            return null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> ownRow(Connection c, String statement) throws SQLException {
        for (List<String> r : rows(c, statement)) {
            if (statement.equals(r.get(7))) {
                return r;
            }
        }
        throw new AssertionError(statement + " does not list itself");
    }

    /** The dump's row once it has sent everything the log holds (State mentions waiting). */
    private static List<String> awaitCaughtUpRow(Supplier<List<String>> row) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> last = null;
        while (System.nanoTime() < deadline) {
            last = row.get();
            if (last != null && last.get(6) != null && last.get(6).contains("waiting for more updates")) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no caught-up dump row; last: " + last);
    }

    @Test
    void replicaStatusDescribesTheSourceTheLogWasRelayedFrom() throws Exception {
        for (SourceDatabase source : List.of(mysql, mariadb)) {
            ReplayerProcess replayer = source == mysql ? mysqlReplayer : mariadbReplayer;
            try (Connection rep = replayerConnection(replayer); Statement st = rep.createStatement();
                    ResultSet rs = st.executeQuery("SHOW REPLICA STATUS")) {
                assertTrue(rs.next(), "one row");
                assertEquals(source.serverId(), rs.getLong("Source_Server_Id"), source.toString());
                assertEquals(source.currentBinlogFile(), rs.getString("Source_Log_File"));
                assertEquals(source.currentBinlogPosition(), rs.getLong("Read_Source_Log_Pos"));
                assertEquals(source.gtidExecuted(), rs.getString(source == mysql ? "Executed_Gtid_Set" : "Gtid_IO_Pos"));
                if (source == mysql) {
                    assertEquals(mysql.serverUuid(), rs.getString("Source_UUID"));
                }
                assertEquals("Yes", rs.getString("Replica_IO_Running"));
            }
        }
    }

    @Test
    void globalStatusCountsConnectionsAndTheBytesADumpReceived() throws Exception {
        try (Connection asking = replayerConnection(mysqlReplayer)) {
            Map<String, Long> before = status(asking);
            long threads;
            try (Connection a = replayerConnection(mysqlReplayer); Connection b = replayerConnection(mysqlReplayer)) {
                threads = status(asking).get("Threads_connected");
                assertTrue(threads >= before.get("Threads_connected") + 2, "two more connections: " + before + " then " + threads);
                assertTrue(status(asking).get("Connections") >= before.get("Connections") + 2);
                List<List<String>> like = rows(asking, "SHOW GLOBAL STATUS LIKE 'Threads_conn%'");
                assertEquals(1, like.size(), like.toString());
                assertEquals("Threads_connected", like.get(0).get(0));
                assertTrue(Long.parseLong(like.get(0).get(1)) >= 3, "this and two more connections: " + like);
            }
            AtomicLong received = new AtomicLong();
            BinaryLogClient client = new BinaryLogClient("127.0.0.1", mysqlReplayer.port(), ReplayerProcess.USER, ReplayerProcess.PASSWORD);
            client.setServerId(7103);
            client.setBlocking(false);
            client.setKeepAlive(false);
            client.setBinlogFilename("");
            client.setBinlogPosition(4);
            client.registerEventListener(e -> received.addAndGet(e.getHeader() instanceof com.github.shyiko.mysql.binlog.event.EventHeaderV4 h
                    ? h.getEventLength() : 0));
            client.connect(); // non-blocking: returns at the end of the log
            Map<String, Long> after = status(asking);
            assertTrue(received.get() > 2_000, "the dump received the log: " + received);
            assertTrue(after.get("Bytes_sent") - before.get("Bytes_sent") >= received.get(),
                    "Bytes_sent grew by at least the " + received + " event bytes the dump received: " + before + " then " + after);
            assertTrue(after.get("Uptime") >= 0 && after.get("Max_used_connections") >= 3, after.toString());
        }
    }

    private static Map<String, Long> status(Connection c) throws SQLException {
        Map<String, Long> values = new TreeMap<>();
        for (List<String> r : rows(c, "SHOW GLOBAL STATUS")) {
            values.put(r.get(0), Long.parseLong(r.get(1)));
        }
        for (String name : List.of("Threads_connected", "Connections", "Bytes_sent", "Uptime", "Max_used_connections")) {
            assertNotNull(values.get(name), name + " in " + values);
        }
        return values;
    }
}
