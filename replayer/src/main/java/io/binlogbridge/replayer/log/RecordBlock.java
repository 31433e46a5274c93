package io.binlogbridge.replayer.log;

import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.RecordKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Consecutive committed records of the topic as a dump needs them: each record's metadata decoded once,
 * and the events of all of them copied once, side by side, into one off-heap buffer. A block is
 * immutable and reference counted, so any number of dumps can stream the same block; its memory is
 * freed by the last {@link #release()}.
 */
public final class RecordBlock extends AbstractReferenceCounted {
    private final long firstOffset;
    private final long nextOffset;
    private final long[] offsets;
    private final BinlogRecord[] records;
    private final int[] eventsIndex;
    private final ByteBuf events;
    /** When the records were read from Kafka ({@link System#nanoTime}), for the live tail's delay; 0 if not told. */
    private long readNanos;
    /** Run once the memory is freed; set by the cache when it evicts a block that dumps still stream. */
    private volatile Runnable whenFreed;

    private RecordBlock(long firstOffset, long nextOffset, long[] offsets, BinlogRecord[] records, int[] eventsIndex, ByteBuf events) {
        this.firstOffset = firstOffset;
        this.nextOffset = nextOffset;
        this.offsets = offsets;
        this.records = records;
        this.eventsIndex = eventsIndex;
        this.events = events;
    }

    /**
     * The block of {@code fetched} (values read in place, see {@link LogConsumers#openInPlace}): the records a
     * consumer positioned at {@code firstOffset} returned, after which it stood at {@code nextOffset}.
     */
    public static RecordBlock copyOf(long firstOffset, long nextOffset, List<ConsumerRecord<ByteBuffer, ByteBuffer>> fetched,
            BinlogRecordCodec codec, ByteBufAllocator alloc) {
        return copyOf(firstOffset, nextOffset, fetched, codec, bytes -> {
            int capacity = Math.max(1, bytes);
            return alloc.directBuffer(capacity, capacity);
        });
    }

    /** As above, the events copied into {@code memory.apply(total bytes)}, an empty buffer of at least that room. */
    static RecordBlock copyOf(long firstOffset, long nextOffset, List<ConsumerRecord<ByteBuffer, ByteBuffer>> fetched,
            BinlogRecordCodec codec, IntFunction<ByteBuf> memory) {
        return split(firstOffset, nextOffset, fetched, codec, memory, Integer.MAX_VALUE).get(0);
    }

    /**
     * The blocks of {@code fetched}, each holding at most {@code blockBytes} of events (or one record, when a record
     * alone is longer), in offset order and chained: each block's {@link #nextOffset} is the next one's
     * {@link #firstOffset}, the first starts at {@code firstOffset} and the last ends at {@code nextOffset}. A fetch
     * bigger than a block saves round trips to the broker, while what a dump pins off-heap stays one block.
     */
    static List<RecordBlock> split(long firstOffset, long nextOffset, List<ConsumerRecord<ByteBuffer, ByteBuffer>> fetched,
            BinlogRecordCodec codec, IntFunction<ByteBuf> memory, int blockBytes) {
        int n = fetched.size();
        long[] offsets = new long[n];
        BinlogRecord[] records = new BinlogRecord[n];
        int[] eventsStart = new int[n];
        int[] eventsLength = new int[n];
        for (int i = 0; i < n; i++) {
            ConsumerRecord<ByteBuffer, ByteBuffer> r = fetched.get(i);
            ByteBuffer value = r.value();
            if (value == null || !value.hasArray()) {
                throw new IllegalStateException("record at offset " + r.offset() + " has no value");
            }
            byte[] array = value.array();
            int start = value.arrayOffset() + value.position();
            offsets[i] = r.offset();
            records[i] = codec.decodeMetadata(array, start, value.remaining());
            eventsStart[i] = BinlogRecordCodec.eventsOffset(array, start, value.remaining());
            eventsLength[i] = start + value.remaining() - eventsStart[i];
        }
        List<RecordBlock> blocks = new ArrayList<>(1);
        int from = 0;
        try {
            do {
                int to = from;
                long total = 0;
                while (to < n && (to == from || total + eventsLength[to] <= blockBytes)) {
                    total += eventsLength[to++];
                }
                int[] eventsIndex = new int[to - from + 1];
                ByteBuf events = memory.apply((int) total);
                for (int i = from; i < to; i++) {
                    eventsIndex[i - from] = events.writerIndex();
                    events.writeBytes(fetched.get(i).value().array(), eventsStart[i], eventsLength[i]);
                }
                eventsIndex[to - from] = events.writerIndex();
                boolean whole = from == 0 && to == n;
                blocks.add(new RecordBlock(from == 0 ? firstOffset : offsets[from], to == n ? nextOffset : offsets[to],
                        whole ? offsets : Arrays.copyOfRange(offsets, from, to), whole ? records : Arrays.copyOfRange(records, from, to),
                        eventsIndex, events));
                from = to;
            } while (from < n);
        } catch (RuntimeException | Error e) {
            // Out of direct memory, say, for the second block: the first ones must not leak.
            blocks.forEach(RecordBlock::release);
            throw e;
        }
        return blocks;
    }

    void readAt(long nanos) {
        readNanos = nanos;
    }

    long readNanos() {
        return readNanos;
    }

    /** Whether every record is a transaction: none starts a file, a term or holds a ROTATE. */
    boolean transactionsOnly() {
        for (BinlogRecord r : records) {
            if (r.getKind() != RecordKind.TRANSACTION) {
                return false;
            }
        }
        return true;
    }

    /** The offset the block was read from; its first record may come later (transaction markers). */
    public long firstOffset() {
        return firstOffset;
    }

    /** Where the log continues after this block. */
    public long nextOffset() {
        return nextOffset;
    }

    public boolean contains(long offset) {
        return offset >= firstOffset && offset < nextOffset;
    }

    public int size() {
        return records.length;
    }

    public long offset(int i) {
        return offsets[i];
    }

    /** Record i's metadata; its events field is null (they are in {@link #events()}). */
    public BinlogRecord record(int i) {
        return records[i];
    }

    /** The events of every record, one after the other. */
    public ByteBuf events() {
        return events;
    }

    public int eventsIndex(int i) {
        return eventsIndex[i];
    }

    public int eventsLength(int i) {
        return eventsIndex[i + 1] - eventsIndex[i];
    }

    /** Off-heap bytes held. */
    public int bytes() {
        return events.capacity();
    }

    @Override
    public RecordBlock retain() {
        super.retain();
        return this;
    }

    @Override
    public RecordBlock touch(Object hint) {
        return this;
    }

    /** Runs {@code action} when the last reference is released (at once if that is the caller's release after this). */
    void whenFreed(Runnable action) {
        this.whenFreed = action;
    }

    @Override
    protected void deallocate() {
        events.release();
        Runnable action = whenFreed;
        if (action != null) {
            action.run();
        }
    }
}
