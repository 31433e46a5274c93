package io.binlogbridge.reader;

import com.github.shyiko.mysql.binlog.event.deserialization.ChecksumType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.ChecksumAlgorithms;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a binlog topic directly, without a replayer: {@link #poll} returns the log's transactions in order, each
 * with its GTID, file and positions, and its events decoded by mysql-binlog-connector-java. Reads the topic's one
 * partition with {@code read_committed}, assigned (no consumer group); {@link #position()} is where to resume.
 *
 * <p>Not thread-safe, like a {@code KafkaConsumer}: one thread polls; another may only call {@link #wakeup()}.
 */
public final class TopicReader implements AutoCloseable {
    private final Consumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final StartPosition start;
    private final BinlogRecordCodec codec = new BinlogRecordCodec();
    private final StartGate gate;
    private final ChunkJoiner joiner = new ChunkJoiner();
    private final TransactionDecoder decoder;
    private final FileNames names;

    private Flavor flavor;
    /** The start's or resumed position's GTID text, parsed once the first record tells the flavor. */
    private String initialGtids;
    private GtidState gtids;
    /** Until the first transaction of a read from the log's first record: file headers and term starts tell what the log lacks. */
    private boolean beforeFirstTransaction;
    /** The offset after the last record fully taken since the start opened; -1 while the start is the position. */
    private long nextOffset = -1;
    /** The checksum algorithm of the current file, from its FORMAT_DESCRIPTION; null until its header was read. */
    private ChecksumType headerChecksum;

    public TopicReader(TopicReaderConfig config) {
        this(config, new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }

    /** A reader over {@code consumer}, which must read committed records only. */
    TopicReader(TopicReaderConfig config, Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
        this.partition = new TopicPartition(config.topic(), 0);
        this.start = config.start();
        this.gate = new StartGate(start);
        EventDeserializer deserializer = new EventDeserializer();
        if (!config.compatibilityModes().isEmpty()) {
            var modes = config.compatibilityModes().toArray(new EventDeserializer.CompatibilityMode[0]);
            deserializer.setCompatibilityMode(modes[0], java.util.Arrays.copyOfRange(modes, 1, modes.length));
        }
        this.decoder = new TransactionDecoder(deserializer, new TableFilter(config.includeTables(), config.excludeTables()),
                config.decodeEvents());
        FileNames resumedNames = new FileNames();
        if (start instanceof StartPosition.Resume resume) {
            ReaderPosition p = resume.position();
            if (p.file() != null) {
                resumedNames = new FileNames(p.firstTerm(), p.term(), p.sourceFile(), p.file());
            }
            flavor = p.flavor() == null ? null : Flavor.valueOf(p.flavor());
            initialGtids = p.gtids();
            nextOffset = p.offset();
        } else {
            initialGtids = start instanceof StartPosition.GtidSet g ? g.gtids() : null;
            beforeFirstTransaction = true;
        }
        names = resumedNames;
        try {
            consumer.assign(List.of(partition));
            if (nextOffset >= 0) {
                consumer.seek(partition, nextOffset);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        if (flavor != null) {
            gtids = GtidState.of(flavor, initialGtids);
        }
    }

    private static Properties consumerProperties(TopicReaderConfig config) {
        Properties p = new Properties();
        p.putAll(config.consumerProperties());
        if (config.bootstrapServers() != null) {
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        }
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.clientId());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(config.fetchBytes()));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(config.fetchBytes()));
        return p;
    }

    /**
     * The next transactions of the log, in order; waits up to {@code timeout} for at least one, then returns what there
     * is (possibly nothing). Transactions the start skips, and those whose row events the table filter removed
     * entirely, are not returned, but {@link #position()} moves past them.
     *
     * @throws StartNotFoundException the start names no place the log holds, or a resume offset was purged
     * @throws MissingHistoryException a GTID start needs transactions the log begins after
     * @throws ReaderException the topic holds something this reader cannot read
     * @throws org.apache.kafka.common.errors.WakeupException {@link #wakeup()} was called
     */
    public List<Transaction> poll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Transaction> out = new ArrayList<>();
        while (true) {
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (InvalidOffsetException e) {
                throw new StartNotFoundException("offset " + nextOffset + " of " + partition + " is no longer in the topic (purged?); "
                        + "start from the position's GTID set instead", e);
            }
            for (ConsumerRecord<byte[], byte[]> r : records.records(partition)) {
                take(r, out);
            }
            if (!out.isEmpty() || System.nanoTime() - deadline >= 0) {
                return out;
            }
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> r, List<Transaction> out) {
        byte[] value = r.value();
        if (value == null) {
            throw new ReaderException("record at offset " + r.offset() + " of " + partition + " has no value: not a binlog topic");
        }
        BinlogRecord record;
        try {
            record = codec.decodeMetadata(value);
        } catch (IllegalArgumentException e) {
            throw new ReaderException("record at offset " + r.offset() + " of " + partition + " is not a binlog record: " + e.getMessage(), e);
        }
        if (flavor == null) {
            flavor = record.getFlavor();
        }
        if (gtids == null) {
            gtids = GtidState.of(flavor, initialGtids);
        }
        String file = names.enter(record.getTerm(), record.getFile());
        if (record.getKind() != RecordKind.TRANSACTION || record.getChunk() == 0) {
            gate.observe(record, file);
        }
        switch (record.getKind()) {
            case FILE_HEADER -> {
                headerChecksum = checksumOfHeader(value, record);
                takeLogState(record);
                tookUnit(r.offset());
            }
            case TERM_START -> {
                takeLogState(record);
                tookUnit(r.offset());
            }
            case EVENTS -> tookUnit(r.offset());
            case TRANSACTION -> {
                ChunkJoiner.Joined whole = joiner.add(r.offset(), record, value);
                if (whole != null) {
                    takeTransaction(whole, file, out);
                    tookUnit(r.offset());
                }
            }
            default -> throw new ReaderException("record at offset " + r.offset() + " is of kind " + record.getKind() + ", unknown to this reader");
        }
    }

    /**
     * Before its first transaction, a read from the log's start learns what the log never held: the GTID state of
     * its first file header and term start. A GTID start must cover it, or the log lacks transactions it asks for.
     */
    private void takeLogState(BinlogRecord record) {
        if (!beforeFirstTransaction || record.getPreviousGtids() == null) {
            return;
        }
        if (start instanceof StartPosition.GtidSet g) {
            if (!gtids.covers(record.getPreviousGtids())) {
                throw new MissingHistoryException("the log begins after " + record.getPreviousGtids() + " (" + record.getFile() + ":"
                        + record.getStartPosition() + ", term " + record.getTerm() + "), which " + g.gtids()
                        + " does not contain: the log does not hold the transactions in between");
            }
        } else {
            gtids.addAll(record.getPreviousGtids());
        }
    }

    private void takeTransaction(ChunkJoiner.Joined whole, String file, List<Transaction> out) {
        beforeFirstTransaction = false;
        BinlogRecord first = whole.first();
        String gtid = first.getGtid();
        boolean admitted = gate.admits(first, whole.last(), file);
        boolean alreadyPassed = gtid != null && gtids.contains(gtid);
        if (gtid != null) {
            gtids.add(gtid);
        }
        if (!admitted || alreadyPassed) {
            return;
        }
        ChecksumType checksum = first.getChecksum() == ChecksumAlgorithm.CRC32 ? ChecksumType.CRC32 : ChecksumType.NONE;
        if (headerChecksum != null && headerChecksum != checksum) {
            throw new ReaderException("transaction at " + file + ":" + first.getStartPosition() + " says checksum " + checksum
                    + " but its file's FORMAT_DESCRIPTION says " + headerChecksum);
        }
        String where = file + ":" + first.getStartPosition() + " (offset " + whole.offset() + ")";
        TransactionDecoder.Decoded decoded = decoder.decode(whole.bytes(), whole.off(), whole.len(), checksum, where);
        if (decoded.allRowsFiltered()) {
            return;
        }
        ByteBuffer raw = ByteBuffer.wrap(whole.bytes(), whole.off(), whole.len()).slice().asReadOnlyBuffer();
        out.add(new Transaction(gtid, first.getFlavor().name(), first.getTerm(), file, first.getFile(), first.getStartPosition(),
                whole.last().getEndPosition(), Instant.ofEpochSecond(first.getEventTimestamp()), whole.offset(), raw, decoded.events()));
    }

    /** The checksum algorithm the FORMAT_DESCRIPTION event that opens a header record declares. */
    private static ChecksumType checksumOfHeader(byte[] value, BinlogRecord record) {
        int at = BinlogRecordCodec.eventsOffset(value);
        if (value.length - at < BinlogConstants.LOG_EVENT_HEADER_LEN || EventHeader.type(value, at) != BinlogConstants.FORMAT_DESCRIPTION_EVENT) {
            return null;
        }
        int algorithm = ChecksumAlgorithms.fromFormatDescription(value, at);
        return algorithm == BinlogConstants.BINLOG_CHECKSUM_ALG_CRC32 ? ChecksumType.CRC32 : ChecksumType.NONE;
    }

    private void tookUnit(long offset) {
        if (gate.isOpen()) {
            nextOffset = offset + 1;
        }
    }

    /**
     * Where to start a new reader to continue right after the last transaction this one returned: a
     * {@link StartPosition#resume} once the reader has passed its start, the configured start before. Store it as
     * its {@code toString()} and read it back with {@link StartPosition#parse}.
     */
    public StartPosition position() {
        if (nextOffset < 0) {
            return start;
        }
        return StartPosition.resume(new ReaderPosition(nextOffset, flavor == null ? null : flavor.name(),
                gtids == null ? initialGtids : gtids.text(), names.firstTerm(), names.term(), names.sourceFile(), names.presented()));
    }

    /** Makes a poll blocked in another thread throw {@link org.apache.kafka.common.errors.WakeupException}. */
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
