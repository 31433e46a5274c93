package io.binlogbridge.replayer.snapshot;

import io.binlogbridge.replayer.log.IndexRestorer;
import io.binlogbridge.replayer.log.IndexSnapshot;
import io.binlogbridge.replayer.log.LogConsumers;
import io.binlogbridge.replayer.log.LogIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores the newest index snapshot of the topic at start-up, but only one that holds for the topic as it is now:
 * written for this very topic (its Kafka topic id: not an earlier topic of the same name), whole (every chunk of its
 * write, CRC-32C right), of the format this replayer reads, from a scan that began where the topic begins now (a purge
 * since then moved the start: the index a scan builds now differs), and ending with a record the topic still holds at
 * that offset under the same key. Anything else: the whole topic is read, and one INFO line says why.
 */
public final class SnapshotRestorer implements IndexRestorer {
    private static final Logger log = LoggerFactory.getLogger(SnapshotRestorer.class);

    private final IndexSnapshotStore store;
    private final LogConsumers consumers;
    /** Whether a missing side topic is created (a replayer, which writes snapshots) or left alone (a reader only). */
    private final boolean createsTopic;
    private volatile long restoredOffset = -1;
    /** When the restored snapshot was written (for the log line). */
    private Instant writtenAt;

    /** A restorer that creates the side topic if it is missing: for a replayer, which then writes the snapshots. */
    public SnapshotRestorer(IndexSnapshotStore store, LogConsumers consumers) {
        this(store, consumers, true);
    }

    private SnapshotRestorer(IndexSnapshotStore store, LogConsumers consumers, boolean createsTopic) {
        this.store = store;
        this.consumers = consumers;
        this.createsTopic = createsTopic;
    }

    /**
     * A restorer that only reads (the archiver, which writes no snapshots): a missing side topic is not created,
     * the whole topic is read instead. The same checks decide whether a snapshot holds.
     */
    public static SnapshotRestorer readOnly(IndexSnapshotStore store, LogConsumers consumers) {
        return new SnapshotRestorer(store, consumers, false);
    }

    /** The offset the restored snapshot covered up to; -1 if none was restored. */
    public long restoredOffset() {
        return restoredOffset;
    }

    @Override
    public boolean restore(LogIndex index, long beginningOffset, long endOffset) {
        long began = System.nanoTime();
        String why;
        try {
            why = tryRestore(index, beginningOffset, endOffset);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            why = "reading it failed: " + e.getMessage();
        }
        if (why != null) {
            log.info("index snapshot of topic {} not used: {}; reading the whole topic", consumers.topic(), why);
            return false;
        }
        log.info("restored the index of topic {} from its snapshot in {} in {} ms: {} binlog files, records before offset {}, "
                + "written {}; reading the topic from offset {} to {}", consumers.topic(), store.indexTopic(),
                (System.nanoTime() - began) / 1_000_000, index.files().size(), index.nextOffset(), writtenAt, index.nextOffset(), endOffset);
        return true;
    }

    /** Restores, or returns why not. */
    private String tryRestore(LogIndex index, long beginningOffset, long endOffset) throws InterruptedException {
        if (!createsTopic) {
            if (!store.topicExists()) {
                return "topic " + store.indexTopic() + " does not exist (a replayer of the topic creates it and writes the snapshots)";
            }
        } else if (store.ensureTopic()) {
            return "topic " + store.indexTopic() + " did not exist (created it; a snapshot follows once the index is ready)";
        }
        IndexSnapshotStore.Found found = store.read();
        if (found == null) {
            return "topic " + store.indexTopic() + " holds none (a log indexed before snapshots, or no replayer got to write one)";
        }
        if (found.head() != null && !found.head().topicId().equals(store.topicId())) {
            return "it was written for another topic of this name (topic id " + found.head().topicId() + ", this topic's is "
                    + store.topicId() + ")";
        }
        if (found.problem() != null) {
            return "it is not whole: " + found.problem();
        }
        IndexSnapshot snapshot;
        try {
            snapshot = IndexSnapshot.decode(found.snapshot());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        long covered = snapshot.nextOffset();
        if (covered != found.head().coveredOffset()) {
            return "its head says offset " + found.head().coveredOffset() + ", its body " + covered;
        }
        if (snapshot.scanFrom() != beginningOffset) {
            return "the topic's start moved from offset " + snapshot.scanFrom() + " to " + beginningOffset
                    + " (purged) since it was written";
        }
        if (covered < 1 || covered > endOffset) {
            return "it covers the records before offset " + covered + " but the topic ends at " + endOffset;
        }
        byte[] lastKey = snapshot.lastKey();
        if (lastKey == null) {
            return "it does not name its last record";
        }
        byte[] actual = keyAt(covered - 1, endOffset);
        if (actual == null) {
            return "the topic no longer holds record " + (covered - 1) + ", its last";
        }
        if (!Arrays.equals(actual, lastKey)) {
            return "record " + (covered - 1) + " of the topic is not the one it indexed (another key)";
        }
        index.restore(snapshot);
        restoredOffset = covered;
        writtenAt = Instant.ofEpochMilli(found.head().writtenAtMillis());
        return null;
    }

    /** The key of the record at {@code offset}; null if the topic holds none there. */
    private byte[] keyAt(long offset, long endOffset) {
        try (KafkaConsumer<byte[], byte[]> c = consumers.open("binlog-bridge-replayer-index-check", 1 << 20)) {
            c.seek(consumers.partition(), offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (c.position(consumers.partition()) < endOffset && System.nanoTime() < deadline) {
                List<ConsumerRecord<byte[], byte[]>> records = c.poll(Duration.ofMillis(200)).records(consumers.partition());
                if (!records.isEmpty()) {
                    ConsumerRecord<byte[], byte[]> first = records.get(0);
                    return first.offset() == offset ? first.key() : null;
                }
            }
            return null;
        }
    }
}
