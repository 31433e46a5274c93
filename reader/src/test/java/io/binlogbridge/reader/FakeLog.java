package io.binlogbridge.reader;

import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;

/** Records of a binlog topic as a relay writes them, with stand-in event bytes, fed to a MockConsumer. */
final class FakeLog {
    static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final TopicPartition PARTITION = new TopicPartition("log", 0);

    private final BinlogRecordCodec codec = new BinlogRecordCodec();
    /** The topic so far. */
    private final List<ConsumerRecord<byte[], byte[]>> topic = new ArrayList<>();
    /** The consumer of the latest reader, which gets what is added after it started too. */
    private MockConsumer<byte[], byte[]> consumer;
    int term = 1;

    /** A reader of the log (no decoding: the events are stand-ins) over a consumer of its own. */
    TopicReader reader(StartPosition start) {
        consumer = new MockConsumer<>("none");
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        TopicReader reader = new TopicReader(TopicReaderConfig.builder().bootstrapServers("unused:9092").topic(PARTITION.topic())
                .start(start).decodeEvents(false).build(), consumer);
        topic.forEach(consumer::addRecord);
        return reader;
    }

    FakeLog header(String file, String previousGtids) {
        return add(record(RecordKind.FILE_HEADER, file, 4, 126, null, previousGtids, 0, true), new byte[0]);
    }

    FakeLog termStart(String file, long position, String previousGtids) {
        return add(record(RecordKind.TERM_START, file, position, position, null, previousGtids, 0, true), new byte[0]);
    }

    FakeLog rotate(String file, long position) {
        return add(record(RecordKind.EVENTS, file, position, position + 47, null, null, 0, true), new byte[47]);
    }

    FakeLog transaction(String file, long start, int size, long gno, long timestamp) {
        BinlogRecord r = record(RecordKind.TRANSACTION, file, start, start + size, UUID + ":" + gno, null, 0, true);
        r.setEventTimestamp(timestamp);
        return add(r, bytes(size, gno));
    }

    /** A transaction split into {@code chunks} records of equal size. */
    FakeLog chunked(String file, long start, int chunkSize, int chunks, long gno) {
        for (int c = 0; c < chunks; c++) {
            BinlogRecord r = record(RecordKind.TRANSACTION, file, start, start + (long) chunkSize * (c + 1), UUID + ":" + gno, null, c,
                    c == chunks - 1);
            add(r, bytes(chunkSize, gno + c));
        }
        return this;
    }

    /** Chunk {@code index} of the transaction at {@code start}, each chunk {@code chunkSize} bytes. */
    FakeLog chunk(String file, long start, int chunkSize, int index, boolean last, long gno) {
        BinlogRecord r = record(RecordKind.TRANSACTION, file, start, start + (long) chunkSize * (index + 1), UUID + ":" + gno, null, index, last);
        return add(r, bytes(chunkSize, gno + index));
    }

    static byte[] bytes(int size, long fill) {
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    private BinlogRecord record(RecordKind kind, String file, long start, long end, String gtid, String previousGtids, int chunk,
            boolean last) {
        return BinlogRecord.newBuilder().setKind(kind).setTerm(term).setFlavor(Flavor.MYSQL).setServerId(1).setServerUuid(UUID)
                .setServerVersion("8.0.31").setFile(file).setStartPosition(start).setEndPosition(end).setGtid(gtid)
                .setPreviousGtids(previousGtids).setEventCount(1).setEventTimestamp(1_700_000_000L).setChecksum(ChecksumAlgorithm.CRC32)
                .setChunk(chunk).setLastChunk(last).setEvents(ByteBuffer.allocate(0)).build();
    }

    private FakeLog add(BinlogRecord r, byte[] events) {
        byte[] value = codec.encodeValue(r, events, 0, events.length);
        ConsumerRecord<byte[], byte[]> cr = new ConsumerRecord<>(PARTITION.topic(), 0, topic.size(), new byte[0], value);
        topic.add(cr);
        if (consumer != null && !consumer.closed()) {
            consumer.addRecord(cr);
        }
        return this;
    }

    long nextOffset() {
        return topic.size();
    }

    static List<String> gtids(List<Transaction> txs) {
        return txs.stream().map(Transaction::gtid).toList();
    }
}
