package io.binlogbridge.it.replicas;

import static io.binlogbridge.it.replicas.Replicas.sqlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.MySqlServerException;
import io.binlogbridge.it.fanout.DumpDigest;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.Cleanup;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, part 2: a log that does not start at the source's first transaction never hides its gap. The source
 * writes phase A, rotates, writes phase B; the relay starts with {@code --start latest} in the middle of the second
 * file; phase C follows through the relay. A replica holding only A (almost complete) is refused with the source's
 * own error for purged history, by GTID and by file/position; a replica holding everything before the log's start
 * replicates C and ends equal to the source.
 */
class LogStartTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(90);
    private static final String SEED_USER = "seed";
    private static final String SEED_PASSWORD = "seed-Secret1";
    private static KafkaBroker kafka;

    private static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            kafka = KafkaBroker.launch();
        }
        return kafka;
    }

    @AfterAll
    static void tearDown() {
        Cleanup.closeAll(kafka);
    }

    @Test
    void mysqlGtidLogStartedMidFile() throws Exception {
        try (MySqlServer source = MySqlServer.builder().gtid(true).serverId(31).name("mysql-src-logstart").start();
                MySqlServer behind = mysqlReplica(32);
                MySqlServer complete = mysqlReplica(33)) {
            source.execute("CREATE USER 'seed'@'%' IDENTIFIED BY 'seed-Secret1'", "GRANT REPLICATION SLAVE ON *.* TO 'seed'@'%'",
                    "CREATE DATABASE ls", "CREATE TABLE ls.t (id INT PRIMARY KEY, v VARCHAR(64))", "CREATE TABLE ls.u (id INT PRIMARY KEY)");
            insert(source, 1, 200);
            source.execute("FLUSH BINARY LOGS");
            String stateA = mysqlGtids(source);
            syncFromSourceAndStop(behind, source, stateA);
            insert(source, 201, 250);

            try (Pipeline p = Pipeline.start(source, kafka().bootstrap(), "logstart-mysql", "--start", "latest")) {
                String beforeLog = mysqlGtids(source);
                String startFile = source.currentBinlogFile();
                syncFromSourceAndStop(complete, source, beforeLog);
                assertTrue(p.relay.log().contains("the source had executed '" + beforeLog + "'"), p.relay.log());

                insert(source, 251, 300);
                source.execute("INSERT INTO ls.u SELECT id FROM ls.t WHERE id > 250");
                p.awaitRelayed(source.currentBinlogFile(), source.currentBinlogPosition());

                // What the replayer says of the log: history before its first transaction is purged.
                assertEquals(beforeLog, replayerQuery(p, "SELECT @@global.gtid_purged").get(0).get(0));
                assertEquals(startFile, replayerQuery(p, "SHOW BINARY LOGS").get(0).get(0), "the first file the replayer lists");

                // Almost complete (lacks phase B): refused by GTID, with the missing transactions named...
                behind.execute(toReplayer(p) + ", GET_MASTER_PUBLIC_KEY=0, MASTER_AUTO_POSITION=1", "START SLAVE");
                Map<String, String> refused = awaitIoError(behind, p);
                assertFatal1236FromMySqlReplica(refused, "Cannot replicate because the master purged required binary logs.");
                // The replica's error column keeps only the message's start: the missing set, as a client reads it whole.
                String missing = source.serverUuid() + ":" + (lastGno(stateA) + 1) + "-" + lastGno(beforeLog);
                try (MySqlClient client = DumpDigest.connect(p.replayer.port(), ReplayerProcess.USER, ReplayerProcess.PASSWORD)) {
                    client.sendBinlogDumpGtid("", 4, 3300, MySqlConstants.BINLOG_THROUGH_GTID | MySqlConstants.BINLOG_DUMP_NON_BLOCK,
                            MySqlGtidSet.parse(stateA).encode());
                    MySqlServerException e = assertThrows(MySqlServerException.class, () -> DumpDigest.readToEof(client));
                    assertEquals(MySqlConstants.ER_MASTER_FATAL_ERROR_READING_BINLOG, e.errorCode());
                    assertTrue(e.serverMessage().endsWith("The GTID set sent by the slave is '" + stateA
                            + "', and the missing transactions are '" + missing + "'."), e.serverMessage());
                }
                // ...and by file and position from the start of the file the log holds only part of.
                behind.execute("STOP SLAVE", "CHANGE MASTER TO MASTER_AUTO_POSITION=0, MASTER_LOG_FILE=" + sqlString(startFile)
                        + ", MASTER_LOG_POS=4", "START SLAVE");
                refused = awaitIoError(behind, p);
                assertFatal1236FromMySqlReplica(refused, "the log holds " + startFile + " only from position");
                assertEquals(mysqlGtids(behind), stateA, "the refused replica received nothing");

                // Has everything before the log: replicates phase C from the replayer.
                complete.execute(toReplayer(p) + ", GET_MASTER_PUBLIC_KEY=0, MASTER_AUTO_POSITION=1", "START SLAVE");
                String expected = mysqlGtids(source);
                Replicas.await(complete, () -> expected.equals(mysqlGtids(complete)), CATCH_UP, "gtid_executed " + expected, p);
                Replicas.assertHealthy(complete);
                Replicas.assertSameData(source, complete, "ls");
            }
        }
    }

    @Test
    void mariaDbGtidLogStartedMidFile() throws Exception {
        try (MariaDbServer source = MariaDbServer.builder().serverId(41).name("mariadb-src-logstart").start();
                MariaDbServer behind = mariaDbReplica(42);
                MariaDbServer complete = mariaDbReplica(43)) {
            source.execute("CREATE USER 'seed'@'%' IDENTIFIED BY 'seed-Secret1'", "GRANT REPLICATION SLAVE ON *.* TO 'seed'@'%'",
                    "CREATE DATABASE ls", "CREATE TABLE ls.t (id INT PRIMARY KEY, v VARCHAR(64)) ENGINE=InnoDB",
                    "CREATE TABLE ls.u (id INT PRIMARY KEY) ENGINE=InnoDB");
            insert(source, 1, 200);
            source.execute("FLUSH BINARY LOGS");
            String stateA = source.gtidExecuted();
            syncFromSourceAndStop(behind, source, stateA);
            insert(source, 201, 250);

            try (Pipeline p = Pipeline.start(source, kafka().bootstrap(), "logstart-mariadb", "--start", "latest")) {
                String beforeLog = source.gtidExecuted();
                String startFile = source.currentBinlogFile();
                syncFromSourceAndStop(complete, source, beforeLog);
                assertTrue(p.relay.log().contains("the source had executed '" + beforeLog + "'"), p.relay.log());

                insert(source, 251, 300);
                source.execute("INSERT INTO ls.u SELECT id FROM ls.t WHERE id > 250");
                p.awaitRelayed(source.currentBinlogFile(), source.currentBinlogPosition());
                assertEquals(startFile, replayerQuery(p, "SHOW BINARY LOGS").get(0).get(0), "the first file the replayer lists");

                behind.execute(toReplayer(p) + ", MASTER_USE_GTID=slave_pos", "START SLAVE");
                Map<String, String> refused = awaitIoError(behind, p);
                assertEquals("1236", refused.get("Last_IO_Errno"), Replicas.describe(refused));
                assertTrue(refused.get("Last_IO_Error").contains("Could not find GTID state requested by slave in any binlog files"),
                        Replicas.describe(refused));
                behind.execute("STOP SLAVE", toReplayer(p) + ", MASTER_USE_GTID=no, MASTER_LOG_FILE=" + sqlString(startFile)
                        + ", MASTER_LOG_POS=4", "START SLAVE");
                refused = awaitIoError(behind, p);
                assertEquals("1236", refused.get("Last_IO_Errno"), Replicas.describe(refused));
                assertTrue(refused.get("Last_IO_Error").contains("the log holds " + startFile + " only from position"),
                        Replicas.describe(refused));
                assertEquals(stateA, behind.queryString("SELECT @@global.gtid_slave_pos"), "the refused replica received nothing");

                complete.execute(toReplayer(p) + ", MASTER_USE_GTID=slave_pos", "START SLAVE");
                String expected = source.gtidExecuted();
                Replicas.await(complete, () -> expected.equals(complete.queryString("SELECT @@global.gtid_slave_pos")), CATCH_UP,
                        "gtid_slave_pos " + expected, p);
                Replicas.assertHealthy(complete);
                Replicas.assertSameData(source, complete, "ls");
            }
        }
    }

    private static MySqlServer mysqlReplica(int serverId) {
        return MySqlServer.builder().gtid(true).serverId(serverId).name("mysql-replica-logstart-" + serverId)
                .extraArgs("--relay-log=relay", "--skip-slave-start").start();
    }

    private static MariaDbServer mariaDbReplica(int serverId) {
        return MariaDbServer.builder().serverId(serverId).name("mariadb-replica-logstart-" + serverId)
                .extraArgs("--relay-log=relay", "--skip-slave-start").start();
    }

    /** One transaction per row. */
    private static void insert(SourceDatabase db, int from, int to) {
        String[] statements = new String[to - from + 1];
        for (int i = from; i <= to; i++) {
            statements[i - from] = "INSERT INTO ls.t VALUES (" + i + ", 'row " + i + "')";
        }
        db.execute(statements);
    }

    /** The last transaction number of a single-source MySQL GTID set {@code uuid:1-N}. */
    private static long lastGno(String set) {
        return Long.parseLong(set.substring(set.lastIndexOf('-') + 1));
    }

    private static String mysqlGtids(SourceDatabase db) {
        return db.queryString("SELECT @@global.gtid_executed").replaceAll("\\s", "");
    }

    /** Replicates from the source itself until the replica holds {@code state}, then stops its replication. */
    private static void syncFromSourceAndStop(SourceDatabase replica, SourceDatabase source, String state) throws Exception {
        String fromSource = "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + source.port() + ", MASTER_USER="
                + sqlString(SEED_USER) + ", MASTER_PASSWORD=" + sqlString(SEED_PASSWORD);
        if (replica instanceof MariaDbServer) {
            replica.execute("SET GLOBAL gtid_slave_pos = ''", fromSource + ", MASTER_USE_GTID=slave_pos", "START SLAVE");
            Replicas.await(replica, () -> state.equals(replica.queryString("SELECT @@global.gtid_slave_pos")), CATCH_UP,
                    "replica to reach " + state + " from the source", () -> "");
        } else {
            replica.execute(fromSource + ", GET_MASTER_PUBLIC_KEY=1, MASTER_AUTO_POSITION=1", "START SLAVE");
            Replicas.await(replica, () -> state.equals(mysqlGtids(replica)), CATCH_UP, "replica to reach " + state + " from the source",
                    () -> "");
        }
        replica.execute("STOP SLAVE");
    }

    private static String toReplayer(Pipeline p) {
        return "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + p.replayer.port() + ", MASTER_USER="
                + sqlString(ReplayerProcess.USER) + ", MASTER_PASSWORD=" + sqlString(ReplayerProcess.PASSWORD);
    }

    /** MySQL 8.0 replicas record a source's ERR 1236 as their own error 13114, quoting the source's message. */
    private static void assertFatal1236FromMySqlReplica(Map<String, String> status, String sourceMessage) {
        assertEquals("13114", status.get("Last_IO_Errno"), Replicas.describe(status));
        assertTrue(status.get("Last_IO_Error").startsWith("Got fatal error 1236 from master when reading data from binary log"),
                Replicas.describe(status));
        assertTrue(status.get("Last_IO_Error").contains(sourceMessage), Replicas.describe(status));
    }

    /** Waits for the replica's IO thread to stop with an error; its status then. */
    private static Map<String, String> awaitIoError(SourceDatabase replica, Pipeline p) throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (true) {
            p.assertRunning();
            Map<String, String> st = Replicas.slaveStatus(replica);
            if (!"0".equals(st.getOrDefault("Last_IO_Errno", "0")) && "No".equals(st.get("Slave_IO_Running"))) {
                return st;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the replica's IO thread did not stop with an error: " + Replicas.describe(st) + "\n" + p.logs());
            }
            Thread.sleep(250);
        }
    }

    private static List<List<String>> replayerQuery(Pipeline p, String sql) throws Exception {
        String url = "jdbc:mysql://127.0.0.1:" + p.replayer.port() + "/?useSSL=false&allowPublicKeyRetrieval=true";
        try (Connection c = DriverManager.getConnection(url, ReplayerProcess.USER, ReplayerProcess.PASSWORD);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
