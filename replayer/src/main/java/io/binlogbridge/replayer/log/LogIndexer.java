package io.binlogbridge.replayer.log;

import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.RecordKind;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the topic from its start into the {@link LogIndex}, then follows its tail until closed. */
public final class LogIndexer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogIndexer.class);

    private final LogConsumers consumers;
    private final LogIndex index;
    private final Thread thread;
    private volatile boolean closed;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public LogIndexer(LogConsumers consumers, LogIndex index) {
        this.consumers = consumers;
        this.index = index;
        this.thread = new Thread(this::run, "log-indexer");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        BinlogRecordCodec codec = new BinlogRecordCodec();
        while (!closed) {
            try (KafkaConsumer<byte[], byte[]> c = consumers.open("binlog-bridge-replayer-index", 8 << 20)) {
                consumer = c;
                long start = index.nextOffset();
                if (start == 0) {
                    c.seekToBeginning(List.of(consumers.partition()));
                } else {
                    c.seek(consumers.partition(), start);
                }
                long initialEnd = c.endOffsets(List.of(consumers.partition())).get(consumers.partition());
                long began = System.nanoTime();
                long records = 0;
                if (!index.isReady() && c.position(consumers.partition()) >= initialEnd) {
                    index.markReady();
                }
                while (!closed) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                        // Only a file's header record is kept (its FORMAT_DESCRIPTION is re-sent to
                        // mid-file dumps); the events of every other record are not needed here.
                        BinlogRecord value = codec.decodeMetadata(r.value());
                        index.apply(r.offset(), value.getKind() == RecordKind.FILE_HEADER ? codec.decodeValue(r.value()) : value);
                        records++;
                    }
                    if (!index.isReady() && c.position(consumers.partition()) >= initialEnd) {
                        index.markReady();
                        log.info("indexed {} records of topic {} in {} ms: {} binlog files, up to {}", records, consumers.topic(),
                                (System.nanoTime() - began) / 1_000_000, index.files().size(), index.currentPosition());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
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

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
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
