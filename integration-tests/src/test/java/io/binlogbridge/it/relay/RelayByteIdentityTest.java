package io.binlogbridge.it.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.it.support.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
            String file = source.currentBinlogFile();
            long position = source.currentBinlogPosition();
            List<TopicContents.Entry> entries;
            try {
                entries = contents.pollUntil(TopicContents.reached(file, position), Duration.ofMinutes(3), "relay to reach " + file + ":" + position);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nrelay log:\n" + relay.log(), e);
            }
            assertTrue(relay.isAlive(), relay.log());
            Map<String, byte[]> rebuilt = TopicContents.rebuildFiles(entries);
            List<Path> files = source.binlogFiles();
            assertEquals(files.stream().map(p -> p.getFileName().toString()).toList(), List.copyOf(rebuilt.keySet()),
                    "the log holds every binlog file of the source, in order");
            for (Path path : files) {
                String name = path.getFileName().toString();
                byte[] onDisk = Files.readAllBytes(path);
                byte[] fromTopic = rebuilt.get(name);
                assertEquals(onDisk.length, fromTopic.length, name + " length");
                if (name.equals(file)) {
                    // The source marks its active file in use on disk and clears that flag in what it
                    // sends (as it does on disk once the file is closed): the one byte allowed to differ.
                    assertArrayEquals(TopicContents.withoutInUseFlag(onDisk), fromTopic, name + " (active) differs");
                } else {
                    assertArrayEquals(onDisk, fromTopic, name + " differs");
                }
            }
            long total = rebuilt.values().stream().mapToLong(b -> b.length).sum();
            assertTrue(total > 260L << 20, "workload wrote " + total + " bytes of binlog");
            relay.stop();
        }
    }
}
