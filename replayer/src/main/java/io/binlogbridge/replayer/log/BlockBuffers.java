package io.binlogbridge.replayer.log;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.util.internal.CleanableDirectBuffer;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayDeque;

/**
 * Off-heap memory for the blocks of a {@link RecordBlockCache}, reused from one block to the next. A dump catching
 * up streams a new block every fetch; memory that is new to the process must be zeroed first (by the JDK, or by the
 * kernel's page faults), and that cost a tenth of the replayer's CPU per gigabyte sent. Blocks of about a whole
 * fetch get a buffer of {@code standardBytes} that goes back to a short list of spares once the block and every
 * slice of it sent to a client are released; other sizes come from {@code fallback}.
 */
final class BlockBuffers {
    private final int standardBytes;
    private final int maxSpares;
    private final ByteBufAllocator fallback;
    private final ArrayDeque<CleanableDirectBuffer> spares = new ArrayDeque<>();
    private long created;
    private long reused;

    BlockBuffers(int standardBytes, int maxSpares, ByteBufAllocator fallback) {
        this.standardBytes = standardBytes;
        this.maxSpares = maxSpares;
        this.fallback = fallback;
    }

    /** An empty buffer of room for {@code bytes}. */
    ByteBuf allocate(int bytes) {
        if (bytes > standardBytes || bytes < standardBytes / 2) {
            int capacity = Math.max(1, bytes);
            return fallback.directBuffer(capacity, capacity);
        }
        CleanableDirectBuffer memory;
        synchronized (this) {
            memory = spares.pollFirst();
            if (memory == null) {
                created++;
            } else {
                reused++;
            }
        }
        if (memory == null) {
            memory = PlatformDependent.allocateDirect(standardBytes);
        }
        memory.buffer().clear();
        return new Reused(memory).clear();
    }

    private void giveBack(CleanableDirectBuffer memory) {
        synchronized (this) {
            if (spares.size() < maxSpares) {
                spares.addFirst(memory);
                return;
            }
        }
        memory.clean();
    }

    /** Spare buffers held now, and standard buffers created and reused since start. */
    synchronized String stats() {
        return spares.size() + " spare, " + created + " created, " + reused + " reused";
    }

    /** Bytes held by spares: memory of no block, at most {@code maxSpares} standard buffers. */
    synchronized long spareBytes() {
        return (long) spares.size() * standardBytes;
    }

    /**
     * A buffer over reused memory: its last release gives the memory back instead of freeing it. Not Netty's
     * Unsafe-backed buffer: Netty 4.2 turns {@code sun.misc.Unsafe} off on JDK 25 and later (unless
     * {@code --sun-misc-unsafe-memory-access=allow}), and that buffer then fails on first use; blocks are written and
     * sent in bulk, where the two copy alike.
     */
    private final class Reused extends UnpooledDirectByteBuf {
        private final CleanableDirectBuffer memory;

        Reused(CleanableDirectBuffer memory) {
            super(UnpooledByteBufAllocator.DEFAULT, memory.buffer(), memory.buffer().capacity());
            this.memory = memory;
        }

        @Override
        protected void deallocate() {
            super.deallocate();
            giveBack(memory);
        }
    }
}
