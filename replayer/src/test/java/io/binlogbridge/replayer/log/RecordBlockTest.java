package io.binlogbridge.replayer.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.schemas.BinlogRecordCodec;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cache counts an evicted block until its memory is freed: the hook runs once, at the last release. */
class RecordBlockTest {
    @Test
    void whenFreedRunsOnceAtTheLastRelease() {
        RecordBlock block = RecordBlock.copyOf(7, 7, List.of(), new BinlogRecordCodec(), UnpooledByteBufAllocator.DEFAULT);
        AtomicInteger freed = new AtomicInteger();
        block.retain(); // a dump streaming it
        block.whenFreed(freed::incrementAndGet);
        block.release(); // the cache evicts it
        assertEquals(0, freed.get(), "still streamed");
        block.release(); // the dump is done
        assertEquals(1, freed.get());
        assertEquals(0, block.refCnt());
    }
}
