package io.binlogbridge.it.replicas;

import static io.binlogbridge.it.replicas.Replicas.sqlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.Cleanup;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, part 3: replicas pointed at a replayer before the log exists. The replayer serves a topic no relay has
 * created yet; real replicas connect and wait — MySQL 8.0 with GTID auto-position and with file/position naming the
 * source's first binlog file, MariaDB 10.11 with slave_pos and with file/position — receiving heartbeats at their
 * MASTER_HEARTBEAT_PERIOD without error. Then the relay starts, the source takes writes, and every replica ends with
 * the source's data, over the one dump it opened before the log existed.
 */
class ReplicaBeforeLogTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(90);
    /** Heartbeats a waiting replica must have accepted: more than two of its 1 s periods. */
    private static final long HEARTBEATS = 3;
    private static final String MYSQL_HEARTBEATS =
            "SELECT COUNT_RECEIVED_HEARTBEATS FROM performance_schema.replication_connection_status";
    private static final String MARIADB_HEARTBEATS =
            "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'SLAVE_RECEIVED_HEARTBEATS'";
    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.launch();
    }

    @AfterAll
    static void tearDown() {
        Cleanup.closeAll(kafka);
    }

    @Test
    void mySqlReplicasConnectedBeforeTheLog() throws Exception {
        try (MySqlServer source = MySqlServer.builder().gtid(true).serverId(31).name("mysql-src-early").start();
             Pipeline p = Pipeline.replayerFirst(source, kafka.bootstrap(), "early-mysql");
             MySqlServer gtidReplica = mySqlReplica(32);
             MySqlServer fileReplica = mySqlReplica(33)) {
            String firstFile = source.binlogFiles().get(0).getFileName().toString();
            gtidReplica.execute(toReplayer(p) + ", MASTER_AUTO_POSITION=1", "START SLAVE");
            fileReplica.execute(toReplayer(p) + ", MASTER_AUTO_POSITION=0, MASTER_LOG_FILE=" + sqlString(firstFile)
                    + ", MASTER_LOG_POS=4", "START SLAVE");
            awaitWaiting(gtidReplica, MYSQL_HEARTBEATS, p);
            awaitWaiting(fileReplica, MYSQL_HEARTBEATS, p);

            WriteLoad load = writeAfterRelayStarts(p, "early");
            String expected = source.queryString("SELECT @@global.gtid_executed").replaceAll("\\s", "");
            Replicas.await(gtidReplica, () -> expected.equals(gtidReplica.queryString("SELECT @@global.gtid_executed")
                    .replaceAll("\\s", "")), CATCH_UP, "replica gtid_executed to reach " + expected, p);
            Replicas.awaitExecutedToSourceEnd(fileReplica, p, CATCH_UP);
            for (MySqlServer replica : new MySqlServer[] {gtidReplica, fileReplica}) {
                assertReplicated(p, replica, load);
            }
            assertEquals("1", Replicas.slaveStatus(gtidReplica).get("Auto_Position"));
            assertEquals("0", Replicas.slaveStatus(fileReplica).get("Auto_Position"));
        }
    }

    @Test
    void mariaDbReplicasConnectedBeforeTheLog() throws Exception {
        try (MariaDbServer source = MariaDbServer.builder().serverId(41).name("mariadb-src-early").start();
             Pipeline p = Pipeline.replayerFirst(source, kafka.bootstrap(), "early-mariadb", "--source-flavor", "mariadb");
             MariaDbServer gtidReplica = mariaDbReplica(42);
             MariaDbServer fileReplica = mariaDbReplica(43)) {
            String firstFile = source.binlogFiles().get(0).getFileName().toString();
            gtidReplica.execute("SET GLOBAL gtid_slave_pos = ''", toReplayer(p) + ", MASTER_USE_GTID=slave_pos", "START SLAVE");
            fileReplica.execute(toReplayer(p) + ", MASTER_USE_GTID=no, MASTER_LOG_FILE=" + sqlString(firstFile)
                    + ", MASTER_LOG_POS=4", "START SLAVE");
            awaitWaiting(gtidReplica, MARIADB_HEARTBEATS, p);
            awaitWaiting(fileReplica, MARIADB_HEARTBEATS, p);

            WriteLoad load = writeAfterRelayStarts(p, "early");
            String expected = source.queryString("SELECT @@global.gtid_binlog_pos");
            Replicas.await(gtidReplica, () -> expected.equals(gtidReplica.queryString("SELECT @@global.gtid_slave_pos")),
                    CATCH_UP, "replica gtid_slave_pos to reach " + expected, p);
            Replicas.awaitExecutedToSourceEnd(fileReplica, p, CATCH_UP);
            for (MariaDbServer replica : new MariaDbServer[] {gtidReplica, fileReplica}) {
                assertReplicated(p, replica, load);
            }
            // A replica that took the replayer for a server without GTIDs would have fallen back to Using_Gtid=No.
            assertEquals("Slave_Pos", Replicas.slaveStatus(gtidReplica).get("Using_Gtid"));
            assertEquals("No", Replicas.slaveStatus(fileReplica).get("Using_Gtid"));
        }
    }

    private static MySqlServer mySqlReplica(int serverId) {
        return MySqlServer.builder().gtid(true).serverId(serverId).name("mysql-early-replica-" + serverId)
                .extraArgs("--relay-log=relay", "--skip-slave-start").start();
    }

    private static MariaDbServer mariaDbReplica(int serverId) {
        return MariaDbServer.builder().serverId(serverId).name("mariadb-early-replica-" + serverId)
                .extraArgs("--relay-log=relay", "--skip-slave-start").start();
    }

    private static String toReplayer(Pipeline p) {
        return "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + p.replayer.port() + ", MASTER_USER="
                + sqlString(ReplayerProcess.USER) + ", MASTER_PASSWORD=" + sqlString(ReplayerProcess.PASSWORD)
                + ", MASTER_HEARTBEAT_PERIOD=1";
    }

    /**
     * The replica is connected and waiting for the log: it accepted heartbeats for more than two periods, its IO thread
     * runs and has no error (a refused dump stops it; a rejected heartbeat stops it with ER_SLAVE_HEARTBEAT_FAILURE).
     */
    private static void awaitWaiting(SourceDatabase replica, String heartbeatsQuery, Pipeline p) throws InterruptedException {
        Replicas.await(replica, () -> Long.parseLong(replica.queryString(heartbeatsQuery)) >= HEARTBEATS, CATCH_UP,
                HEARTBEATS + " heartbeats from the replayer of an empty log", p);
        Map<String, String> st = Replicas.slaveStatus(replica);
        assertEquals("Yes", st.get("Slave_IO_Running"), Replicas.describe(st));
        assertEquals("0", st.get("Last_IO_Errno"), Replicas.describe(st));
        assertTrue(p.replayer.isAlive() && !p.relay.started(), "nothing has written the log yet");
    }

    /** Starts the relay, then a write load on the source; returns the load once it stopped after enough work. */
    private static WriteLoad writeAfterRelayStarts(Pipeline p, String schema) throws Exception {
        p.startRelay();
        try (WriteLoad load = new WriteLoad(p.source, schema).prepare().start()) {
            long deadline = System.nanoTime() + CATCH_UP.toNanos();
            while (!(load.didWork() && load.lastSeq() >= 300)) {
                p.assertRunning();
                assertTrue(System.nanoTime() < deadline, "the write load made no progress");
                Thread.sleep(100);
            }
            load.stop();
            return load;
        }
    }

    /** The source's data, and the one dump the replica opened before the log existed served all of it. */
    private static void assertReplicated(Pipeline p, SourceDatabase replica, WriteLoad load) throws IOException {
        Replicas.assertHealthy(replica);
        Replicas.assertSameData(p.source, replica);
        Replicas.assertSameSequence(p.source, replica, load.schema() + ".seq", load.lastSeq());
        String log = Files.readString(p.replayer.logFile());
        String dump = "server_id " + replica.serverId() + "): dump ";
        assertEquals(1, count(log, dump + "waits"), "dumps that waited for the log (an IO thread restart opens another)\n" + log);
        assertEquals(1, count(log, dump + "from"), "dumps served (an IO thread restart opens another)\n" + log);
        assertEquals(0, count(log, dump + "refused"), "refused dumps\n" + log);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }
}
