package io.binlogbridge.replayer.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A snapshot cut into chunk records and a head: only the chunks of the head's own write, whole and unchanged, make it up. */
class IndexSnapshotRecordsTest {
    private static final String TOPIC = "shop.binlog";
    private static final String TOPIC_ID = "nX2iQ4tCS1y8b7ZzJm6m3Q";

    @Test
    void chunksAndHeadGiveTheSnapshotBack() {
        byte[] snapshot = bytes(IndexSnapshotRecords.CHUNK_BYTES * 2 + 1234);
        IndexSnapshotRecords.Head head = IndexSnapshotRecords.head(42, snapshot, 5000, TOPIC_ID, 1_700_000_000_000L);
        assertEquals(3, head.chunks());
        assertEquals(head, IndexSnapshotRecords.decodeHead(IndexSnapshotRecords.encodeHead(head)));
        assertEquals(List.of("shop.binlog/snapshot/2a/0", "shop.binlog/snapshot/2a/1", "shop.binlog/snapshot/2a/2"),
                IndexSnapshotRecords.chunkKeys(TOPIC, head));
        assertEquals("shop.binlog/snapshot", IndexSnapshotRecords.headKey(TOPIC));
        assertArrayEquals(snapshot, IndexSnapshotRecords.assemble(TOPIC, head, values(head, snapshot)));
    }

    @Test
    void aMissingChunkOrChunksOfAnotherWriteAreNotASnapshot() {
        byte[] snapshot = bytes(IndexSnapshotRecords.CHUNK_BYTES + 10);
        IndexSnapshotRecords.Head head = IndexSnapshotRecords.head(7, snapshot, 100, TOPIC_ID, 0);
        Map<String, byte[]> values = values(head, snapshot);
        values.remove(IndexSnapshotRecords.chunkKey(TOPIC, 7, 1));
        assertEquals("chunk shop.binlog/snapshot/7/1 of write 7 is missing",
                assertThrows(IllegalArgumentException.class, () -> IndexSnapshotRecords.assemble(TOPIC, head, values)).getMessage());

        // A later write stopped half-way: its chunks are there, but the head still names write 7, which is whole.
        byte[] newer = bytes(100);
        IndexSnapshotRecords.Head unfinished = IndexSnapshotRecords.head(8, newer, 200, TOPIC_ID, 0);
        Map<String, byte[]> both = values(head, snapshot);
        both.putAll(values(unfinished, newer));
        assertArrayEquals(snapshot, IndexSnapshotRecords.assemble(TOPIC, head, both));
    }

    @Test
    void changedBytesFailTheChecksum() {
        byte[] snapshot = bytes(1000);
        IndexSnapshotRecords.Head head = IndexSnapshotRecords.head(9, snapshot, 100, TOPIC_ID, 0);
        Map<String, byte[]> values = values(head, snapshot);
        values.get(IndexSnapshotRecords.chunkKey(TOPIC, 9, 0))[500] ^= 1;
        assertEquals("its chunks do not match the CRC-32C its head names",
                assertThrows(IllegalArgumentException.class, () -> IndexSnapshotRecords.assemble(TOPIC, head, values)).getMessage());
        values.put(IndexSnapshotRecords.chunkKey(TOPIC, 9, 0), new byte[999]);
        assertEquals("its chunks hold 999 bytes, its head names 1000",
                assertThrows(IllegalArgumentException.class, () -> IndexSnapshotRecords.assemble(TOPIC, head, values)).getMessage());
    }

    @Test
    void aValueThatIsNotAHeadIsRefused() {
        assertEquals("its head record is not a snapshot head",
                assertThrows(IllegalArgumentException.class, () -> IndexSnapshotRecords.decodeHead(new byte[] {1, 2, 3, 4, 5, 6, 7}))
                        .getMessage());
    }

    private static Map<String, byte[]> values(IndexSnapshotRecords.Head head, byte[] snapshot) {
        Map<String, byte[]> values = new HashMap<>();
        List<byte[]> chunks = IndexSnapshotRecords.split(snapshot);
        List<String> keys = IndexSnapshotRecords.chunkKeys(TOPIC, head);
        for (int i = 0; i < chunks.size(); i++) {
            values.put(keys.get(i), chunks.get(i));
        }
        return values;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
