package io.binlogbridge.it.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.Cleanup;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: Debezium's MySQL connector (3.6, embedded engine) with its default snapshot mode, pointed at the replayer
 * whose --query-backend is a replica of the source, emits the same change events as pointed at the source: the
 * snapshot's reads, then the writes made after it, none lost or repeated; and a Debezium JVM killed with SIGKILL in
 * the middle of the stream and started again loses no event.
 */
class DebeziumSnapshotTest {
    private static final Duration EVENTS = Duration.ofSeconds(120);
    private static CdcCluster cluster;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = CdcCluster.start("cdc-debezium", db -> {
            db.execute(CdcCluster.SHOP_CUSTOMERS);
            db.execute("CREATE TABLE shop.orders (id BIGINT PRIMARY KEY AUTO_INCREMENT, customer INT, total DECIMAL(12,2))",
                    "INSERT INTO shop.orders (customer, total) VALUES (1, 99.99), (3, 0.01)");
        });
    }

    @AfterAll
    static void tearDown() {
        Cleanup.closeAll(cluster);
    }

    private static String logs() {
        return "replayer log:\n" + Processes.tail(cluster.replayer.logFile(), 60);
    }

    /**
     * A writer commits one row per transaction without pause; Debezium through the replayer is killed once its
     * stored offsets are the stream's (a kill before that would only repeat the snapshot) and 50 more rows arrived, and started again after 200 more were committed. Its two runs together hold every change
     * event the source-side Debezium emitted, in the same order; Debezium is at-least-once across a crash, so events
     * after its last offset commit may come twice, and only those.
     */
    @Test
    void debeziumKilledMidStreamAndRestartedThroughTheReplayerLosesNoEvent() throws Exception {
        cluster.source.execute("CREATE DATABASE crash", "CREATE TABLE crash.t (id INT PRIMARY KEY, v VARCHAR(40))",
                "INSERT INTO crash.t VALUES (0, 'in the snapshot')");
        cluster.awaitBackendCaughtUp();
        Properties throughReplayer = DebeziumCapture.properties("crash-replayed", cluster.replayer.port(),
                ReplayerProcess.USER, ReplayerProcess.PASSWORD, 5404, "crash");
        try (DebeziumCapture reference = new DebeziumCapture("crash-direct", cluster.source.port(), "root", "", 5403, "crash");
             DebeziumProcess debezium = new DebeziumProcess("crash", throughReplayer, Processes.testClasspath()).start();
             RowWriter writer = new RowWriter(cluster.source, "crash.t")) {
            reference.awaitEvents(1, EVENTS, () -> "");
            debezium.awaitLines(1, EVENTS);
            writer.start();
            debezium.awaitStreamingOffsets(EVENTS);
            int atKill = debezium.awaitLines(debezium.lines().size() + 50, EVENTS).size();
            debezium.kill();
            int committedAtKill = writer.committed();
            writer.awaitCommitted(committedAtKill + 200, EVENTS);
            int firstRunLines = debezium.lines().size();
            debezium.start();
            debezium.awaitLines(firstRunLines + 100, EVENTS);
            int rows = writer.stop();

            List<String> expected = reference.awaitEvents(1 + rows, EVENTS, () -> "");
            assertEquals(1 + rows, expected.size(), "the source-side Debezium emits each row once");
            List<String> delivered = debezium.awaitLines(firstRunLines + 1, EVENTS);
            long deadline = System.nanoTime() + EVENTS.toNanos();
            while (new LinkedHashSet<>(delivered).size() < expected.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                delivered = debezium.lines();
            }
            assertEquals(expected, List.copyOf(new LinkedHashSet<>(delivered)),
                    "both runs, first deliveries in order\n" + debezium.logTail() + "\n" + logs());
            assertTrue(atKill < expected.size(), "killed mid-stream: " + atKill + " of " + expected.size());
            List<String> repeated = delivered.subList(firstRunLines, delivered.size()).stream()
                    .filter(new HashSet<>(delivered.subList(0, firstRunLines))::contains).toList();
            assertEquals(repeated, delivered.subList(firstRunLines, firstRunLines + repeated.size()),
                    "only a prefix of the restart's events repeats the first run's (from its last committed offset)");
        }
    }

    @Test
    void theSnapshotAndTheStreamThroughTheReplayerAreTheSources() throws Exception {
        try (DebeziumCapture fromSource = new DebeziumCapture("direct", cluster.source.port(), "root", "", 5401, "shop");
             DebeziumCapture fromReplayer = new DebeziumCapture("replayed", cluster.replayer.port(), ReplayerProcess.USER,
                     ReplayerProcess.PASSWORD, 5402, "shop")) {
            List<String> snapshot = fromSource.awaitEvents(5, EVENTS, () -> "");
            assertEquals(snapshot, fromReplayer.awaitEvents(5, EVENTS, DebeziumSnapshotTest::logs), "the snapshot");
            assertEquals(5, snapshot.stream().filter(e -> e.contains(" r ")).count(), snapshot.toString());

            cluster.source.execute("INSERT INTO shop.customers VALUES (4, 'Dee', 1.00, NULL, NULL, X'00')",
                    "UPDATE shop.customers SET balance = balance + 1 WHERE id IN (1, 3)",
                    "DELETE FROM shop.orders WHERE customer = 3",
                    "INSERT INTO shop.orders (customer, total) VALUES (4, 12.34)");
            List<String> all = fromSource.awaitEvents(10, EVENTS, () -> "");
            assertEquals(all, fromReplayer.awaitEvents(10, EVENTS, DebeziumSnapshotTest::logs), "snapshot then stream");
            // Nothing more arrives on either side: no transaction repeated.
            cluster.source.execute("INSERT INTO shop.orders (customer, total) VALUES (2, 5.00)");
            assertEquals(fromSource.awaitEvents(11, EVENTS, () -> ""), fromReplayer.awaitEvents(11, EVENTS, DebeziumSnapshotTest::logs));
        }
    }
}
