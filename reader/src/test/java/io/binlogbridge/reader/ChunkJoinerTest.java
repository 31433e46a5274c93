package io.binlogbridge.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ChunkJoinerTest {
    private final BinlogRecordCodec codec = new BinlogRecordCodec();

    private static BinlogRecord chunk(long start, int index, boolean last) {
        return BinlogRecord.newBuilder().setKind(RecordKind.TRANSACTION).setTerm(1).setFlavor(Flavor.MYSQL).setServerId(1)
                .setServerVersion("8.0.31").setFile("binlog.000001").setStartPosition(start).setEndPosition(start + 3L * (index + 1))
                .setEventCount(1).setEventTimestamp(0).setChecksum(ChecksumAlgorithm.NONE).setChunk(index).setLastChunk(last)
                .setEvents(ByteBuffer.allocate(0)).build();
    }

    private byte[] value(BinlogRecord r, byte... events) {
        return codec.encodeValue(r, events, 0, events.length);
    }

    @Test
    void aTransactionInOneRecordIsAViewOfThatRecord() {
        byte[] value = value(chunk(4, 0, true), (byte) 1, (byte) 2, (byte) 3);
        ChunkJoiner.Joined whole = new ChunkJoiner().add(7, chunk(4, 0, true), value);
        assertSame(value, whole.bytes(), "no copy");
        assertEquals(3, whole.len());
        assertEquals(3, value[whole.off() + 2]);
    }

    @Test
    void chunksAreJoinedInOrderOnTheLastOne() {
        ChunkJoiner joiner = new ChunkJoiner();
        assertNull(joiner.add(10, chunk(4, 0, false), value(chunk(4, 0, false), (byte) 1, (byte) 2, (byte) 3)));
        assertNull(joiner.add(11, chunk(4, 1, false), value(chunk(4, 1, false), (byte) 4, (byte) 5, (byte) 6)));
        ChunkJoiner.Joined whole = joiner.add(12, chunk(4, 2, true), value(chunk(4, 2, true), (byte) 7));
        assertEquals(10, whole.offset());
        assertEquals(7, whole.len());
        for (int i = 0; i < 7; i++) {
            assertEquals(i + 1, whole.bytes()[whole.off() + i]);
        }
    }

    @Test
    void aChunkThatDoesNotContinueIsAnError() {
        ChunkJoiner joiner = new ChunkJoiner();
        assertThrows(ReaderException.class, () -> joiner.add(1, chunk(4, 1, true), value(chunk(4, 1, true), (byte) 1)), "no chunk 0");
        joiner.add(2, chunk(4, 0, false), value(chunk(4, 0, false), (byte) 1));
        assertThrows(ReaderException.class, () -> joiner.add(3, chunk(4, 2, true), value(chunk(4, 2, true), (byte) 1)), "chunk 1 missing");
        assertThrows(ReaderException.class, () -> joiner.add(3, chunk(99, 1, true), value(chunk(99, 1, true), (byte) 1)), "another transaction");
    }
}
