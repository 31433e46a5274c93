package io.binlogbridge.replayer.log;

import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;

/** A log of equal transactions, record i at offset i, and Kafka's mock consumers over it: for tests of the block readers. */
final class MockLog {
    static final TopicPartition PARTITION = new TopicPartition("binlog", 0);

    private final TestLogs logs = new TestLogs(Flavor.MYSQL);
    private final byte[][] values;
    private final int recordsPerPoll;

    /** {@code records} transactions of {@code eventBytes} each; a poll returns at most {@code recordsPerPoll} of them. */
    MockLog(int records, int eventBytes, int recordsPerPoll) {
        this.recordsPerPoll = recordsPerPoll;
        BinlogRecordCodec codec = new BinlogRecordCodec();
        values = new byte[records][];
        for (int r = 0; r < records; r++) {
            logs.add(RecordKind.TRANSACTION, "binlog.000001", 4 + (long) eventBytes * r, 4 + (long) eventBytes * (r + 1), null, null,
                    events(r, eventBytes));
            values[r] = codec.encodeValue(logs.records().get(r));
        }
    }

    LogIndex index() {
        return logs.index();
    }

    /** A consumer assigned to the log's partition, holding every record; {@code eachPoll} runs at the start of each poll. */
    MockConsumer<ByteBuffer, ByteBuffer> consumer(Consumer<MockConsumer<ByteBuffer, ByteBuffer>> eachPoll) {
        MockConsumer<ByteBuffer, ByteBuffer> consumer = new MockConsumer<>("none");
        consumer.assign(List.of(PARTITION));
        consumer.setMaxPollRecords(recordsPerPoll);
        for (int r = 0; r < values.length; r++) {
            consumer.addRecord(new ConsumerRecord<>(PARTITION.topic(), 0, r, null, ByteBuffer.wrap(values[r])));
        }
        for (int poll = 0; poll < values.length + 8; poll++) {
            consumer.schedulePollTask(() -> eachPoll.accept(consumer));
        }
        return consumer;
    }

    /** Records {@code from} (inclusive) to {@code to} (exclusive), as a consumer reading in place returns them. */
    List<ConsumerRecord<ByteBuffer, ByteBuffer>> records(int from, int to) {
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> records = new java.util.ArrayList<>();
        for (int r = from; r < to; r++) {
            records.add(new ConsumerRecord<>(PARTITION.topic(), 0, r, null, ByteBuffer.wrap(values[r])));
        }
        return records;
    }

    /** Record {@code record}'s events, distinct from every other record's. */
    static byte[] events(int record, int size) {
        byte[] events = new byte[size];
        for (int i = 0; i < size; i++) {
            events[i] = (byte) (record * 31 + i);
        }
        return events;
    }
}
