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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof 4 of the relay: a second relay with the same identity (transactional id) fences the first,
 * which stops with a clear message; the second carries on and the log stays exactly once.
 */
class RelayFencingTest {
    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.launch();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void secondRelayFencesTheFirst() throws Exception {
        try (MySqlServer mysql = MySqlServer.builder().gtid(true).start()) {
            mysql.createReplicationUser("repl", "repl-Secret1");
            String topic = "fencing";
            // Different server ids: the source lets both dump at once, so only Kafka can stop A.
            try (SourceLoad load = SourceLoad.start(mysql, Duration.ofSeconds(3), false);
                    RelayProcess a = RelayProcess.of(mysql, "repl", "repl-Secret1", 4301, kafka.bootstrap(), topic).start();
                    RelayProcess b = RelayProcess.of(mysql, "repl", "repl-Secret1", 4302, kafka.bootstrap(), topic);
                    TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
                a.awaitLog("reading binlog from", Duration.ofSeconds(60));
                Thread.sleep(1500);
                b.start();
                int exit = a.awaitExit(Duration.ofSeconds(60));
                assertEquals(1, exit, "relay A's exit code:\n" + a.log());
                List<String> messages = a.log().lines().filter(l -> l.startsWith("relay-server: ")).toList();
                assertEquals(List.of("relay-server: another relay with transactional id binlog-bridge-relay-" + topic
                        + " took over topic " + topic + "; this one stops"), messages, a.log());
                b.awaitLog("reading binlog from", Duration.ofSeconds(60));
                Thread.sleep(3000);
                load.stopAndCheck();
                List<TopicContents.Entry> entries = LogAssertions.assertTopicEqualsSource(mysql, contents, Duration.ofSeconds(60), b::log);
                assertTrue(b.isAlive(), "relay B stopped:\n" + b.log());
                String executed = mysql.gtidExecuted().replaceAll("\\s", "");
                long n = Long.parseLong(executed.substring(executed.lastIndexOf('-') + 1));
                assertEquals(n, LogAssertions.transactionGtids(entries).size(), "each transaction once (" + executed + ")");
                b.stop();
            }
        }
    }
}
