package io.binlogbridge.replayer.log;

import io.binlogbridge.schemas.BinlogRecordCodec;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The records the index tail ({@link LogIndexer}) has just read, kept as blocks for the dumps that follow the log's
 * end. Without it every such dump tailed the topic with a consumer of its own: one broker fetch per transaction per
 * dump, each response received, checked and copied again. Here the index tail's one fetch serves them all, and a dump
 * never streams a record the index has not applied yet (a new file's name, say).
 *
 * <p>The tail is continuous: each block starts where the last ended, so a dump that reached it finds every record in
 * order, or learns ({@link #mayBring} false) that its offset is history again and reads it through the
 * {@link RecordBlockCache}. The index tail copies records only while a dump follows. Memory: at most
 * {@code maxBytes} (or one block, when one fetch is bigger), plus the blocks dumps still stream.
 */
public final class LiveTail implements AutoCloseable {
    private final long maxBytes;
    private final int maxBlocks;
    private final ByteBufAllocator alloc;
    private final ArrayDeque<RecordBlock> blocks = new ArrayDeque<>();
    /** Followers parked at the end, for the next block to be handed to. */
    private final List<Follower> parked = new ArrayList<>();
    private final AtomicInteger followers = new AtomicInteger();
    private volatile LongConsumer delays;
    private long bytes;
    private long appended;
    /** Blocks handed to parked followers. */
    private long handed;
    private long resets;
    private boolean closed;

    /**
     * @param maxBytes  off-heap bytes of recent blocks kept; a dump that falls further behind reads the block cache
     * @param maxBlocks blocks kept: at one transaction per fetch, how many transactions a follower may fall behind
     * @param alloc     where the blocks' off-heap memory comes from
     */
    public LiveTail(long maxBytes, int maxBlocks, ByteBufAllocator alloc) {
        this.maxBytes = maxBytes;
        this.maxBlocks = maxBlocks;
        this.alloc = alloc;
    }

    /** A dump reached the log's end: from now on the index tail keeps what it reads. */
    public void follow() {
        followers.incrementAndGet();
    }

    /** A dump that {@link #follow followed} ended. */
    public void unfollow() {
        followers.decrementAndGet();
    }

    /** Whether a dump follows the log's end: only then does the index tail copy what it reads. */
    boolean wanted() {
        return followers.get() > 0;
    }

    /**
     * The block of records a consumer at {@code from} read in place at {@code readNanos} ({@link System#nanoTime}),
     * after which it stood at {@code to}.
     */
    RecordBlock copy(long from, long to, List<ConsumerRecord<ByteBuffer, ByteBuffer>> records, BinlogRecordCodec codec, long readNanos) {
        RecordBlock block = RecordBlock.copyOf(from, to, records, codec, alloc);
        block.readAt(readNanos);
        return block;
    }

    /** Where the delays of blocks streamed to parked followers go ({@link #streaming}), in nanoseconds. */
    public void measureDelays(LongConsumer nanos) {
        this.delays = nanos;
    }

    /**
     * A follower starts streaming a block the tail handed it: measures how long after the index tail read the records
     * they go to the client (the replayer's own share of the lag of a dump at the log's end).
     */
    public void streaming(RecordBlock block) {
        LongConsumer d = delays;
        if (d != null && block.readNanos() != 0) {
            d.accept(System.nanoTime() - block.readNanos());
        }
    }

    /**
     * Adds the block of the records the index has just applied, taking over the caller's reference. A block that does
     * not start where the last ended starts the tail afresh.
     */
    void append(RecordBlock block) {
        List<Follower> delivered = null;
        List<Follower> woken = null;
        synchronized (this) {
            if (closed) {
                block.release();
                return;
            }
            RecordBlock last = blocks.peekLast();
            if (last != null && last.nextOffset() != block.firstOffset()) {
                dropAll();
                resets++;
            }
            blocks.addLast(block);
            bytes += block.bytes();
            appended++;
            while (blocks.size() > 1 && (bytes > maxBytes || blocks.size() > maxBlocks)) {
                RecordBlock oldest = blocks.pollFirst();
                bytes -= oldest.bytes();
                oldest.release();
            }
            for (Iterator<Follower> it = parked.iterator(); it.hasNext(); ) {
                Follower f = it.next();
                if (block.contains(f.parkedAt)) {
                    f.delivering = true;
                    // Retained here: a close() right after this section must not free it under the delivery.
                    block.retain();
                    handed++;
                    delivered = added(delivered, f);
                } else if (moved(f.parkedAt)) {
                    woken = added(woken, f);
                } else {
                    continue;
                }
                f.parkedAt = -1;
                it.remove();
            }
            notifyAll();
        }
        if (delivered != null) {
            for (Follower f : delivered) {
                f.deliver(block);
            }
        }
        if (woken != null) {
            woken.forEach(Follower::wake);
        }
    }

    private static List<Follower> added(List<Follower> list, Follower f) {
        List<Follower> l = list != null ? list : new ArrayList<>();
        l.add(f);
        return l;
    }

    /** Drops every block: no dump follows, or the index tail stopped reading (it starts afresh). */
    void clear() {
        List<Follower> woken;
        synchronized (this) {
            if (!blocks.isEmpty()) {
                dropAll();
                notifyAll();
            }
            woken = unparkAll();
        }
        woken.forEach(Follower::wake);
    }

    private List<Follower> unparkAll() {
        List<Follower> all = new ArrayList<>(parked);
        for (Follower f : all) {
            f.parkedAt = -1;
        }
        parked.clear();
        return all;
    }

    /**
     * A dump at the log's end that lets the index tail hand it the next block, instead of being woken to take it: the
     * records go from the thread that read them to the dump's event loop, one thread hop less per transaction. State
     * guarded by the tail's monitor; a follower is its dump's, parked here, or being delivered to, never two at once.
     */
    public abstract static class Follower {
        private long parkedAt = -1;
        private boolean delivering;
        private boolean reclaiming;

        /**
         * Takes the next block (retained for the follower, who releases it), on the index tail's thread: must not block.
         * The follower streams it elsewhere and then asks {@link #next} whether to go on.
         */
        protected abstract void deliver(RecordBlock block);

        /** The follower's dump should look at the tail itself (no block for it, or it asked for itself back). Must not block. */
        protected abstract void wake();
    }

    /**
     * Parks {@code follower} for the block holding {@code offset}: true when it waits here now, false when the tail
     * already holds that offset or has moved past it (the caller reads it itself).
     */
    public synchronized boolean park(Follower follower, long offset) {
        if (closed || moved(offset)) {
            return false;
        }
        follower.parkedAt = offset;
        parked.add(follower);
        return true;
    }

    /**
     * For a follower that streamed what it was {@link Follower#deliver delivered}: the block holding {@code offset},
     * delivered to it again when {@code goOn} and the tail has it; otherwise null, and the follower is parked again
     * (when {@code goOn}, the tail is at its end and its dump did not ask for it back), or {@link Follower#wake woken}.
     */
    public RecordBlock next(Follower follower, long offset, boolean goOn) {
        synchronized (this) {
            follower.delivering = false;
            if (goOn && !follower.reclaiming && !closed) {
                RecordBlock block = blockAtLocked(offset);
                if (block != null) {
                    follower.delivering = true;
                    handed++;
                    return block;
                }
                if (!moved(offset)) {
                    follower.parkedAt = offset;
                    parked.add(follower);
                    return null;
                }
            }
        }
        follower.wake();
        return null;
    }

    /**
     * The follower's dump takes it back: true when it is the dump's again, false while a block is being delivered to
     * it (the delivery ends with {@link Follower#wake}; ask again then).
     */
    public synchronized boolean reclaim(Follower follower) {
        if (follower.parkedAt >= 0) {
            parked.remove(follower);
            follower.parkedAt = -1;
        } else if (follower.delivering) {
            follower.reclaiming = true;
            return false;
        }
        follower.reclaiming = false;
        return true;
    }

    private void dropAll() {
        for (RecordBlock b : blocks) {
            b.release();
        }
        blocks.clear();
        bytes = 0;
    }

    /** The block holding {@code offset}, retained for the caller (who releases it), or null. */
    public synchronized RecordBlock blockAt(long offset) {
        return blockAtLocked(offset);
    }

    private RecordBlock blockAtLocked(long offset) {
        // Followers are near the end: look from there.
        for (Iterator<RecordBlock> it = blocks.descendingIterator(); it.hasNext(); ) {
            RecordBlock b = it.next();
            if (b.contains(offset)) {
                return b.retain();
            }
            if (offset >= b.nextOffset()) {
                return null;
            }
        }
        return null;
    }

    /**
     * Whether the records at {@code offset} are for the tail to bring: it holds blocks and {@code offset} is not before
     * the first. Otherwise they are history, for the block cache.
     */
    public synchronized boolean mayBring(long offset) {
        return !blocks.isEmpty() && offset >= blocks.peekFirst().firstOffset();
    }

    /**
     * Waits at most {@code millis} until the tail holds {@code offset} or has moved past it (it is history then). Any
     * change of the tail, or {@link #wake}, ends the wait early: the caller looks again.
     */
    public synchronized void await(long offset, long millis) throws InterruptedException {
        if (!closed && !moved(offset) && millis > 0) {
            TimeUnit.MILLISECONDS.timedWait(this, millis);
        }
    }

    private boolean moved(long offset) {
        return !blocks.isEmpty() && (blocks.peekLast().nextOffset() > offset || blocks.peekFirst().firstOffset() > offset);
    }

    /** Ends every {@link #await} now: a dump is stopping. */
    public synchronized void wake() {
        notifyAll();
    }

    /**
     * The tail's figures, for metrics.
     *
     * @param followers dumps following the log's end
     * @param blocks    blocks held now
     * @param bytes     off-heap bytes of those blocks
     * @param appended  blocks appended since start (one per fetch of the index tail while a dump followed)
     * @param resets    times the tail started afresh
     * @param handed    blocks handed to dumps parked at the end (each saves waking the dump's thread)
     */
    public record Stats(int followers, int blocks, long bytes, long appended, long resets, long handed) {}

    public synchronized Stats snapshot() {
        return new Stats(followers.get(), blocks.size(), bytes, appended, resets, handed);
    }

    /** What the tail holds and has done, for the log. */
    public synchronized String stats() {
        return followers.get() + " dump(s) following, " + blocks.size() + " blocks (" + (bytes >> 10) + " KiB) held, " + appended
                + " appended, " + handed + " handed to parked dumps, " + resets + " restart(s)";
    }

    @Override
    public void close() {
        List<Follower> woken;
        synchronized (this) {
            closed = true;
            dropAll();
            notifyAll();
            woken = unparkAll();
        }
        woken.forEach(Follower::wake);
    }
}
