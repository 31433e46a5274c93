package io.binlogbridge.core.relay;

import io.binlogbridge.core.gtid.ExecutedGtids;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The GTID state at the end of the log: everything the source of the log's last record had executed up to
 * it (a MySQL GTID set, a MariaDB GTID position). What a new source must hold before it may continue the
 * log, and what it is asked to skip.
 *
 * <p>Computed from the newest record that states a whole state, a FILE_HEADER (its PREVIOUS_GTIDS or
 * GTID_LIST) or a TERM_START (the state before its term; it follows its file's header and wins, which is
 * right for a log or term that began in the middle of a file), plus the GTID of every complete transaction
 * after it. So at most one binlog file of records is read, and only their metadata is decoded.
 *
 * @param flavor the flavor of the record that stated the state
 * @param text the state as text; empty when the log holds no GTIDs (a source with gtid_mode OFF)
 * @param termStart when the log's current file is its last term's first one (the newest such record is a
 *     TERM_START): the state that TERM_START stated, which the source skipped in that file; otherwise null
 */
public record LogGtidState(Flavor flavor, String text, String termStart) {

    public boolean isEmpty() {
        return text.isEmpty();
    }

    /** Reads the log's GTID state from the tail of a topic; the topic must hold at least one record. */
    @FunctionalInterface
    public interface Reader {
        /** @param forSwitch true when read to decide a switch to another source, false when resuming the same one */
        LogGtidState read(boolean forSwitch) throws io.binlogbridge.core.replica.SourceException;
    }

    /** Reads the tail of {@code topic} back to the newest record stating a GTID state. */
    public static LogGtidState read(Properties clientProperties, String topic, Duration timeout) {
        BinlogRecordCodec codec = new BinlogRecordCodec();
        try (KafkaConsumer<byte[], byte[]> consumer = TopicTail.consumer(clientProperties)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            long begin = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
            // A file is usually a few thousand records: look back that far, then eight times further, and so on.
            for (long window = 4096; ; window *= 8) {
                long from = Math.max(begin, end - window);
                Scan scan = new Scan();
                consumer.seek(partition, from);
                long deadline = System.nanoTime() + timeout.toNanos();
                long reached = from;
                while (reached < end) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.offset() < end) {
                            scan.accept(codec.decodeMetadata(r.value()));
                        }
                    }
                    long now = consumer.position(partition, timeout);
                    if (now > reached) {
                        reached = now;
                        deadline = System.nanoTime() + timeout.toNanos(); // a big file, not a stall
                    } else if (System.nanoTime() > deadline) {
                        throw new org.apache.kafka.common.errors.TimeoutException("reading the tail of " + topic + " made no progress for " + timeout);
                    }
                }
                if (scan.result() != null) {
                    return scan.result();
                }
                if (from == begin) {
                    throw new IllegalStateException("topic " + topic + " holds no FILE_HEADER or TERM_START record: it was not written by"
                            + " binlog-bridge, or its start was purged without its header");
                }
            }
        }
    }

    /** Records in log order in; the state after the last of them out. */
    public static final class Scan {
        private Flavor flavor;
        private ExecutedGtids state;
        private String termStart;

        public void accept(BinlogRecord r) {
            RecordKind kind = r.getKind();
            if (kind == RecordKind.FILE_HEADER || kind == RecordKind.TERM_START) {
                // Everything before this record is in its stated state: start over from it.
                flavor = r.getFlavor();
                String stated = r.getPreviousGtids() == null ? "" : r.getPreviousGtids();
                state = ExecutedGtids.of(flavor, stated);
                termStart = kind == RecordKind.TERM_START ? stated : null;
            } else if (kind == RecordKind.TRANSACTION && state != null && r.getLastChunk() && r.getGtid() != null) {
                state.add(r.getGtid());
            }
        }

        /** The state, or null when no record stating a whole state was seen. */
        public LogGtidState result() {
            return state == null ? null : new LogGtidState(flavor, state.text(), termStart);
        }
    }
}
