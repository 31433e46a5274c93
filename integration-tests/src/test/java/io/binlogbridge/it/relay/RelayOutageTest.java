package io.binlogbridge.it.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.SourceLoad;
import io.binlogbridge.it.support.TopicContents;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof 3 of the relay: a Kafka outage of 20 s and a source restart, both under a write load, are
 * ridden out by the same relay process, and the topic still equals the source's binlog byte for byte.
 * Has a broker of its own, since it stops it.
 */
class RelayOutageTest {
    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.launchPrivate();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void brokerStopsFor20SecondsMidLoad() throws Exception {
        try (MySqlServer mysql = MySqlServer.builder().gtid(true).start()) {
            mysql.createReplicationUser("repl", "repl-Secret1");
            String topic = "outage-broker";
            try (SourceLoad load = SourceLoad.start(mysql, Duration.ofSeconds(4), false);
                    RelayProcess relay = RelayProcess.of(mysql, "repl", "repl-Secret1", 4243, kafka.bootstrap(), topic).start()) {
                relay.awaitLog("reading binlog from", Duration.ofSeconds(60));
                Thread.sleep(2000);
                kafka.stop();
                long stoppedAt = System.nanoTime();
                while (System.nanoTime() - stoppedAt < Duration.ofSeconds(20).toNanos()) {
                    assertTrue(relay.isAlive(), "relay exited while Kafka was down:\n" + relay.log());
                    Thread.sleep(500);
                }
                kafka.start();
                Thread.sleep(5000);
                load.stopAndCheck();
                try (TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
                    LogAssertions.assertTopicEqualsSource(mysql, contents, Duration.ofSeconds(90), relay::log);
                }
                assertTrue(relay.isAlive(), "relay exited after the outage:\n" + relay.log());
                assertTrue(load.transactions() > 1000, "load transactions: " + load.transactions());
                relay.stop();
            }
        }
    }

    @Test
    void sourceRestartsMidLoad() throws Exception {
        if (!kafka.isRunning()) {
            kafka.start();
        }
        try (MySqlServer mysql = MySqlServer.builder().gtid(true).start()) {
            mysql.createReplicationUser("repl", "repl-Secret1");
            String topic = "outage-source";
            try (SourceLoad load = SourceLoad.start(mysql, Duration.ofSeconds(4), true);
                    RelayProcess relay = RelayProcess.of(mysql, "repl", "repl-Secret1", 4244, kafka.bootstrap(), topic).start();
                    TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
                relay.awaitLog("reading binlog from", Duration.ofSeconds(60));
                Thread.sleep(2000);
                String before = mysql.currentBinlogFile();
                mysql.stop();
                Thread.sleep(2000);
                assertTrue(relay.isAlive(), "relay exited when the source went down:\n" + relay.log());
                mysql.start();
                Thread.sleep(6000);
                load.stopAndCheck();
                assertTrue(!before.equals(mysql.currentBinlogFile()), "the restarted source writes a new binlog file");
                LogAssertions.assertTopicEqualsSource(mysql, contents, Duration.ofSeconds(60), relay::log);
                assertTrue(relay.isAlive(), "relay exited after the source restart:\n" + relay.log());
                assertTrue(relay.log().contains("resuming after the last committed record"),
                        "the relay reconnected and resumed from the topic:\n" + relay.log());
                relay.stop();
            }
        }
    }

    /** SIGTERM while the relay waits out its retry back-off (the source is down): it exits 0 at once, not after the wait. */
    @Test
    void sigtermDuringTheRetryBackoffExitsPromptly() throws Exception {
        if (!kafka.isRunning()) {
            kafka.start();
        }
        try (MySqlServer mysql = MySqlServer.builder().gtid(true).start()) {
            mysql.createReplicationUser("repl", "repl-Secret1");
            try (RelayProcess relay = RelayProcess.of(mysql, "repl", "repl-Secret1", 4245, kafka.bootstrap(), "outage-sigterm").start()) {
                relay.awaitLog("reading binlog from", Duration.ofSeconds(60));
                mysql.stop();
                // Back-offs double from 1 s: by the 8 s one, a stop that waited the back-off out would take seconds.
                relay.awaitLog("retrying in 8 s", Duration.ofSeconds(60));
                long began = System.nanoTime();
                relay.stop();
                long tookMillis = (System.nanoTime() - began) / 1_000_000;
                assertEquals(0, relay.awaitExit(Duration.ofSeconds(1)), relay.log());
                assertTrue(tookMillis < 3000, "SIGTERM during an 8 s back-off took " + tookMillis + " ms:\n" + relay.log());
            }
        }
    }
}
