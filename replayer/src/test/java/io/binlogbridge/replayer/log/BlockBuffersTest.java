package io.binlogbridge.replayer.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** CI runs these on JDK 17 and on JDK 25, where Netty 4.2 does not use {@code sun.misc.Unsafe} by default. */
class BlockBuffersTest {
    private static final byte MARK = 42;
    private final BlockBuffers buffers = new BlockBuffers(1024, 1, UnpooledByteBufAllocator.DEFAULT);

    @Test
    void memoryComesBackOnlyAfterTheLastSliceIsReleased() {
        ByteBuf block = buffers.allocate(1000);
        assertEquals(0, block.writerIndex());
        assertEquals(1024, block.capacity());
        block.writeByte(MARK).writeBytes(new byte[999]);
        ByteBuf slice = block.retainedSlice(0, 100);
        block.release();
        assertEquals(0, buffers.spareBytes(), "a slice on its way to a client still reads the memory");
        ByteBuf other = buffers.allocate(900);
        assertEquals(1024, other.capacity());
        other.setByte(0, MARK + 1);
        assertEquals(MARK, slice.getByte(0), "not the memory the slice still reads");
        slice.release();
        assertEquals(1024, buffers.spareBytes());
        ByteBuf next = buffers.allocate(1024);
        assertEquals(MARK, next.getByte(0), "the spare is reused, not freed");
        assertEquals(0, next.writerIndex(), "reused memory starts empty");
        next.release();
        other.release();
        assertEquals(1024, buffers.spareBytes(), "one spare at most: the other buffer was freed");
        assertEquals("1 spare, 2 created, 1 reused", buffers.stats());
    }

    @Test
    void blocksFarFromAFetchsSizeUseTheFallback() {
        ByteBuf small = buffers.allocate(100);
        ByteBuf big = buffers.allocate(5000);
        assertEquals(100, small.capacity());
        assertEquals(5000, big.capacity());
        small.release();
        big.release();
        assertEquals(0, buffers.spareBytes());
    }
}
