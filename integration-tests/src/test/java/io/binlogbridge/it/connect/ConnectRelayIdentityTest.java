package io.binlogbridge.it.connect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.Workloads;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof 4 of the connector: relay-server and the connector relaying the same source into two topics
 * write the same records: identical key and value bytes. (When each record was written is the Kafka
 * record's own timestamp, not part of the value.)
 */
class ConnectRelayIdentityTest {
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
    void relayServerAndConnectorWriteTheSameRecords() throws Exception {
        try (MySqlServer mysql = MySqlServer.builder().gtid(true).innodbLogFileSize("512M").start();
                ConnectWorker worker = new ConnectWorker(kafka.bootstrap(), "bb-connect-same")) {
            mysql.createReplicationUser("repl", "repl-Secret1");
            worker.start();
            worker.deploy("by-connector", ConnectorConfigs.of(mysql, "repl", "repl-Secret1", 4545, kafka.bootstrap(), "by-connector"));
            worker.awaitTaskRunning("by-connector", Duration.ofSeconds(60));
            try (RelayProcess relay = RelayProcess.of(mysql, "repl", "repl-Secret1", 4546, kafka.bootstrap(), "by-relay").start()) {
                Workloads.mixedWithHugeRows(mysql);
                String file = mysql.currentBinlogFile();
                long position = mysql.currentBinlogPosition();
                awaitReached("by-relay", file, position, relay::log);
                awaitReached("by-connector", file, position, () -> worker.logTail(200));
                long records = 0;
                long bytes = 0;
                try (RawReader a = new RawReader("by-relay"); RawReader b = new RawReader("by-connector")) {
                    for (ConsumerRecord<byte[], byte[]> ra; (ra = a.next()) != null; records++) {
                        ConsumerRecord<byte[], byte[]> rb = b.next();
                        assertTrue(rb != null, "the connector's topic ends at record " + records);
                        assertArrayEquals(ra.key(), rb.key(), "key of record " + records);
                        assertArrayEquals(ra.value(), rb.value(), "value of record " + records);
                        bytes += ra.value().length;
                    }
                    assertEquals(null, b.next(), "the connector's topic has more records");
                }
                assertTrue(bytes > 260L << 20, "compared " + bytes + " bytes");
                relay.stop();
                System.err.printf("[same-records] %d records, %d value bytes identical%n", records, bytes);
            }
        }
    }

    private static void awaitReached(String topic, String file, long position, java.util.function.Supplier<String> writerLog) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (true) {
            var last = io.binlogbridge.core.relay.TopicTail.lastRecord(p, topic, Duration.ofSeconds(30));
            if (last.isPresent() && last.get().getLastChunk() && file.equals(last.get().getFile()) && last.get().getEndPosition() >= position) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(topic + " did not reach " + file + ":" + position + "; last " + last.map(r -> r.getFile() + ":" + r.getEndPosition())
                        + "\n" + writerLog.get());
            }
            Thread.sleep(500);
        }
    }

    /** A topic's records as written, read_committed, one at a time. */
    private static final class RawReader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final TopicPartition tp;
        private final long end;
        private java.util.Iterator<ConsumerRecord<byte[], byte[]>> batch = java.util.Collections.emptyIterator();

        RawReader(String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 << 20));
            p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(8 << 20));
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            end = consumer.endOffsets(List.of(tp)).get(tp);
        }

        ConsumerRecord<byte[], byte[]> next() {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (!batch.hasNext()) {
                if (consumer.position(tp) >= end) {
                    return null;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("cannot read " + tp + " to " + end);
                }
                batch = consumer.poll(Duration.ofMillis(200)).iterator();
            }
            return batch.next();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

}
