package io.binlogbridge.it.failover;

import static io.binlogbridge.it.replicas.Replicas.sqlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaCluster;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.replicas.Replicas;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.SemiSync;
import io.binlogbridge.it.support.TopicContents;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, proof 5: the log survives the loss of a broker. Three Kafka nodes on this machine, the relay's topic with 3
 * replicas and min.insync.replicas=2, a MariaDB semi-sync source (AFTER_SYNC, the relay its semi-sync replica) under a
 * writer that records every commit that returned OK, and a MariaDB replica following the replayer. The partition
 * leader is killed with -9 mid-load: relay and replayer carry on once a new leader is elected, every acknowledged commit
 * is in the log exactly once (the topic still rebuilds the source's binlog byte for byte), and the replica ends equal
 * to the source.
 */
class BrokerLossTest {
    private static final String TOPIC = "broker-loss";
    private static final int ROWS = 240;
    private static final int KILL_AFTER = 80;
    private static final Duration BOUND = Duration.ofMinutes(3);

    @Test
    void theLogSurvivesTheLossOfThePartitionLeader() throws Exception {
        KafkaCluster kafka = null;
        MariaDbServer source = null;
        MariaDbServer replica = null;
        RelayProcess relay = null;
        ReplayerProcess replayer = null;
        Thread writer = null;
        try {
            kafka = KafkaCluster.start(3, "kafka-loss");
            source = MariaDbServer.builder().serverId(61).name("mariadb-src-loss").semiSync(true)
                    .extraArgs("--rpl-semi-sync-master-timeout=600000", "--rpl-semi-sync-master-wait-point=AFTER_SYNC").start();
            // Semi-sync waits for an acknowledgement even with no replica connected: off while the schema is made.
            source.execute("SET GLOBAL rpl_semi_sync_master_enabled = OFF");
            source.createReplicationUser("repl", "repl-Secret1");
            source.execute("CREATE DATABASE b", "CREATE TABLE b.t (id INT PRIMARY KEY, v VARCHAR(32)) ENGINE=InnoDB",
                    "CREATE TABLE b.u (id INT PRIMARY KEY) ENGINE=InnoDB", "SET GLOBAL rpl_semi_sync_master_enabled = ON");
            relay = RelayProcess.of(source, "repl", "repl-Secret1", 5160, kafka.bootstrap(), TOPIC, "--semi-sync").start();
            relay.awaitLog("semi-synchronous: the source waits", Duration.ofSeconds(60));
            relay.awaitLog("created topic " + TOPIC, Duration.ofSeconds(60));
            TopicDescription created = kafka.describe(TOPIC);
            assertEquals(3, created.partitions().get(0).replicas().size(), "the relay created the topic with 3 replicas");
            assertFalse(relay.log().contains("production needs replication factor 3"), "no durability warning:\n" + relay.log());
            SemiSync.awaitOn(source, relay);

            replayer = ReplayerProcess.start(kafka.bootstrap(), TOPIC);
            replica = MariaDbServer.builder().serverId(62).name("mariadb-replica-loss")
                    .extraArgs("--relay-log=relay", "--skip-slave-start").start();
            replica.execute("SET GLOBAL gtid_slave_pos = ''", "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + replayer.port()
                    + ", MASTER_USER=" + sqlString(ReplayerProcess.USER) + ", MASTER_PASSWORD=" + sqlString(ReplayerProcess.PASSWORD)
                    + ", MASTER_USE_GTID=slave_pos", "START SLAVE");

            List<Integer> acknowledged = new CopyOnWriteArrayList<>();
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            MariaDbServer db = source;
            writer = new Thread(() -> {
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    for (int id = 1; id <= ROWS; id++) {
                        s.execute("INSERT INTO b.t VALUES (" + id + ", 'row " + id + "')");
                        acknowledged.add(id);
                    }
                    s.execute("INSERT INTO b.u SELECT id FROM b.t");
                } catch (SQLException e) {
                    writerFailure.set(e);
                }
            }, "writer");
            writer.start();
            awaitCount(acknowledged, KILL_AFTER, relay);

            int leader = kafka.leaderOf(TOPIC);
            long semiSyncFallbacks = status(source, "Rpl_semi_sync_master_no_tx");
            kafka.node(leader).kill();
            System.out.printf("broker-loss: killed node %d (the partition leader) after %d acknowledged commits%n", leader,
                    acknowledged.size());

            writer.join(BOUND.toMillis());
            assertFalse(writer.isAlive(), "the writer finished within " + BOUND + " (" + acknowledged.size() + " acknowledged)\n"
                    + relay.log());
            assertEquals(null, writerFailure.get(), "every commit returned OK");
            assertEquals(ROWS, acknowledged.size());
            assertEquals(semiSyncFallbacks, status(source, "Rpl_semi_sync_master_no_tx"),
                    "no commit fell back to asynchronous: each waited for the relay's acknowledgement");
            int newLeader = kafka.leaderOf(TOPIC);
            assertTrue(newLeader != leader, "a new leader took over");
            assertTrue(relay.isAlive(), "the relay carried on:\n" + relay.log());
            assertTrue(replayer.isAlive(), "the replayer carried on:\n" + replayer.log());

            // Every acknowledged commit is in the log, once, in order: the topic rebuilds the source's binlog.
            try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
                LogAssertions.assertTopicEqualsSource(source, contents, BOUND, relay::log);
            }
            String expected = source.gtidExecuted();
            MariaDbServer r = replica;
            ReplayerProcess rp = replayer;
            Replicas.await(replica, () -> expected.equals(r.queryString("SELECT @@global.gtid_slave_pos")), BOUND,
                    "the replica to reach " + expected, rp::log);
            Replicas.assertHealthy(replica);
            assertEquals(Integer.toString(ROWS), replica.queryString("SELECT COUNT(*) FROM b.t"));
            Replicas.assertSameData(source, replica, "b");
        } finally {
            if (writer != null) {
                writer.interrupt();
            }
            Cleanup.closeAll(replica, replayer, relay, source, kafka);
        }
    }

    private static void awaitCount(List<Integer> acknowledged, int count, RelayProcess relay) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (acknowledged.size() < count) {
            if (System.nanoTime() > deadline || !relay.isAlive()) {
                throw new AssertionError(acknowledged.size() + " commits acknowledged, waiting for " + count + "\n" + relay.log());
            }
            Thread.sleep(20);
        }
    }

    private static long status(MariaDbServer db, String name) throws SQLException {
        return Long.parseLong(SemiSync.status(db, name));
    }

}
