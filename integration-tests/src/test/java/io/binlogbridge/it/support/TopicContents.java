package io.binlogbridge.it.support;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.schemas.BinlogKey;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.RecordKind;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Everything committed to a binlog topic, read as a replayer would (read_committed, from offset 0),
 * kept up to date with {@link #poll}.
 */
public final class TopicContents implements AutoCloseable {
    public record Entry(long offset, BinlogKey key, BinlogRecord value) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final BinlogRecordCodec codec = new BinlogRecordCodec();
    private final List<Entry> entries = new ArrayList<>();

    /** What a replayer reads: committed records only. */
    public TopicContents(String bootstrap, String topic) {
        this(bootstrap, topic, "read_committed");
    }

    /** Every record in the log, aborted transactions' included: what Kafka hides from committed readers. */
    public static TopicContents uncommitted(String bootstrap, String topic) {
        return new TopicContents(bootstrap, topic, "read_uncommitted");
    }

    private TopicContents(String bootstrap, String topic, String isolationLevel) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(32 << 20));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 << 20));
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /** Reads until {@code done} holds for what was read so far, or fails after {@code timeout}. */
    public List<Entry> pollUntil(Predicate<List<Entry>> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(entries)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; topic has "
                        + entries.size() + " records, last " + (entries.isEmpty() ? "none" : describe(entries.get(entries.size() - 1))));
            }
            poll(Duration.ofMillis(200));
        }
        return entries;
    }

    public List<Entry> poll(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            entries.add(new Entry(r.offset(), codec.decodeKey(r.key()), codec.decodeValue(r.value())));
        }
        return entries;
    }

    /** Reads to the current end of the topic. */
    public List<Entry> readToEnd(Duration timeout) {
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read to offset " + end);
            }
            poll(Duration.ofMillis(200));
        }
        return entries;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** True once the log holds the source's binlog up to {@code file}:{@code position}. */
    public static Predicate<List<Entry>> reached(String file, long position) {
        return list -> {
            if (list.isEmpty()) {
                return false;
            }
            BinlogRecord last = list.get(list.size() - 1).value();
            return last.getLastChunk() && file.equals(last.getFile()) && last.getEndPosition() >= position;
        };
    }

    /** The binlog files the log holds, rebuilt: magic, then every record's events in order. */
    public static Map<String, byte[]> rebuildFiles(List<Entry> list) {
        Map<String, ByteArrayOutputStream> files = new LinkedHashMap<>();
        for (Entry e : list) {
            BinlogRecord v = e.value();
            ByteArrayOutputStream out = files.computeIfAbsent(v.getFile(), f -> {
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                o.write(BinlogConstants.BINLOG_MAGIC, 0, 4);
                return o;
            });
            if (v.getKind() == RecordKind.FILE_HEADER && out.size() != 4) {
                throw new AssertionError("header of " + v.getFile() + " is not at its start");
            }
            if (out.size() != v.getStartPosition() + bytesBeforeChunk(e)) {
                throw new AssertionError("record at offset " + e.offset() + " (" + describe(e) + ") does not continue "
                        + v.getFile() + " at " + out.size());
            }
            var events = v.getEvents();
            out.write(events.array(), events.arrayOffset() + events.position(), events.remaining());
        }
        Map<String, byte[]> result = new LinkedHashMap<>();
        files.forEach((k, v) -> result.put(k, v.toByteArray()));
        return result;
    }

    private static long bytesBeforeChunk(Entry e) {
        // Chunk k of a transaction continues right after chunk k-1: its endPosition minus its size.
        BinlogRecord v = e.value();
        return v.getEndPosition() - v.getEvents().remaining() - v.getStartPosition();
    }

    /**
     * The copy of a file the source sent and the one on its disk differ in one bit: the server clears
     * the FORMAT_DESCRIPTION's in-use flag in place when it closes the file.
     */
    public static byte[] withoutInUseFlag(byte[] file) {
        byte[] copy = file.clone();
        if (copy.length > 4 + BinlogConstants.LOG_EVENT_HEADER_LEN
                && EventHeader.type(copy, 4) == BinlogConstants.FORMAT_DESCRIPTION_EVENT) {
            EventHeader.setFlags(copy, 4, EventHeader.flags(copy, 4) & ~BinlogConstants.LOG_EVENT_BINLOG_IN_USE_F);
        }
        return copy;
    }

    public static String describe(Entry e) {
        BinlogRecord v = e.value();
        return v.getKind() + " " + v.getFile() + ":" + v.getStartPosition() + "-" + v.getEndPosition() + " chunk " + v.getChunk()
                + (v.getLastChunk() ? " (last)" : "") + (v.getGtid() == null ? "" : " gtid " + v.getGtid());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
