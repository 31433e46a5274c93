package io.binlogbridge.replayer.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.schemas.BinlogRecordCodec;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
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
        RecordBlock block = tail.copy(from, to, log.records(from, to), codec, System.nanoTime());
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

    /** A follower that records what the tail hands it and when it is woken. */
    private static final class RecordingFollower extends LiveTail.Follower {
        final List<RecordBlock> delivered = new ArrayList<>();
        int wakes;

        @Override
        protected void deliver(RecordBlock block) {
            delivered.add(block);
        }

        @Override
        protected void wake() {
            wakes++;
        }
    }

    @Test
    void aParkedFollowerIsHandedTheNextBlockAndParksAgainAtTheEnd() {
        append(0, 2);
        RecordingFollower f = new RecordingFollower();
        assertFalse(tail.park(f, 1), "the tail holds offset 1: the dump reads it itself");
        assertTrue(tail.park(f, 2));
        RecordBlock next = append(2, 4);
        assertEquals(List.of(next), f.delivered, "handed the block that holds offset 2");
        assertEquals(2, next.refCnt(), "retained for the follower");
        f.delivered.remove(0).release();

        RecordBlock after = append(4, 5);
        assertTrue(f.delivered.isEmpty(), "not parked while it delivers: nothing handed twice");
        RecordBlock again = tail.next(f, 4, true);
        assertEquals(after, again, "the block appended meanwhile comes next");
        again.release();
        assertNull(tail.next(f, 5, true), "at the end again: parked");
        assertEquals(0, f.wakes);
        assertTrue(tail.reclaim(f), "parked: the dump takes it back at once");
        append(5, 6);
        assertTrue(f.delivered.isEmpty(), "reclaimed: no longer handed blocks");
        assertTrue(tail.stats().contains("2 handed"), tail.stats());
    }

    @Test
    void aDumpThatAsksForItselfBackDuringADeliveryIsWokenInsteadOfParkedAgain() {
        append(0, 1);
        RecordingFollower f = new RecordingFollower();
        assertTrue(tail.park(f, 1));
        append(1, 2);
        f.delivered.remove(0).release();
        assertFalse(tail.reclaim(f));
        append(2, 3);
        assertNull(tail.next(f, 2, true), "asked back: no next block, even though the tail holds one");
        assertEquals(1, f.wakes);
        assertTrue(tail.reclaim(f));
    }

    @Test
    void aDeliveryThatStopsWakesTheDump() {
        append(0, 1);
        RecordingFollower f = new RecordingFollower();
        assertTrue(tail.park(f, 1));
        append(1, 2);
        f.delivered.remove(0).release();
        assertNull(tail.next(f, 2, false), "the client is slow: its dump's thread takes over");
        assertEquals(1, f.wakes);
        assertTrue(tail.reclaim(f));
    }

    @Test
    void parkedFollowersAreWokenWhenTheTailRestartsIsClearedOrCloses() {
        append(0, 2);
        RecordingFollower restarted = new RecordingFollower();
        assertTrue(tail.park(restarted, 2));
        append(7, 8);
        assertTrue(restarted.delivered.isEmpty(), "offsets 2-6 are history now");
        assertEquals(1, restarted.wakes);
        assertTrue(tail.reclaim(restarted), "woken, no longer parked");

        RecordingFollower cleared = new RecordingFollower();
        assertTrue(tail.park(cleared, 8));
        tail.clear();
        assertEquals(1, cleared.wakes);
        assertTrue(tail.reclaim(cleared));

        append(8, 9);
        RecordingFollower closed = new RecordingFollower();
        assertTrue(tail.park(closed, 9));
        tail.close();
        assertEquals(1, closed.wakes);
        assertFalse(tail.park(closed, 9), "closed: nothing parks");
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
