package io.binlogbridge.relay.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedKafkaTest {
    private static final String TOPIC = "embedded-test";

    @Test
    void keepsRecordsAcrossRestarts(@TempDir Path dir) throws Exception {
        int port = freePort();
        byte[] big = new byte[2 * 1024 * 1024]; // larger than the 1 MiB broker default
        big[big.length - 1] = 42;

        try (EmbeddedKafka kafka = new EmbeddedKafka(dir, port)) {
            kafka.start();
            assertEquals("127.0.0.1:" + port, kafka.bootstrap());
            assertEquals(dir.toAbsolutePath().resolve("kafka"), kafka.logDir());
            assertTrue(Files.exists(kafka.logDir().resolve("meta.properties")));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)
                        .configs(Map.of("max.message.bytes", String.valueOf(EmbeddedKafka.MESSAGE_MAX_BYTES)))))
                        .all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, EmbeddedKafka.MESSAGE_MAX_BYTES,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
                producer.send(new ProducerRecord<>(TOPIC, "k".getBytes(), big)).get(30, TimeUnit.SECONDS);
            }
            assertEquals(1, readAll(kafka.bootstrap()).size());
        }

        try (EmbeddedKafka again = new EmbeddedKafka(dir, port)) {
            again.start(); // same dir: no re-format, the record is still there
            List<ConsumerRecord<byte[], byte[]>> records = readAll(again.bootstrap());
            assertEquals(1, records.size());
            assertEquals("k", new String(records.get(0).key()));
            assertEquals(big.length, records.get(0).value().length);
            assertEquals(42, records.get(0).value()[big.length - 1]);
        }
    }

    @Test
    void keepsTheOlderNestedLayoutOfAnExistingDataDirectory(@TempDir Path dir) throws Exception {
        assertEquals(dir.resolve("kafka"), EmbeddedKafka.logDirIn(dir));
        Files.createDirectories(dir.resolve("kafka/kafka"));
        Files.writeString(dir.resolve("kafka/kafka/meta.properties"), "version=1\n");
        assertEquals(dir.resolve("kafka/kafka"), EmbeddedKafka.logDirIn(dir));
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, EmbeddedKafka.MESSAGE_MAX_BYTES,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.position(tp, Duration.ofSeconds(30)) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }
}
