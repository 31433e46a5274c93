package io.binlogbridge.replayer.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockFetcherTest {
    private static final int EVENT_BYTES = 100;

    /** Four records per poll, two per block: a fetch is two blocks, as in the replayer. */
    private final MockLog log = new MockLog(12, EVENT_BYTES, 4);
    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    private final AtomicInteger pollsAhead = new AtomicInteger();
    /** The offset each poll read from, in order. */
    private final List<Long> polledFrom = new CopyOnWriteArrayList<>();
    private final BlockFetcher fetcher = new BlockFetcher(log.consumer(c -> polledFrom.add(c.position(MockLog.PARTITION))),
            bytes -> UnpooledByteBufAllocator.DEFAULT.directBuffer(bytes), 2 * EVENT_BYTES, r -> {
                pollsAhead.incrementAndGet();
                pool.execute(r);
            }, offset -> offset < 12);

    @AfterEach
    void close() {
        fetcher.close();
        pool.shutdownNow();
    }

    /** The poll of the next fetch starts when the last returns, and the next read takes its records. */
    @Test
    void theNextFetchIsPolledAheadAndReadFromThere() {
        assertBlocks(List.of(0L, 2L, 4L), fetcher.read(0));
        assertEquals(1, pollsAhead.get());
        assertBlocks(List.of(4L, 6L, 8L), fetcher.read(4));
        assertBlocks(List.of(8L, 10L, 12L), fetcher.read(8));
        // Nothing is committed at 12 yet: no poll ahead holds the consumer there.
        assertEquals(2, pollsAhead.get());
        assertEquals(List.of(0L, 4L, 8L), polledFrom, "each fetch polled once, the later two ahead");
        assertEquals(12, fetcher.position());
    }

    /** A read elsewhere than where the poll ahead read drops its records and seeks. */
    @Test
    void aReadElsewhereDropsThePollAhead() {
        assertBlocks(List.of(4L, 6L, 8L), fetcher.read(4));
        assertBlocks(List.of(0L, 2L, 4L), fetcher.read(0));
        assertEquals(List.of(4L, 8L, 0L), polledFrom.subList(0, 3));
    }

    /** {@code blocks} chained at {@code bounds} (first offsets, then the last's next), each record's events intact. */
    private static void assertBlocks(List<Long> bounds, List<RecordBlock> blocks) {
        try {
            assertEquals(bounds.size() - 1, blocks.size());
            for (int b = 0; b < blocks.size(); b++) {
                RecordBlock block = blocks.get(b);
                assertEquals(bounds.get(b), block.firstOffset());
                assertEquals(bounds.get(b + 1), block.nextOffset());
                ByteBuf events = block.events();
                for (int i = 0; i < block.size(); i++) {
                    int record = (int) block.offset(i);
                    assertEquals(bounds.get(b) + i, record);
                    assertArrayEquals(MockLog.events(record, EVENT_BYTES),
                            ByteBufUtil.getBytes(events, events.readerIndex() + block.eventsIndex(i), block.eventsLength(i)));
                }
            }
        } finally {
            blocks.forEach(RecordBlock::release);
        }
    }
}
