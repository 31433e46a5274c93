package io.binlogbridge.replayer.log;

import io.binlogbridge.schemas.BinlogRecordCodec;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final AtomicInteger followers = new AtomicInteger();
    private long bytes;
    private long appended;
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

    /** The block of records a consumer at {@code from} read in place, after which it stood at {@code to}. */
    RecordBlock copy(long from, long to, List<ConsumerRecord<ByteBuffer, ByteBuffer>> records, BinlogRecordCodec codec) {
        return RecordBlock.copyOf(from, to, records, codec, alloc);
    }

    /**
     * Adds the block of the records the index has just applied, taking over the caller's reference. A block that does
     * not start where the last ended starts the tail afresh.
     */
    synchronized void append(RecordBlock block) {
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
        notifyAll();
    }

    /** Drops every block: no dump follows, or the index tail stopped reading (it starts afresh). */
    synchronized void clear() {
        if (!blocks.isEmpty()) {
            dropAll();
            notifyAll();
        }
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
     */
    public record Stats(int followers, int blocks, long bytes, long appended, long resets) {}

    public synchronized Stats snapshot() {
        return new Stats(followers.get(), blocks.size(), bytes, appended, resets);
    }

    /** What the tail holds and has done, for the log. */
    public synchronized String stats() {
        return followers.get() + " dump(s) following, " + blocks.size() + " blocks (" + (bytes >> 10) + " KiB) held, " + appended
                + " appended, " + resets + " restart(s)";
    }

    @Override
    public synchronized void close() {
        closed = true;
        dropAll();
        notifyAll();
    }
}
