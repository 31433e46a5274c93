package io.binlogbridge.it.replicas;

import io.binlogbridge.it.support.Cleanup;
import static io.binlogbridge.it.replicas.Replicas.sqlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.replayer.ReplayerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, proofs 1 and 2: real MySQL 8.0 replicas replicate from the replayer (MySQL source → relay-server →
 * Kafka → replayer → replica) under a live write load with DDL, with GTID auto-position and with file/position,
 * and a replica replicating from the source is re-pointed to the replayer with its own coordinates.
 */
class MySqlReplicaTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(90);
    private static KafkaBroker kafka;
    private static MySqlServer gtidSource;
    private static Pipeline gtidPipeline;
    private static MySqlServer plainSource;
    private static Pipeline plainPipeline;

    private static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            kafka = KafkaBroker.launch();
        }
        return kafka;
    }

    /** A GTID_MODE=ON source and its pipeline. */
    private static synchronized Pipeline gtidPipeline() {
        if (gtidPipeline == null) {
            gtidSource = MySqlServer.builder().gtid(true).serverId(1).name("mysql-src-gtid").start();
            gtidPipeline = Pipeline.start(gtidSource, kafka().bootstrap(), "replicas-mysql-gtid");
        }
        return gtidPipeline;
    }

    /**
     * A GTID_MODE=OFF source and its pipeline: with GTIDs off nothing on the replica skips a transaction it already
     * has, so a wrong coordinate shows as a duplicate-key error or missing rows.
     */
    private static synchronized Pipeline plainPipeline() {
        if (plainPipeline == null) {
            plainSource = MySqlServer.builder().gtid(false).serverId(11).name("mysql-src-plain").start();
            plainPipeline = Pipeline.start(plainSource, kafka().bootstrap(), "replicas-mysql-plain");
        }
        return plainPipeline;
    }

    @AfterAll
    static void tearDown() {
        Cleanup.closeAll(gtidPipeline, plainPipeline, gtidSource, plainSource, kafka);
    }

    private static MySqlServer startReplica(int serverId, boolean gtid) {
        return MySqlServer.builder().gtid(gtid).serverId(serverId).name("mysql-replica-" + serverId)
                .extraArgs("--relay-log=relay", "--skip-slave-start").start();
    }

    private static String toReplayer(Pipeline p) {
        return "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + p.replayer.port() + ", MASTER_USER="
                + sqlString(ReplayerProcess.USER) + ", MASTER_PASSWORD=" + sqlString(ReplayerProcess.PASSWORD);
    }

    private static String gtidSet(MySqlServer db) {
        return db.queryString("SELECT @@global.gtid_executed").replaceAll("\\s", "");
    }

    @Test
    void autoPosition() throws Exception {
        Pipeline p = gtidPipeline();
        WriteLoad load = new WriteLoad(p.source, "ap").prepare().start();
        try (MySqlServer replica = startReplica(2, true)) {
            replica.execute(toReplayer(p) + ", MASTER_AUTO_POSITION=1", "START SLAVE");
            load.runUntilFollowed(replica, 300, CATCH_UP);
            load.stop();
            assertTrue(load.didWork(), "the load ran");
            String expected = gtidSet(gtidSource);
            Replicas.await(replica, () -> expected.equals(gtidSet(replica)), CATCH_UP,
                    "replica gtid_executed to reach " + expected, p);
            Replicas.assertHealthy(replica);
            assertEquals(expected, gtidSet(replica), "gtid_executed");
            Replicas.assertSameData(p.source, replica);
            Replicas.assertSameSequence(p.source, replica, "ap.seq", load.lastSeq());
            assertEquals("1", Replicas.slaveStatus(replica).get("Auto_Position"));
        } finally {
            load.close();
        }
    }

    @Test
    void filePosition() throws Exception {
        Pipeline p = plainPipeline();
        WriteLoad load = new WriteLoad(p.source, "fp").prepare().start();
        try (MySqlServer replica = startReplica(3, false)) {
            String first = p.source.binlogFiles().get(0).getFileName().toString();
            replica.execute(toReplayer(p) + ", MASTER_AUTO_POSITION=0, MASTER_LOG_FILE=" + sqlString(first)
                    + ", MASTER_LOG_POS=4", "START SLAVE");
            load.runUntilFollowed(replica, 300, CATCH_UP);
            load.stop();
            assertTrue(load.didWork(), "the load ran");
            Replicas.awaitExecutedToSourceEnd(replica, p, CATCH_UP);
            Replicas.assertHealthy(replica);
            Replicas.assertSameData(p.source, replica);
            Replicas.assertSameSequence(p.source, replica, "fp.seq", load.lastSeq());
        } finally {
            load.close();
        }
    }

    @Test
    void repointFromSourceToReplayer() throws Exception {
        Pipeline p = plainPipeline();
        // The replica is provisioned at the source's current position, just before the load's schema is created.
        String startFile = p.source.currentBinlogFile();
        long startPos = p.source.currentBinlogPosition();
        WriteLoad load = new WriteLoad(p.source, "rp").prepare().start();
        try (MySqlServer replica = startReplica(4, false)) {
            replica.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + p.source.port()
                    + ", MASTER_USER=" + sqlString(Pipeline.RELAY_USER) + ", MASTER_PASSWORD=" + sqlString(Pipeline.RELAY_PASSWORD)
                    + ", GET_MASTER_PUBLIC_KEY=1, MASTER_AUTO_POSITION=0, MASTER_LOG_FILE=" + sqlString(startFile)
                    + ", MASTER_LOG_POS=" + startPos, "START SLAVE");
            Replicas.await(replica, () -> Long.parseLong(replica.queryString(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'rp' AND table_name = 'seq'")) > 0
                    && Long.parseLong(replica.queryString("SELECT COUNT(*) FROM rp.seq")) > 100,
                    CATCH_UP, "replica to apply part of the load from the source", () -> "");
            Replicas.assertHealthy(replica);
            replica.execute("STOP SLAVE");
            Map<String, String> st = Replicas.slaveStatus(replica);
            String file = st.get("Relay_Master_Log_File");
            long pos = Long.parseLong(st.get("Exec_Master_Log_Pos"));
            long seqAtStop = Long.parseLong(replica.queryString("SELECT COALESCE(MAX(id), 0) FROM rp.seq"));
            assertTrue(seqAtStop > 0, "the replica applied part of the load from the source: " + Replicas.describe(st));
            // The operator re-points once the replayer has the replica's position (the relay trails the source by ms).
            p.awaitRelayed(file, pos);
            replica.execute(toReplayer(p) + ", GET_MASTER_PUBLIC_KEY=0, MASTER_LOG_FILE=" + sqlString(file)
                    + ", MASTER_LOG_POS=" + pos, "START SLAVE");
            load.runUntilFollowed(replica, seqAtStop + 300, CATCH_UP);
            load.stop();
            assertTrue(load.lastSeq() > seqAtStop, "the load continued after the switch");
            Replicas.awaitExecutedToSourceEnd(replica, p, CATCH_UP);
            Replicas.assertHealthy(replica);
            assertEquals(Integer.toString(p.replayer.port()), Replicas.slaveStatus(replica).get("Master_Port"));
            Replicas.assertSameData(p.source, replica, "rp");
            Replicas.assertSameSequence(p.source, replica, "rp.seq", load.lastSeq());
        } finally {
            load.close();
        }
    }
}
