package io.binlogbridge.core.relay;

import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the last committed record of the binlog topic: the relay's checkpoint. Reads with
 * {@code read_committed}, so aborted transactions of a relay that died (or was fenced) are never
 * taken for progress.
 */
public final class TopicTail {
    private TopicTail() {}

    /** A consumer for reading the committed tail of a binlog topic: no group, read_committed, large fetches. */
    static KafkaConsumer<byte[], byte[]> consumer(Properties clientProperties) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 << 20));
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 << 20));
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public static Optional<BinlogRecord> lastRecord(Properties clientProperties, String topic, Duration timeout) {
        return lastConsumerRecord(clientProperties, topic, timeout).map(r -> new BinlogRecordCodec().decodeValue(r.value()));
    }

    /** The offset of the topic's last committed record, empty for an empty topic. */
    public static OptionalLong lastRecordOffset(Properties clientProperties, String topic, Duration timeout) {
        Optional<ConsumerRecord<byte[], byte[]>> last = lastConsumerRecord(clientProperties, topic, timeout);
        return last.isPresent() ? OptionalLong.of(last.get().offset()) : OptionalLong.empty();
    }

    private static Optional<ConsumerRecord<byte[], byte[]>> lastConsumerRecord(Properties clientProperties, String topic, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(clientProperties)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            Map<TopicPartition, Long> ends = consumer.endOffsets(List.of(partition), timeout);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(List.of(partition), timeout);
            long end = ends.get(partition);
            long begin = begins.get(partition);
            // Transaction markers take offsets too: look back a little, then further, until a data record shows.
            for (long window = 16; ; window *= 8) {
                long from = Math.max(begin, end - window);
                consumer.seek(partition, from);
                ConsumerRecord<byte[], byte[]> last = null;
                long deadline = System.nanoTime() + timeout.toNanos();
                while (consumer.position(partition, timeout) < end) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.offset() < end) {
                            last = r;
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new org.apache.kafka.common.errors.TimeoutException("reading the tail of " + topic + " took longer than " + timeout);
                    }
                }
                if (last != null) {
                    return Optional.of(last);
                }
                if (from == begin) {
                    return Optional.empty();
                }
            }
        }
    }
}
