package io.binlogbridge.replayer.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.schemas.BinlogRecordCodec;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveTailTest {
    private static final int EVENT_BYTES = 100;

    private final MockLog log = new MockLog(20, EVENT_BYTES, 20);
    private final BinlogRecordCodec codec = new BinlogRecordCodec();
    private LiveTail tail = new LiveTail(1 << 20, 4, UnpooledByteBufAllocator.DEFAULT);

    @AfterEach
    void close() {
        tail.close();
    }

    /** Records [from, to) as the index tail appends them: a consumer read them from {@code from} and stood at {@code to}. */
    private RecordBlock append(int from, int to) {
        RecordBlock block = tail.copy(from, to, log.records(from, to), codec);
        tail.append(block);
        return block;
    }

    @Test
    void aFollowerFindsEveryRecordInOrderAndWaitsAtTheEnd() {
        assertFalse(tail.mayBring(0), "an empty tail brings nothing: the block cache has the log");
        append(0, 3);
        append(3, 4);
        for (int offset = 0; offset < 4; offset++) {
            RecordBlock b = tail.blockAt(offset);
            int i = (int) (offset - b.firstOffset());
            assertEquals(offset, b.offset(i));
            byte[] events = ByteBufUtil.getBytes(b.events(), b.eventsIndex(i), b.eventsLength(i));
            assertArrayEquals(MockLog.events(offset, EVENT_BYTES), events);
            b.release();
        }
        assertNull(tail.blockAt(4), "past the end: nothing yet");
        assertTrue(tail.mayBring(4), "but the next record is the tail's to bring");
    }

    @Test
    void aBlockThatDoesNotContinueTheLastStartsTheTailAfresh() {
        append(0, 2);
        append(5, 7);
        assertNull(tail.blockAt(1));
        assertFalse(tail.mayBring(2), "records 2-4 never reached the tail: history, for the block cache");
        assertTrue(tail.mayBring(5));
        assertTrue(tail.stats().contains("1 restart(s)"), tail.stats());
    }

    @Test
    void beyondItsBoundsTheOldestBlocksGoWhileADumpStreamingOneKeepsItAlive() {
        RecordBlock first = append(0, 1);
        RecordBlock streamed = tail.blockAt(0);
        for (int r = 1; r < 6; r++) {
            append(r, r + 1);
        }
        assertFalse(tail.mayBring(1), "at most 4 blocks: 0 and 1 were dropped");
        assertNull(tail.blockAt(1));
        assertTrue(tail.mayBring(2));
        assertEquals(1, first.refCnt(), "the dump's reference is the last");
        streamed.release();
        assertEquals(0, first.refCnt());
    }

    @Test
    void oneFetchBiggerThanTheBoundIsKept() {
        tail.close();
        tail = new LiveTail(EVENT_BYTES, 4, UnpooledByteBufAllocator.DEFAULT);
        append(0, 5);
        assertTrue(tail.mayBring(0));
        append(5, 8);
        assertFalse(tail.mayBring(4));
        assertTrue(tail.mayBring(5));
    }

    @Test
    void awaitEndsWhenTheRecordArrivesOrTheTailIsCleared() throws Exception {
        append(0, 1);
        CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
            long t0 = System.nanoTime();
            try {
                tail.await(1, 10_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        });
        Thread.sleep(50);
        append(1, 2);
        assertTrue(waited.get(5, TimeUnit.SECONDS) < 5_000, "woken by the record, not by the timeout");

        long t0 = System.nanoTime();
        tail.await(2, 50);
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50), "nothing came: the full wait");

        tail.clear();
        assertFalse(tail.mayBring(2), "cleared: a follower reads history until the next block");
        assertNull(tail.blockAt(1));
    }

    @Test
    void wantedWhileADumpFollows() {
        assertFalse(tail.wanted());
        tail.follow();
        tail.follow();
        tail.unfollow();
        assertTrue(tail.wanted());
        tail.unfollow();
        assertFalse(tail.wanted());
    }
}
