package io.binlogbridge.replayer.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordBlockCacheTest {
    private static final int EVENT_BYTES = 100;

    private final MockLog log = new MockLog(12, EVENT_BYTES, 4);
    private final List<Long> polledFrom = new CopyOnWriteArrayList<>();
    private final CountDownLatch secondPollEntered = new CountDownLatch(1);
    private final CountDownLatch secondPollMayGo = new CountDownLatch(1);
    private RecordBlockCache cache;

    @AfterEach
    void close() {
        secondPollMayGo.countDown();
        if (cache != null) {
            cache.close();
        }
    }

    /**
     * A dump that wants the second block of a fetch under way (another dump's read-ahead) waits for that fetch instead of
     * fetching the same records again.
     */
    @Test
    void aDumpWantingTheSecondBlockOfAFetchUnderWayWaitsForIt() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        // One fetcher: the read-ahead of offset 4 takes the poll that fetcher started ahead, which hangs until released.
        cache = new RecordBlockCache(() -> log.consumer(c -> {
            polledFrom.add(c.position(MockLog.PARTITION));
            if (polls.incrementAndGet() == 2) {
                secondPollEntered.countDown();
                await(secondPollMayGo);
            }
        }), log.index(), 1 << 20, 2 * EVENT_BYTES, 2, 1, UnpooledByteBufAllocator.DEFAULT);

        RecordBlock first = cache.blockAt(0);
        assertEquals(0, first.firstOffset());
        first.release();
        assertTrue(secondPollEntered.await(10, TimeUnit.SECONDS), "the fetch of offset 4 is under way");

        CompletableFuture<RecordBlock> second = CompletableFuture.supplyAsync(() -> {
            try {
                return cache.blockAt(6);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cache.snapshot().waits() == 0 && System.nanoTime() < deadline && !second.isDone()) {
            Thread.onSpinWait();
        }
        assertEquals(1, cache.snapshot().waits(), "the dump at offset 6 waits for the fetch of offset 4");
        assertFalse(second.isDone());

        secondPollMayGo.countDown();
        RecordBlock block = second.get(10, TimeUnit.SECONDS);
        try {
            assertEquals(6, block.firstOffset());
            assertEquals(8, block.nextOffset());
            ByteBuf events = block.events();
            for (int i = 0; i < block.size(); i++) {
                assertArrayEquals(MockLog.events(6 + i, EVENT_BYTES),
                        ByteBufUtil.getBytes(events, events.readerIndex() + block.eventsIndex(i), block.eventsLength(i)));
            }
        } finally {
            block.release();
        }
        assertFalse(polledFrom.contains(6L), "no fetch of its own from offset 6: " + polledFrom);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
