package io.binlogbridge.replayer.log;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumers of the binlog topic: read_committed (never part of a MySQL transaction, never an aborted
 * write), no group (each reader keeps its own position), small fetches so memory stays bounded per
 * reader.
 */
public final class LogConsumers {
    private final Properties clientProperties;
    private final String topic;

    public LogConsumers(Properties clientProperties, String topic) {
        this.clientProperties = clientProperties;
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    public TopicPartition partition() {
        return new TopicPartition(topic, 0);
    }

    public Properties clientProperties() {
        return clientProperties;
    }

    /** A consumer assigned to the topic's partition, positioned nowhere yet. */
    public KafkaConsumer<byte[], byte[]> open(String clientId, int fetchBytes) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties(clientId, fetchBytes), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.assign(List.of(partition()));
        return consumer;
    }

    /**
     * Like {@link #open}, but keys and values are views of the fetch response rather than copies (see
     * {@link RecordBlock#copyOf}); they are valid until the next poll.
     */
    public KafkaConsumer<ByteBuffer, ByteBuffer> openInPlace(String clientId, int fetchBytes) {
        KafkaConsumer<ByteBuffer, ByteBuffer> consumer = new KafkaConsumer<>(properties(clientId, fetchBytes), new InPlaceDeserializer(),
                new InPlaceDeserializer());
        consumer.assign(List.of(partition()));
        return consumer;
    }

    private Properties properties(String clientId, int fetchBytes) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(fetchBytes));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(fetchBytes));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        // The OS's own buffer, which grows with the traffic, instead of Kafka's fixed 64 KiB: the consumer reads the socket
        // only inside poll, and with 64 KiB the broker stalled while a fetch was being copied into its block.
        p.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "-1");
        // Enough for a whole fetch of small transactions (8 MiB of 500-byte records) in one poll.
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20000");
        // Readers seek to offsets the index gave them; one that is gone (purged) is an error, not a jump.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        // A replayer started before the relay must not create the topic (with the broker's defaults: deleting retention).
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return p;
    }
}
