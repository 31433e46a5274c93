package io.binlogbridge.it.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.Cleanup;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: Debezium's MySQL connector (3.6, embedded engine) with its default snapshot mode, pointed at the replayer
 * whose --query-backend is a replica of the source, emits the same change events as pointed at the source: the
 * snapshot's reads, then the writes made after it, none lost or repeated.
 */
class DebeziumSnapshotTest {
    private static final Duration EVENTS = Duration.ofSeconds(120);
    private static CdcCluster cluster;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = CdcCluster.start("cdc-debezium", db -> db.execute("CREATE DATABASE shop",
                "CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(60), balance DECIMAL(10,2), born DATE,"
                        + " seen DATETIME(3), photo BLOB) ENGINE=InnoDB",
                "INSERT INTO shop.customers VALUES (1, 'Ann', 10.50, '1980-01-02', '2024-01-01 10:00:00.250', X'CAFE'),"
                        + " (2, 'Bob', NULL, NULL, NULL, NULL), (3, 'Cy', -3.00, '2000-02-29', '2038-01-19 03:14:07', X'')",
                "CREATE TABLE shop.orders (id BIGINT PRIMARY KEY AUTO_INCREMENT, customer INT, total DECIMAL(12,2))",
                "INSERT INTO shop.orders (customer, total) VALUES (1, 99.99), (3, 0.01)"));
    }

    @AfterAll
    static void tearDown() {
        Cleanup.closeAll(cluster);
    }

    private static String logs() {
        return "replayer log:\n" + Processes.tail(cluster.replayer.logFile(), 60);
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
