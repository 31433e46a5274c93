package io.binlogbridge.replayer.archive;

import static io.binlogbridge.core.binlog.BinlogConstants.BINLOG_CHECKSUM_ALG_CRC32;
import static io.binlogbridge.core.binlog.BinlogConstants.BINLOG_MAGIC;
import static io.binlogbridge.core.binlog.BinlogConstants.BIN_LOG_HEADER_SIZE;
import static io.binlogbridge.core.binlog.BinlogConstants.FORMAT_DESCRIPTION_EVENT;
import static io.binlogbridge.core.binlog.BinlogConstants.LOG_EVENT_BINLOG_IN_USE_F;
import static io.binlogbridge.core.binlog.BinlogConstants.LOG_EVENT_HEADER_LEN;

import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.RotateEvent;
import io.binlogbridge.core.gtid.ExecutedGtids;
import io.binlogbridge.replayer.dump.RotateRewriter;
import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.RotateEvents;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.RecordKind;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes one closed binlog file, read from the topic, as the source had it on disk: the magic, then every event as
 * stored, the FORMAT_DESCRIPTION's in-use flag cleared (the source clears it in place when it closes the file; the
 * flag is outside the checksum), and the final ROTATE renamed as the replayer presents the next file (a later
 * term's). Streams record by record: memory is the consumer's fetch and one record, whatever the file's size.
 */
final class FileCopier {
    /** No record for this long while the log's index says there are: Kafka is gone, or the topic was purged. */
    private static final Duration STALL = Duration.ofSeconds(60);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final LogIndex index;
    private final BinlogRecordCodec codec = new BinlogRecordCodec();

    FileCopier(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, LogIndex index) {
        this.consumer = consumer;
        this.partition = partition;
        this.index = index;
    }

    /** The topic does not hold the file whole (the log starts in its middle, or a record is missing). */
    static final class NotWholeException extends Exception {
        NotWholeException(String message) {
            super(message);
        }
    }

    /**
     * Copies {@code file}, whose records are at offsets [file.firstOffset(), endOffset), into {@code out}.
     *
     * @return the file's manifest
     */
    FileManifest copy(IndexedFile file, long endOffset, ArchiveStorage.Upload out) throws ArchiveException, NotWholeException,
            InterruptedException {
        Output output = new Output(out);
        output.write(BINLOG_MAGIC, 0, BINLOG_MAGIC.length);
        long position = BIN_LOG_HEADER_SIZE;
        ExecutedGtids gtids = null;
        String firstGtid = null;
        String lastGtid = null;
        long transactions = 0;
        long firstTimestamp = -1;
        long lastTimestamp = -1;
        BinlogRecord first = null;

        consumer.seek(partition, file.firstOffset());
        long lastProgress = System.nanoTime();
        while (consumer.position(partition) < endOffset) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            var records = consumer.poll(Duration.ofMillis(200));
            if (records.isEmpty()) {
                if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new ArchiveException("no record of " + file.name() + " from Kafka at offset " + consumer.position(partition)
                            + " within " + STALL.toSeconds() + " s");
                }
                continue;
            }
            lastProgress = System.nanoTime();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (r.offset() >= endOffset) {
                    break;
                }
                BinlogRecord v = codec.decodeValue(r.value());
                if (v.getKind() == RecordKind.TERM_START) {
                    continue;
                }
                if (v.getTerm() != file.term() || !v.getFile().equals(file.sourceName())) {
                    throw new ArchiveException("the topic holds " + v.getFile() + " (term " + v.getTerm() + ") at offset " + r.offset()
                            + ", inside " + file.name() + ": the log index and the topic disagree");
                }
                ByteBuffer events = v.getEvents();
                byte[] b = events.array();
                int off = events.arrayOffset() + events.position();
                int len = events.remaining();
                if (first == null) {
                    if (v.getKind() != RecordKind.FILE_HEADER) {
                        throw new NotWholeException("the topic holds " + file.name() + " from position " + v.getStartPosition()
                                + " on, without its header");
                    }
                    first = v;
                    gtids = ExecutedGtids.of(v.getFlavor(), file.gtidsAtStart());
                    firstTimestamp = v.getEventTimestamp();
                    clearInUseFlag(b, off, len);
                }
                if (v.getEndPosition() - len != position) {
                    throw new NotWholeException("the topic holds " + file.name() + " with a gap: a record at offset " + r.offset()
                            + " continues it at " + (v.getEndPosition() - len) + ", not at " + position);
                }
                position = v.getEndPosition();
                lastTimestamp = Math.max(lastTimestamp, v.getEventTimestamp());
                if (v.getKind() == RecordKind.EVENTS) {
                    int rotate = RotateEvents.realRotate(b, off, off + len);
                    if (rotate >= 0) {
                        int checksum = RotateEvents.checksum(v);
                        String named = RotateEvent.fileName(b, rotate, checksum);
                        String target = index.rotateTarget(file.term(), file.sourceName(), file.name(), named);
                        if (!target.equals(named)) {
                            int rotateLength = (int) EventHeader.eventSize(b, rotate);
                            output.write(b, off, rotate - off);
                            byte[] renamed = RotateRewriter.rewrite(b, rotate, rotateLength, target, checksum == BINLOG_CHECKSUM_ALG_CRC32);
                            output.write(renamed, 0, renamed.length);
                            int after = rotate + rotateLength;
                            output.write(b, after, off + len - after);
                            continue;
                        }
                    }
                }
                output.write(b, off, len);
                if (v.getKind() == RecordKind.TRANSACTION && v.getLastChunk()) {
                    transactions++;
                    if (v.getGtid() != null) {
                        firstGtid = firstGtid == null ? v.getGtid() : firstGtid;
                        lastGtid = v.getGtid();
                        gtids.add(v.getGtid());
                    }
                }
            }
        }
        if (first == null) {
            throw new NotWholeException("the topic holds no record of " + file.name());
        }
        long size = index.presentedSize(file);
        if (output.written != size) {
            throw new ArchiveException("wrote " + output.written + " bytes of " + file.name() + " but the log says it has " + size
                    + ": the log index and the topic disagree");
        }
        return new FileManifest(file.name(), file.sourceName(), file.term(), first.getFlavor().name(), first.getServerUuid(),
                first.getServerId(), output.written, HexFormat.of().formatHex(output.sha.digest()), file.gtidsAtStart(), gtids.text(), firstGtid,
                lastGtid, transactions, firstTimestamp, lastTimestamp, Instant.ofEpochSecond(firstTimestamp).toString(),
                Instant.ofEpochSecond(lastTimestamp).toString(), new long[] {file.firstOffset(), endOffset}, Instant.now().toString());
    }

    /** The archived file on its way out: its bytes go to the upload and into its SHA-256, counted. */
    private static final class Output {
        final ArchiveStorage.Upload upload;
        final MessageDigest sha = sha256();
        long written;

        Output(ArchiveStorage.Upload upload) {
            this.upload = upload;
        }

        void write(byte[] b, int off, int len) throws ArchiveException {
            upload.write(b, off, len);
            sha.update(b, off, len);
            written += len;
        }
    }

    /** A closed file's FORMAT_DESCRIPTION no longer says "in use"; the source sent it while the file was open. */
    private static void clearInUseFlag(byte[] b, int off, int len) {
        if (len >= LOG_EVENT_HEADER_LEN && EventHeader.type(b, off) == FORMAT_DESCRIPTION_EVENT) {
            EventHeader.setFlags(b, off, EventHeader.flags(b, off) & ~LOG_EVENT_BINLOG_IN_USE_F);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
