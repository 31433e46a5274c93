package io.binlogbridge.it.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.Cleanup;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 with MariaDB: Debezium's MariaDB connector (3.5, the newest Maven Central serves here; in a JVM of its own)
 * with its default snapshot, pointed at the replayer whose --query-backend is a MariaDB replica of the source, emits the
 * same change events as pointed at the source: the snapshot, then the stream; then, killed with SIGKILL mid-stream and
 * started again, it loses no event.
 */
class MariaDbDebeziumTest {
    private static final Duration EVENTS = Duration.ofSeconds(120);
    private static CdcCluster cluster;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = CdcCluster.startMariaDb("cdc-mariadb", db -> {
            db.execute(CdcCluster.SHOP_CUSTOMERS);
            db.execute("CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(40))");
        });
    }

    @AfterAll
    static void tearDown() {
        Cleanup.closeAll(cluster);
    }

    private static Properties mariaDbConnector(String name, int port, String user, String password, int serverId) {
        Properties p = DebeziumCapture.properties(name, port, user, password, serverId, "shop");
        p.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        p.setProperty("database.ssl.mode", "disable");
        return p;
    }

    private static String logs(DebeziumProcess debezium) {
        return debezium.logTail() + "\nreplayer log:\n" + Processes.tail(cluster.replayer.logFile(), 60);
    }

    @Test
    void snapshotStreamAndAKillThroughTheReplayerEqualTheSources() throws Exception {
        String classpath = DebeziumProcess.mariaDbClasspath();
        try (DebeziumProcess direct = new DebeziumProcess("mariadb-direct",
                     mariaDbConnector("mariadb-direct", cluster.source.port(), "root", "", 5411), classpath).start();
             DebeziumProcess replayed = new DebeziumProcess("mariadb-replayed", mariaDbConnector("mariadb-replayed",
                     cluster.replayer.port(), ReplayerProcess.USER, ReplayerProcess.PASSWORD, 5412), classpath).start();
             RowWriter writer = new RowWriter(cluster.source, "shop.t")) {
            List<String> snapshot = direct.awaitLines(3, EVENTS);
            assertEquals(snapshot, replayed.awaitLines(3, EVENTS), "the snapshot\n" + logs(replayed));
            assertEquals(3, snapshot.stream().filter(e -> e.contains(" r ")).count(), snapshot.toString());

            cluster.source.execute("UPDATE shop.customers SET balance = balance + 1 WHERE id IN (1, 3)",
                    "DELETE FROM shop.customers WHERE id = 2");
            List<String> streamed = direct.awaitLines(6, EVENTS);
            assertEquals(streamed, replayed.awaitLines(6, EVENTS), "snapshot then stream\n" + logs(replayed));

            writer.start();
            replayed.awaitStreamingOffsets(EVENTS);
            int atKill = replayed.awaitLines(replayed.lines().size() + 50, EVENTS).size();
            replayed.kill();
            writer.awaitCommitted(writer.committed() + 200, EVENTS);
            int firstRunLines = replayed.lines().size();
            replayed.start();
            replayed.awaitLines(firstRunLines + 100, EVENTS);
            int rows = writer.stop();

            List<String> expected = direct.awaitLines(6 + rows, EVENTS);
            assertEquals(6 + rows, expected.size(), "the source-side Debezium emits each change once");
            long deadline = System.nanoTime() + EVENTS.toNanos();
            List<String> delivered = replayed.lines();
            while (new LinkedHashSet<>(delivered).size() < expected.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                delivered = replayed.lines();
            }
            assertEquals(expected, List.copyOf(new LinkedHashSet<>(delivered)), "both runs, first deliveries in order\n" + logs(replayed));
            assertTrue(atKill < expected.size(), "killed mid-stream: " + atKill + " of " + expected.size());
        }
    }
}
