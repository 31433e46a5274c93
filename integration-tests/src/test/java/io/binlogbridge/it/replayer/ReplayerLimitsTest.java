package io.binlogbridge.it.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.network.ServerException;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.replicas.Replicas;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's limits and shutdown on a real replayer: --max-connections refuses the next client with MySQL's 1040,
 * repeated failed logins from one host are answered later and later,
 * --max-dumps the next dump; a new dump from a replica's server id ends its old one (a zombie); SIGTERM ends the
 * dumps at an event boundary and exits 0, and a MySQL replica re-pointed at a second replayer of the same topic
 * continues by auto-position to the source's data.
 */
class ReplayerLimitsTest {
    private static final String TOPIC = "limits";
    private static final Duration WAIT = Duration.ofMinutes(1);

    private static KafkaBroker kafka;
    private static MySqlServer source;
    private static RelayProcess relay;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.launch();
        source = MySqlServer.builder().name("src").serverId(1).gtid(true).start();
        source.createReplicationUser("repl", "repl-Secret1");
        source.execute("CREATE DATABASE lim", "CREATE TABLE lim.t (id INT PRIMARY KEY, v VARCHAR(64))",
                "CREATE TABLE lim.counter (id INT PRIMARY KEY, n BIGINT)", "INSERT INTO lim.counter VALUES (1, 0)");
        insert(1, 20);
        relay = RelayProcess.of(source, "repl", "repl-Secret1", 7100, kafka.bootstrap(), TOPIC).start();
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(source.currentBinlogFile(), source.currentBinlogPosition()), WAIT, "relayed");
        }
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(relay, source, kafka);
    }

    @Test
    void connectionAndDumpLimitsAndZombieDumps() throws Exception {
        try (ReplayerProcess replayer = ReplayerProcess.start(kafka.bootstrap(), TOPIC, "--max-connections", "3", "--max-dumps", "1")) {
            List<Connection> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    open.add(connect(replayer));
                }
                SQLException tooMany = assertThrows(SQLException.class, () -> connect(replayer).close());
                assertEquals(1040, tooMany.getErrorCode(), tooMany.toString());
                assertTrue(tooMany.getMessage().contains("Too many connections"), tooMany.getMessage());
                open.remove(2).close();
                awaitConnectable(replayer);
            } finally {
                for (Connection c : open) {
                    c.close();
                }
            }

            // Password guessing: past five failures from one host, each further one is answered later (the 7th: 500 ms).
            long seventhMillis = 0;
            for (int attempt = 1; attempt <= 7; attempt++) {
                long began = System.nanoTime();
                SQLException denied = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                        "jdbc:mysql://127.0.0.1:" + replayer.port() + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true",
                        ReplayerProcess.USER, "wrong").close());
                assertEquals(1045, denied.getErrorCode());
                seventhMillis = (System.nanoTime() - began) / 1_000_000;
            }
            assertTrue(seventhMillis >= 450, "the 7th failed login was answered after " + seventhMillis + " ms");
            assertTrue(replayer.log().contains("failed logins from host localhost within 60 s"), replayer.log());
            connect(replayer).close();

            BinaryLogDump first = BinaryLogDump.fromPosition(replayer, 101, "", 4);
            first.awaitEvent();
            BinaryLogDump second = BinaryLogDump.fromPosition(replayer, 102, "", 4);
            ServerException refused = second.awaitFailure();
            assertEquals(1040, refused.getErrorCode(), "--max-dumps 1: " + refused);
            second.close();

            // The same replica (server_id 101) reconnects while its old dump still runs: the old one ends, the new one streams.
            BinaryLogDump again = BinaryLogDump.fromPosition(replayer, 101, "", 4);
            first.awaitDisconnected();
            insert(21, 22);
            again.awaitEvent();
            assertTrue(replayer.log().contains("a new dump of the same replica (server_id 101"), replayer.log());
            again.close();
            first.close();
        }
    }

    @Test
    void sigtermEndsDumpsAndExitsZeroAndReplicasContinueOnAnotherReplayer() throws Exception {
        try (MySqlServer replica = MySqlServer.builder().name("replica").serverId(2).gtid(true).start();
                ReplayerProcess first = ReplayerProcess.start(kafka.bootstrap(), TOPIC)) {
            replica.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + first.port() + ", MASTER_USER='"
                    + ReplayerProcess.USER + "', MASTER_PASSWORD='" + ReplayerProcess.PASSWORD + "', MASTER_AUTO_POSITION=1", "START SLAVE");
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                for (int id = 1000; writing.get(); id++) {
                    source.execute("INSERT INTO lim.t VALUES (" + id + ", REPEAT('x', 60))", "UPDATE lim.counter SET n = n + 1");
                }
            }, "writer");
            writer.start();
            try {
                awaitReplicaHas(replica, MySqlGtidSet.parse(source.gtidExecuted()));
                long began = System.nanoTime();
                int exit = first.terminate(Duration.ofSeconds(30));
                long tookMillis = (System.nanoTime() - began) / 1_000_000;
                assertEquals(0, exit, first.log());
                assertTrue(tookMillis < 15_000, "SIGTERM to exit took " + tookMillis + " ms");
                String log = first.log();
                assertTrue(log.contains("stopping: no new connections; ending each dump at an event boundary"), log);
                assertTrue(log.contains("replayer stopped accepting connections") && log.contains("dump ended after"), log);
                assertTrue(!log.contains("did not reach an event boundary"), log);
                System.out.println("replayer SIGTERM with a replica dumping under load: exit 0 in " + tookMillis + " ms");

                try (ReplayerProcess second = ReplayerProcess.start(kafka.bootstrap(), TOPIC)) {
                    replica.execute("STOP SLAVE", "CHANGE MASTER TO MASTER_PORT=" + second.port(), "START SLAVE");
                    writing.set(false);
                    writer.join();
                    awaitTopicHasSource();
                    awaitReplicaHas(replica, MySqlGtidSet.parse(source.gtidExecuted()));
                    Replicas.assertHealthy(replica);
                    Replicas.assertSameData(source, replica, "lim");
                }
            } finally {
                writing.set(false);
                writer.join();
            }
        }
    }

    private static Connection connect(ReplayerProcess replayer) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + replayer.port() + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true",
                ReplayerProcess.USER, ReplayerProcess.PASSWORD);
    }

    /** A closed connection leaves the count when its channel closes, a moment after the client's close. */
    private static void awaitConnectable(ReplayerProcess replayer) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                connect(replayer).close();
                return;
            } catch (SQLException e) {
                if (e.getErrorCode() != 1040 || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static void awaitTopicHasSource() throws Exception {
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(source.currentBinlogFile(), source.currentBinlogPosition()), WAIT, "relayed");
        }
    }

    private static void awaitReplicaHas(MySqlServer replica, MySqlGtidSet want) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!MySqlGtidSet.parse(replica.gtidExecuted()).contains(want)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("replica did not reach " + want + ": " + Replicas.describe(Replicas.slaveStatus(replica)));
            }
            Thread.sleep(100);
        }
    }

    private static void insert(int from, int to) {
        for (int i = from; i <= to; i++) {
            source.execute("INSERT INTO lim.t VALUES (" + i + ", 'row " + i + "')");
        }
    }
}
