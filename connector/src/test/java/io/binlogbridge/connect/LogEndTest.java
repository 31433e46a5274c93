package io.binlogbridge.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.record.ResumePoint;
import io.binlogbridge.schemas.BinlogKey;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogEndTest {
    private final BinlogRecordCodec codec = new BinlogRecordCodec();

    @Test
    void emptyLogStartsFromTheConfiguredStart() {
        assertEquals(Optional.empty(), LogEnd.of(Optional.empty()).continueAfter());
    }

    @Test
    void completeTransactionIsContinuedAfter() {
        BinlogRecord last = record("binlog.000003", 1000, 5000, 2, true);
        LogEnd end = LogEnd.of(Optional.of(last));
        assertFalse(end.partial());
        assertEquals(last, end.continueAfter().orElseThrow());
    }

    @Test
    void partialTransactionRestartsAtItsFirstEventAndSkipsTheChunksTheLogHas() throws Exception {
        // Chunks 0 and 1 of the transaction at binlog.000003:1000 are in the log, chunk 2 (the last) is not.
        LogEnd end = LogEnd.of(Optional.of(record("binlog.000003", 1000, 3000, 1, false)));
        assertTrue(end.partial());
        ResumePoint resume = ResumePoint.after(end.continueAfter().orElseThrow());
        assertEquals("binlog.000003", resume.file());
        assertEquals(1000, resume.position());

        List<OutgoingRecord> passed = new ArrayList<>();
        var sink = end.filter(passed::add);
        for (int chunk = 0; chunk <= 2; chunk++) {
            sink.accept(outgoing("binlog.000003", 1000, chunk, chunk == 2));
        }
        sink.accept(outgoing("binlog.000003", 7000, 0, true));
        assertEquals(2, passed.size());
        assertEquals(2, codec.decodeKey(passed.get(0).key()).getChunk());
        assertEquals(7000, codec.decodeKey(passed.get(1).key()).getPosition());
    }

    @Test
    void partialTailFromOutgoingRecord() {
        OutgoingRecord r = outgoing("binlog.000009", 4, 0, false);
        LogEnd end = LogEnd.of(r);
        assertTrue(end.partial());
        assertEquals(4, end.continueAfter().orElseThrow().getEndPosition());
    }

    private OutgoingRecord outgoing(String file, long position, int chunk, boolean last) {
        BinlogKey key = new BinlogKey(1, file, position, chunk, RecordKind.TRANSACTION);
        BinlogRecord value = record(file, position, position + 100L * (chunk + 1), chunk, last);
        return new OutgoingRecord(codec.encodeKey(key), codec.encodeValue(value), RecordKind.TRANSACTION, file, position,
                value.getEndPosition(), "u:1", 100, last, false);
    }

    private static BinlogRecord record(String file, long start, long end, int chunk, boolean last) {
        return BinlogRecord.newBuilder()
                .setKind(RecordKind.TRANSACTION).setTerm(1).setFlavor(Flavor.MYSQL).setServerId(1).setServerUuid("u")
                .setServerVersion("8.0.15").setFile(file).setStartPosition(start).setEndPosition(end).setGtid("u:1")
                .setPreviousGtids(null).setEventCount(1).setEventTimestamp(0)
                .setChecksum(ChecksumAlgorithm.CRC32).setChunk(chunk).setLastChunk(last)
                .setEvents(ByteBuffer.wrap(new byte[10])).build();
    }
}
