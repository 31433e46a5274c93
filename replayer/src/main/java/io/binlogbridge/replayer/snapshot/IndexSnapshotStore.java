package io.binlogbridge.replayer.snapshot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Index snapshots of one binlog topic in a compacted side topic ({@code --index-topic}, by default {@code <topic>.index}),
 * laid out as {@link IndexSnapshotRecords} says, through the plain producer and consumer: no transactions, since the
 * head record is what makes a write visible. Several replayers of one topic may share the side topic: the newest
 * head wins, and each deletes only the chunks of its own earlier writes.
 */
public final class IndexSnapshotStore implements SnapshotWriter, AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Records read from the side topic's end at first; the window grows until it holds the newest head and its chunks. */
    private static final int FIRST_WINDOW = 64;

    private final Properties kafka;
    private final String topic;
    private final String indexTopic;
    private final TopicPartition partition;
    private KafkaProducer<byte[], byte[]> producer;
    /** This store's last write, whose chunks the next write deletes once its own head is in. */
    private IndexSnapshotRecords.Head lastWrite;
    private String topicId;

    public IndexSnapshotStore(Properties kafka, String topic, String indexTopic) {
        this.kafka = kafka;
        this.topic = topic;
        this.indexTopic = indexTopic;
        this.partition = new TopicPartition(indexTopic, 0);
    }

    @Override
    public String indexTopic() {
        return indexTopic;
    }

    /** A snapshot found in the side topic: its head, and its bytes or why they cannot be had. */
    public record Found(IndexSnapshotRecords.Head head, byte[] snapshot, String problem) {}

    /**
     * Creates the side topic unless it exists: one partition, compacted (only each key's newest value matters). Learns
     * the binlog topic's id on the way ({@link #topicId()}).
     *
     * @return whether it had to be created (then it holds no snapshot)
     */
    public synchronized boolean ensureTopic() throws InterruptedException {
        try (Admin admin = Admin.create(kafka)) {
            if (sideTopicExists(admin)) {
                return false;
            }
            // Old snapshots become cleanable after a segment rolls: a short segment.ms keeps the topic near one snapshot's size.
            NewTopic side = new NewTopic(indexTopic, Optional.of(1), Optional.empty()).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.SEGMENT_MS_CONFIG, Long.toString(TimeUnit.MINUTES.toMillis(10)),
                    TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1"));
            try {
                admin.createTopics(List.of(side)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                return true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return false;
                }
                throw new IllegalStateException("cannot create topic " + indexTopic + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from Kafka about topic " + indexTopic + " in " + TIMEOUT.toSeconds() + " s");
        }
    }

    /**
     * Whether the side topic exists, never creating it (for readers of snapshots that write none). Learns the binlog
     * topic's id on the way ({@link #topicId()}).
     */
    public synchronized boolean topicExists() throws InterruptedException {
        try (Admin admin = Admin.create(kafka)) {
            return sideTopicExists(admin);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from Kafka about topic " + indexTopic + " in " + TIMEOUT.toSeconds() + " s");
        }
    }

    private boolean sideTopicExists(Admin admin) throws InterruptedException, TimeoutException {
        // One round trip for both: the binlog topic's id is asked at every start too.
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(List.of(topic, indexTopic)).topicNameValues();
        if (topicId == null) {
            try {
                topicId = described.get(topic).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).topicId().toString();
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
        try {
            described.get(indexTopic).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw new IllegalStateException("cannot describe topic " + indexTopic + ": " + e.getCause().getMessage(), e.getCause());
            }
            return false;
        }
    }

    /** The Kafka topic id of the binlog topic, asked once. */
    public synchronized String topicId() throws InterruptedException {
        if (topicId == null) {
            try (Admin admin = Admin.create(kafka)) {
                topicId = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(topic)
                        .topicId().toString();
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("no answer from Kafka about topic " + topic + " in " + TIMEOUT.toSeconds() + " s");
            }
        }
        return topicId;
    }

    /**
     * The newest snapshot of the topic; null if the side topic has none. Read from the side topic's end backwards, in
     * growing windows, so the cost is the snapshot's size, not the side topic's history.
     */
    public Found read() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(List.of(partition));
            long begin = c.beginningOffsets(List.of(partition), TIMEOUT).get(partition);
            long end = c.endOffsets(List.of(partition), TIMEOUT).get(partition);
            String headKey = IndexSnapshotRecords.headKey(topic);
            for (long window = FIRST_WINDOW; ; window *= 8) {
                long from = Math.max(begin, end - window);
                Map<String, byte[]> values = readRange(c, from, end);
                byte[] headValue = values.get(headKey);
                if (headValue != null) {
                    IndexSnapshotRecords.Head head;
                    try {
                        head = IndexSnapshotRecords.decodeHead(headValue);
                    } catch (IllegalArgumentException e) {
                        return new Found(null, null, e.getMessage());
                    }
                    boolean allChunks = IndexSnapshotRecords.chunkKeys(topic, head).stream().allMatch(values::containsKey);
                    if (allChunks || from == begin) {
                        try {
                            return new Found(head, IndexSnapshotRecords.assemble(topic, head, values), null);
                        } catch (IllegalArgumentException e) {
                            return new Found(head, null, e.getMessage());
                        }
                    }
                }
                if (from == begin) {
                    return null;
                }
            }
        }
    }

    /** The newest value of each key among the records in [from, end), tombstones removing their key. */
    private Map<String, byte[]> readRange(KafkaConsumer<byte[], byte[]> c, long from, long end) {
        Map<String, byte[]> values = new HashMap<>();
        c.seek(partition, from);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (c.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading topic " + indexTopic + " took more than " + TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                if (r.offset() >= end || r.key() == null) {
                    continue;
                }
                String key = new String(r.key(), StandardCharsets.UTF_8);
                if (!key.startsWith(topic + "/")) {
                    continue;
                }
                if (r.value() == null) {
                    values.remove(key);
                } else {
                    values.put(key, r.value());
                }
            }
        }
        return values;
    }

    /**
     * Writes {@code snapshot}, which describes the topic's records before {@code coveredOffset}: its chunks, then (once
     * Kafka has them all) its head, then tombstones for this store's previous write.
     */
    @Override
    public synchronized IndexSnapshotRecords.Head write(byte[] snapshot, long coveredOffset) throws InterruptedException {
        String id = topicId();
        if (producer == null) {
            producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        }
        long writeId = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        IndexSnapshotRecords.Head head = IndexSnapshotRecords.head(writeId, snapshot, coveredOffset, id, System.currentTimeMillis());
        List<byte[]> chunks = IndexSnapshotRecords.split(snapshot);
        List<String> keys = IndexSnapshotRecords.chunkKeys(topic, head);
        List<Future<RecordMetadata>> sent = new ArrayList<>(chunks.size());
        for (int n = 0; n < chunks.size(); n++) {
            sent.add(producer.send(record(keys.get(n), chunks.get(n))));
        }
        awaitAll(sent);
        awaitAll(List.of(producer.send(record(IndexSnapshotRecords.headKey(topic), IndexSnapshotRecords.encodeHead(head)))));
        IndexSnapshotRecords.Head previous = lastWrite;
        lastWrite = head;
        if (previous != null) {
            List<Future<RecordMetadata>> deleted = new ArrayList<>();
            for (String key : IndexSnapshotRecords.chunkKeys(topic, previous)) {
                deleted.add(producer.send(record(key, null)));
            }
            awaitAll(deleted);
        }
        return head;
    }

    private ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
        return new ProducerRecord<>(indexTopic, 0, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static void awaitAll(List<Future<RecordMetadata>> sent) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not acknowledge the snapshot in " + TIMEOUT.toSeconds() + " s");
            }
        }
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "binlog-bridge-replayer-index-snapshot");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        return p;
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "binlog-bridge-replayer-index-snapshot");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis() - 1000));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        return p;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
