package io.binlogbridge.it.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Semi-sync: the relay acknowledges a transaction only once Kafka holds it. With Kafka up, a semi-sync
 * source's commits are acknowledged (none time out); with Kafka down, the source gets no
 * acknowledgement and its commit waits out rpl_semi_sync_master_timeout. Nothing is lost either way.
 */
class RelaySemiSyncTest {
    private static final int TIMEOUT_MS = 3000;

    @Test
    void acknowledgesOnlyWhatKafkaHolds() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.launchPrivate();
                MariaDbServer source = MariaDbServer.builder().semiSync(true)
                        .extraArgs("--rpl-semi-sync-master-timeout=" + TIMEOUT_MS, "--rpl-semi-sync-master-wait-point=AFTER_COMMIT").start()) {
            source.createReplicationUser("repl", "repl-Secret1");
            source.execute("CREATE DATABASE s", "CREATE TABLE s.t (id INT PRIMARY KEY, v VARCHAR(50))");
            try (RelayProcess relay = RelayProcess.of(source, "repl", "repl-Secret1", 5150, kafka.bootstrap(), "semisync", "--semi-sync").start();
                    TopicContents contents = new TopicContents(kafka.bootstrap(), "semisync");
                    Connection c = source.connect(); Statement s = c.createStatement()) {
                relay.awaitLog("semi-synchronous: the source waits", Duration.ofSeconds(60));
                waitFor(() -> status(s, "Rpl_semi_sync_master_clients") == 1, "the relay to register as a semi-sync replica", relay);
                // The setup statements above timed out (no replica yet) and switched semi-sync off; the
                // source switches it back on once the relay acknowledges its way up to the last commit.
                waitFor(() -> "ON".equals(statusText(s, "Rpl_semi_sync_master_status")), "semi-sync to switch back on", relay);

                long noBefore = status(s, "Rpl_semi_sync_master_no_tx");
                long yesBefore = status(s, "Rpl_semi_sync_master_yes_tx");
                long slowest = 0;
                for (int i = 0; i < 30; i++) {
                    long t0 = System.nanoTime();
                    s.execute("INSERT INTO s.t VALUES (" + i + ", 'acked')");
                    slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
                }
                assertEquals(noBefore, status(s, "Rpl_semi_sync_master_no_tx"), "no commit fell back to async");
                assertEquals(yesBefore + 30, status(s, "Rpl_semi_sync_master_yes_tx"), "every commit was acknowledged\n" + relay.log());
                assertTrue(slowest < TIMEOUT_MS, "commits returned on the relay's acknowledgement, slowest " + slowest + " ms");

                // Kafka down: the relay cannot make the transaction durable, so it must not acknowledge it.
                kafka.stop();
                long t0 = System.nanoTime();
                s.execute("INSERT INTO s.t VALUES (1000, 'kafka down')");
                long waited = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(waited >= TIMEOUT_MS - 200, "the source waited for an acknowledgement that could not come (" + waited + " ms)");
                assertEquals(noBefore + 1, status(s, "Rpl_semi_sync_master_no_tx"));
                kafka.start();

                for (int i = 1001; i < 1010; i++) {
                    s.execute("INSERT INTO s.t VALUES (" + i + ", 'after')");
                }
                assertTrue(relay.isAlive(), relay.log());
                LogAssertions.assertTopicEqualsSource(source, contents, Duration.ofMinutes(2), relay::log);
            }
        }
    }

    private static long status(Statement s, String name) throws Exception {
        String text = statusText(s, name);
        return text == null ? -1 : Long.parseLong(text);
    }

    private static String statusText(Statement s, String name) throws Exception {
        try (ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check, String what, RelayProcess relay) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "\n" + relay.log());
            }
            Thread.sleep(100);
        }
    }
}
