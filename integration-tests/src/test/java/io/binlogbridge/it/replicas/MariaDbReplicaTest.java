package io.binlogbridge.it.replicas;

import io.binlogbridge.it.support.Cleanup;
import static io.binlogbridge.it.replicas.Replicas.sqlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.replayer.ReplayerProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, proof 3: a real MariaDB 10.11 replica of a MariaDB source through the replayer (MariaDB source →
 * relay-server → Kafka → replayer → replica), with MASTER_USE_GTID=slave_pos and with file/position, under a live
 * write load with DDL: the replica's data equals the source's.
 */
class MariaDbReplicaTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(90);
    private static KafkaBroker kafka;
    private static MariaDbServer source;
    private static Pipeline pipeline;

    @BeforeAll
    static void setUp() {
        kafka = KafkaBroker.launch();
        source = MariaDbServer.builder().serverId(21).name("mariadb-src").start();
        pipeline = Pipeline.start(source, kafka.bootstrap(), "replicas-mariadb");
    }

    @AfterAll
    static void tearDown() {
        Cleanup.closeAll(pipeline, source, kafka);
    }

    private static MariaDbServer startReplica(int serverId) {
        return MariaDbServer.builder().serverId(serverId).name("mariadb-replica-" + serverId)
                .extraArgs("--relay-log=relay", "--skip-slave-start").start();
    }

    private static String toReplayer() {
        return "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + pipeline.replayer.port() + ", MASTER_USER="
                + sqlString(ReplayerProcess.USER) + ", MASTER_PASSWORD=" + sqlString(ReplayerProcess.PASSWORD);
    }

    @Test
    void gtidSlavePos() throws Exception {
        WriteLoad load = new WriteLoad(source, "mg").prepare().start();
        try (MariaDbServer replica = startReplica(22)) {
            replica.execute("SET GLOBAL gtid_slave_pos = ''", toReplayer() + ", MASTER_USE_GTID=slave_pos", "START SLAVE");
            load.runUntilFollowed(replica, 300, CATCH_UP);
            load.stop();
            assertTrue(load.didWork(), "the load ran");
            String expected = source.queryString("SELECT @@global.gtid_binlog_pos");
            Replicas.await(replica, () -> expected.equals(replica.queryString("SELECT @@global.gtid_slave_pos")), CATCH_UP,
                    "replica gtid_slave_pos to reach " + expected, pipeline);
            Replicas.assertHealthy(replica);
            Map<String, String> st = Replicas.slaveStatus(replica);
            assertEquals("Slave_Pos", st.get("Using_Gtid"), Replicas.describe(st));
            assertEquals(expected, st.get("Gtid_IO_Pos"), Replicas.describe(st));
            Replicas.assertSameData(source, replica);
            Replicas.assertSameSequence(source, replica, "mg.seq", load.lastSeq());
        } finally {
            load.close();
        }
    }

    @Test
    void filePosition() throws Exception {
        WriteLoad load = new WriteLoad(source, "mf").prepare().start();
        try (MariaDbServer replica = startReplica(23)) {
            String first = source.binlogFiles().get(0).getFileName().toString();
            replica.execute(toReplayer() + ", MASTER_USE_GTID=no, MASTER_LOG_FILE=" + sqlString(first) + ", MASTER_LOG_POS=4",
                    "START SLAVE");
            load.runUntilFollowed(replica, 300, CATCH_UP);
            load.stop();
            assertTrue(load.didWork(), "the load ran");
            String file = source.currentBinlogFile();
            long pos = source.currentBinlogPosition();
            Replicas.await(replica, () -> {
                Map<String, String> st = Replicas.slaveStatus(replica);
                return file.equals(st.get("Relay_Master_Log_File")) && Long.toString(pos).equals(st.get("Exec_Master_Log_Pos"));
            }, CATCH_UP, "replica to execute up to " + file + ":" + pos, pipeline);
            Replicas.assertHealthy(replica);
            assertEquals("No", Replicas.slaveStatus(replica).get("Using_Gtid"));
            Replicas.assertSameData(source, replica);
            Replicas.assertSameSequence(source, replica, "mf.seq", load.lastSeq());
            // The replica's GTID state follows the source's even without GTID positioning.
            assertEquals(source.queryString("SELECT @@global.gtid_binlog_pos"),
                    replica.queryString("SELECT @@global.gtid_slave_pos"));
        } finally {
            load.close();
        }
    }
}
