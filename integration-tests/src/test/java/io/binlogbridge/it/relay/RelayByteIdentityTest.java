package io.binlogbridge.it.relay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.it.support.Workloads;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof 1 of the relay: under a workload with DDL, multi-statement transactions, a 64 MiB row, a
 * 200 MB transaction and rotations, the topic's events rebuild the source's binlog files byte for byte.
 */
class RelayByteIdentityTest {
    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.launch();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void mysqlWithGtids() throws Exception {
        try (MySqlServer mysql = MySqlServer.builder().gtid(true).innodbLogFileSize("512M").start()) {
            relayAndCompare(mysql, "mysql-gtid");
        }
    }

    @Test
    void mariaDb() throws Exception {
        try (MariaDbServer mariadb = MariaDbServer.builder().innodbLogFileSize("512M").start()) {
            relayAndCompare(mariadb, "mariadb");
        }
    }

    private void relayAndCompare(SourceDatabase source, String topic) throws Exception {
        source.createReplicationUser("repl", "repl-Secret1");
        try (RelayProcess relay = RelayProcess.of(source, "repl", "repl-Secret1", 4242, kafka.bootstrap(), topic).start();
                TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
            Workloads.mixedWithHugeRows(source);
            List<TopicContents.Entry> entries = LogAssertions.assertTopicEqualsSource(source, contents, Duration.ofMinutes(3), relay::log);
            assertTrue(relay.isAlive(), relay.log());
            long total = TopicContents.rebuildFiles(entries).values().stream().mapToLong(b -> b.length).sum();
            assertTrue(total > 260L << 20, "workload wrote " + total + " bytes of binlog");
            relay.stop();
        }
    }
}
