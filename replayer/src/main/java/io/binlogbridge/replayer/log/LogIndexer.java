package io.binlogbridge.replayer.log;

import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.RecordKind;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the topic from its start into the {@link LogIndex}, then follows its tail until closed, handing what it reads
 * there to the dumps that follow the log's end ({@link LiveTail}).
 */
public final class LogIndexer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogIndexer.class);
    /** How often a missing topic is looked for: a replica waiting for the log gets it at most this late. */
    private static final long TOPIC_POLL_MILLIS = 500;
    /**
     * How often the topic's beginning is looked at: a PURGE on another replayer (or any deleteRecords) reaches this
     * one's SHOW BINARY LOGS, gtid_purged and dump planning at most this late.
     */
    static final long BEGINNING_POLL_MILLIS = 2000;

    private final LogConsumers consumers;
    private final LogIndex index;
    private final Thread thread;
    /** Null: always scan the whole topic. */
    private final IndexRestorer restorer;
    /** Null: no dump follows this index (the archiver's). */
    private final LiveTail tail;
    private volatile boolean closed;
    private volatile KafkaConsumer<ByteBuffer, ByteBuffer> consumer;

    public LogIndexer(LogConsumers consumers, LogIndex index) {
        this(consumers, index, null, null);
    }

    /**
     * @param restorer where a saved index may come from at start (null: none, the topic is read from its start)
     * @param tail     where the records read at the log's end go for the dumps that follow it (null: no dumps)
     */
    public LogIndexer(LogConsumers consumers, LogIndex index, IndexRestorer restorer, LiveTail tail) {
        this.consumers = consumers;
        this.index = index;
        this.restorer = restorer;
        this.tail = tail;
        this.thread = new Thread(this::run, "log-indexer");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        BinlogRecordCodec codec = new BinlogRecordCodec();
        while (!closed) {
            try {
                awaitTopic();
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            try (KafkaConsumer<ByteBuffer, ByteBuffer> c = consumers.openInPlace("binlog-bridge-replayer-index", 8 << 20)) {
                consumer = c;
                long beginning = c.beginningOffsets(List.of(consumers.partition())).get(consumers.partition());
                long initialEnd = c.endOffsets(List.of(consumers.partition())).get(consumers.partition());
                long began = System.nanoTime();
                if (restorer != null && !index.isReady() && index.nextOffset() == 0 && index.isEmpty()) {
                    restorer.restore(index, beginning, initialEnd);
                }
                long start = index.nextOffset();
                long scannedFrom = start == 0 ? beginning : start;
                if (start == 0) {
                    index.scanFrom(beginning);
                    c.seekToBeginning(List.of(consumers.partition()));
                } else if (start < beginning) {
                    // Purged while this index was behind (reading again after a failure): what it had not read is gone.
                    followBeginning(c);
                    c.seek(consumers.partition(), beginning);
                } else {
                    c.seek(consumers.partition(), start);
                }
                long records = 0;
                if (!index.isReady() && c.position(consumers.partition()) >= initialEnd) {
                    index.markReady();
                    logIndexed(0, scannedFrom, initialEnd, began);
                }
                long beginningCheckedAt = System.nanoTime();
                // Where the live tail's last block ends while the tail holds every record from there on; -1: not following.
                long followedUpTo = -1;
                while (!closed) {
                    if (System.nanoTime() - beginningCheckedAt >= BEGINNING_POLL_MILLIS * 1_000_000) {
                        followBeginning(c);
                        beginningCheckedAt = System.nanoTime();
                    }
                    long before = c.position(consumers.partition());
                    List<ConsumerRecord<ByteBuffer, ByteBuffer>> polled = c.poll(Duration.ofMillis(200)).records(consumers.partition());
                    long polledAt = System.nanoTime();
                    if (tail != null && index.isReady() && tail.wanted()) {
                        if (followedUpTo < 0) {
                            followedUpTo = before;
                        }
                        if (!polled.isEmpty()) {
                            long after = c.position(consumers.partition());
                            RecordBlock block = tail.copy(followedUpTo, after, polled, codec, polledAt);
                            // A dump streams transactions without asking the index: they go out first. Anything else only
                            // once the index has it: a dump takes a new file's name and a ROTATE's target from it.
                            boolean beforeIndex = block.transactionsOnly();
                            try {
                                if (beforeIndex) {
                                    tail.append(block.retain());
                                }
                                applyAll(polled, block, codec);
                                if (!beforeIndex) {
                                    tail.append(block.retain());
                                }
                            } finally {
                                block.release();
                            }
                            followedUpTo = after;
                        }
                    } else {
                        if (followedUpTo >= 0) {
                            tail.clear();
                            followedUpTo = -1;
                        }
                        applyAll(polled, null, codec);
                    }
                    records += polled.size();
                    if (!index.isReady() && c.position(consumers.partition()) >= initialEnd) {
                        index.markReady();
                        logIndexed(records, scannedFrom, initialEnd, began);
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (tail != null) {
                    // The next consumer starts where the index ends: the tail starts afresh there.
                    tail.clear();
                }
                if (closed) {
                    return;
                }
                log.warn("reading topic {} for the index failed: {}; retrying in 1 s", consumers.topic(), e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * Applies the records to the index. Only a file's header record is kept whole (its FORMAT_DESCRIPTION is re-sent to
     * mid-file dumps), and the small EVENTS records are read for the ROTATE that names the next file (a renamed one
     * changes the file's presented size); transactions' events are not needed here. {@code block}, when not null, holds
     * the same records with their metadata decoded already.
     */
    private void applyAll(List<ConsumerRecord<ByteBuffer, ByteBuffer>> polled, RecordBlock block, BinlogRecordCodec codec) {
        for (int i = 0; i < polled.size(); i++) {
            ConsumerRecord<ByteBuffer, ByteBuffer> r = polled.get(i);
            ByteBuffer v = r.value();
            if (v == null || !v.hasArray()) {
                throw new IllegalStateException("record at offset " + r.offset() + " of topic " + consumers.topic() + " has no value");
            }
            byte[] array = v.array();
            int start = v.arrayOffset() + v.position();
            BinlogRecord value = block != null ? block.record(i) : codec.decodeMetadata(array, start, v.remaining());
            boolean whole = value.getKind() == RecordKind.FILE_HEADER || value.getKind() == RecordKind.EVENTS;
            // Copies: the index keeps both, and views would pin the whole fetch response.
            index.apply(r.offset(), Utils.toNullableArray(r.key()), whole ? codec.decodeValue(array, start, v.remaining()) : value);
        }
    }

    private void logIndexed(long records, long from, long to, long began) {
        log.info("indexed {} records of topic {} from offset {} to {} in {} ms: {} binlog files, up to {}", records, consumers.topic(),
                from, to, (System.nanoTime() - began) / 1_000_000, index.files().size(), index.currentPosition());
    }

    /** Drops from the index the files whose records the topic no longer begins with. */
    private void followBeginning(KafkaConsumer<ByteBuffer, ByteBuffer> c) {
        long beginning = c.beginningOffsets(List.of(consumers.partition())).get(consumers.partition());
        long first = index.firstOffset();
        if (first < 0 || beginning <= first) {
            return;
        }
        List<IndexedFile> dropped = index.startMovedTo(beginning);
        if (!dropped.isEmpty()) {
            log.info("topic {} now begins at offset {}: {} purged file(s) {} .. {} left the index; the log starts at {}, gtid_purged '{}'",
                    consumers.topic(), beginning, dropped.size(), dropped.get(0).name(), dropped.get(dropped.size() - 1).name(),
                    index.files().get(0).name(), index.gtidPurged());
        }
    }

    /**
     * Until a relay creates the topic, the log is empty rather than loading: the index is ready, so clients get in
     * and dumps wait for the first record. (A consumer of a missing topic would wait for its end offset, and log the
     * missing topic, again and again.)
     */
    private void awaitTopic() throws InterruptedException {
        boolean waited = false;
        try (Admin admin = Admin.create(consumers.clientProperties())) {
            while (!closed && !topicExists(admin)) {
                if (!index.isReady()) {
                    index.markReady();
                }
                waited = true;
                Thread.sleep(TOPIC_POLL_MILLIS);
            }
        }
        if (waited && !closed) {
            log.info("topic {} created: indexing it", consumers.topic());
        }
    }

    private boolean topicExists(Admin admin) throws InterruptedException {
        try {
            admin.describeTopics(List.of(consumers.topic())).allTopicNames().get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            // Anything else (the broker unreachable, no rights to describe) is left to the consumer to report.
            log.warn("cannot tell whether topic {} exists: {}", consumers.topic(), e.getCause().toString());
            return true;
        } catch (TimeoutException e) {
            log.warn("cannot tell whether topic {} exists: no answer from Kafka in 30 s", consumers.topic());
            return true;
        }
    }

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<ByteBuffer, ByteBuffer> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
