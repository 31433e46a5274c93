package io.binlogbridge.replayer.dump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.LittleEndian;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventSplitterTest {
    private static byte[] event(int size, int seed) {
        byte[] e = new byte[size];
        new Random(seed).nextBytes(e);
        LittleEndian.putUint32(e, BinlogConstants.EVENT_LEN_OFFSET, size);
        return e;
    }

    @Test
    void eventsComeOutWholeHoweverTheBytesAreCut() throws Exception {
        List<byte[]> events = List.of(event(19, 1), event(100, 2), event(5000, 3), event(23, 4), event(70_000, 5), event(40, 6));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] e : events) {
            all.write(e);
        }
        byte[] stream = all.toByteArray();
        Random random = new Random(9);
        for (int round = 0; round < 200; round++) {
            EventSplitter splitter = new EventSplitter();
            List<byte[]> out = new ArrayList<>();
            List<Long> positions = new ArrayList<>();
            List<ByteBuf> chunks = new ArrayList<>();
            int off = 0;
            while (off < stream.length) {
                // Cut points land inside headers, inside bodies and on boundaries.
                int len = Math.min(stream.length - off, 1 + random.nextInt(round % 2 == 0 ? 30 : 20_000));
                byte[] piece = java.util.Arrays.copyOfRange(stream, off, off + len);
                ByteBuf chunk = Unpooled.wrappedBuffer(piece);
                chunks.add(chunk);
                splitter.feed(chunk, 0, len, 4 + off, (ByteBuf e, int index, int length, long p) -> {
                    out.add(ByteBufUtil.getBytes(e, index, length));
                    positions.add(p);
                });
                chunk.release();
                off += len;
            }
            assertTrue(splitter.atBoundary());
            for (ByteBuf chunk : chunks) {
                assertEquals(0, chunk.refCnt(), "every slice of a split event released");
            }
            assertEquals(events.size(), out.size());
            long expected = 4;
            for (int i = 0; i < events.size(); i++) {
                assertArrayEquals(events.get(i), out.get(i), "event " + i + " round " + round);
                assertEquals(expected, positions.get(i));
                expected += events.get(i).length;
            }
        }
    }

    @Test
    void impossibleLengthIsRefused() {
        byte[] bad = event(19, 1);
        LittleEndian.putUint32(bad, BinlogConstants.EVENT_LEN_OFFSET, 7);
        assertThrows(DumpRefusedException.class, () -> new EventSplitter().feed(Unpooled.wrappedBuffer(bad), 0, bad.length, 4, (e, i, n, p) -> {}));
    }
}
