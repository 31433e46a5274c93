package io.binlogbridge.replayer.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordBlockTest {
    private final BinlogRecordCodec codec = new BinlogRecordCodec();

    /** The cache counts an evicted block until its memory is freed: the hook runs once, at the last release. */
    @Test
    void whenFreedRunsOnceAtTheLastRelease() {
        RecordBlock block = RecordBlock.copyOf(7, 7, List.of(), codec, UnpooledByteBufAllocator.DEFAULT);
        AtomicInteger freed = new AtomicInteger();
        block.retain(); // a dump streaming it
        block.whenFreed(freed::incrementAndGet);
        block.release(); // the cache evicts it
        assertEquals(0, freed.get(), "still streamed");
        block.release(); // the dump is done
        assertEquals(1, freed.get());
        assertEquals(0, block.refCnt());
    }

    /**
     * A fetch bigger than a block becomes chained blocks of at most the block size each (a longer record alone in
     * its own), holding every record's events once and in order; the offsets between two records (transaction markers)
     * belong to the block before.
     */
    @Test
    void splitChainsBlocksOfAtMostTheBlockSize() {
        int[] sizes = {300, 300, 300, 900, 100, 250};
        // Records at offsets 10, 12, 14, ... (a marker after each); the consumer stood at 22 after them.
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> fetched = fetched(10, 2, sizes);
        List<RecordBlock> blocks = RecordBlock.split(9, 22, fetched, codec, bytes -> UnpooledByteBufAllocator.DEFAULT.directBuffer(bytes), 700);

        int[][] recordsOf = {{0, 1}, {2}, {3}, {4, 5}};
        long[] firstOffsets = {9, 14, 16, 18};
        long[] nextOffsets = {14, 16, 18, 22};
        assertEquals(recordsOf.length, blocks.size());
        for (int b = 0; b < blocks.size(); b++) {
            RecordBlock block = blocks.get(b);
            assertEquals(firstOffsets[b], block.firstOffset());
            assertEquals(nextOffsets[b], block.nextOffset());
            assertEquals(recordsOf[b].length, block.size());
            int eventBytes = 0;
            for (int i = 0; i < block.size(); i++) {
                int r = recordsOf[b][i];
                assertEquals(10 + 2L * r, block.offset(i));
                assertEquals(sizes[r], block.eventsLength(i));
                assertEquals(1000L * r, block.record(i).getStartPosition());
                ByteBuf events = block.events();
                assertArrayEquals(events(r, sizes[r]), ByteBufUtil.getBytes(events, events.readerIndex() + block.eventsIndex(i), block.eventsLength(i)));
                eventBytes += sizes[r];
            }
            assertEquals(eventBytes, block.events().readableBytes());
        }
        blocks.forEach(RecordBlock::release);
    }

    @Test
    void aFailedAllocationReleasesTheBlocksMadeBefore() {
        List<ByteBuf> given = new ArrayList<>();
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> fetched = fetched(0, 1, new int[] {500, 500});
        assertThrows(OutOfMemoryError.class, () -> RecordBlock.split(0, 2, fetched, codec, bytes -> {
            if (!given.isEmpty()) {
                throw new OutOfMemoryError("direct buffer memory");
            }
            ByteBuf b = UnpooledByteBufAllocator.DEFAULT.directBuffer(bytes);
            given.add(b);
            return b;
        }, 600));
        assertEquals(0, given.get(0).refCnt(), "the first block's memory is freed");
    }

    private List<ConsumerRecord<ByteBuffer, ByteBuffer>> fetched(long firstOffset, int step, int[] sizes) {
        TestLogs log = new TestLogs(Flavor.MYSQL);
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> fetched = new ArrayList<>();
        for (int r = 0; r < sizes.length; r++) {
            log.add(RecordKind.TRANSACTION, "binlog.000001", 1000L * r, 1000L * r + sizes[r], null, null, events(r, sizes[r]));
            byte[] value = codec.encodeValue(log.records().get(r));
            // A value in the middle of a bigger array, as the consumer's in-place views are.
            byte[] response = new byte[value.length + 16];
            System.arraycopy(value, 0, response, 8, value.length);
            fetched.add(new ConsumerRecord<>("t", 0, firstOffset + (long) step * r, null, ByteBuffer.wrap(response, 8, value.length).slice()));
        }
        return fetched;
    }

    private static byte[] events(int record, int size) {
        byte[] events = new byte[size];
        for (int i = 0; i < size; i++) {
            events[i] = (byte) (record * 31 + i);
        }
        return events;
    }
}
