package io.binlogbridge.replayer.dump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.wire.FramedPackets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DumpPacketsTest {
    private static final int MAX = MySqlConstants.MAX_PACKET_LENGTH;

    /** The wire bytes of what was drained, each message released. */
    private static byte[] wire(DumpPackets packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FramedPackets p = packets.drain();
        if (p != null) {
            ByteBuf b = p.content();
            byte[] bytes = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), bytes);
            out.writeBytes(bytes);
            p.release();
        }
        return out.toByteArray();
    }

    /** Splits the wire bytes into packets: [sequence id, payload]. */
    private static List<Object[]> packets(byte[] wire) {
        List<Object[]> out = new ArrayList<>();
        int at = 0;
        while (at < wire.length) {
            int length = (wire[at] & 0xFF) | (wire[at + 1] & 0xFF) << 8 | (wire[at + 2] & 0xFF) << 16;
            int sequence = wire[at + 3] & 0xFF;
            byte[] payload = java.util.Arrays.copyOfRange(wire, at + 4, at + 4 + length);
            out.add(new Object[] {sequence, payload});
            at += 4 + length;
        }
        return out;
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void smallEventsShareABufferWithOkByteAndConsecutiveSequenceIds() {
        DumpPackets packets = new DumpPackets(UnpooledByteBufAllocator.DEFAULT, 1024, 254);
        byte[] a = random(100);
        byte[] b = random(2000);
        packets.event(Unpooled.wrappedBuffer(a), 0, a.length);
        packets.event(Unpooled.wrappedBuffer(b), 0, b.length);
        assertEquals(4 + 1 + 100 + 4 + 1 + 2000, packets.pendingBytes());
        List<Object[]> got = packets(wire(packets));
        assertEquals(2, got.size());
        assertEquals(254, got.get(0)[0]);
        assertEquals(255, got.get(1)[0]);
        assertArrayEquals(concat(new byte[] {0}, a), (byte[]) got.get(0)[1]);
        assertArrayEquals(concat(new byte[] {0}, b), (byte[]) got.get(1)[1]);
        assertEquals(0, packets.sequence(), "sequence ids wrap at 256");
        assertEquals(0, packets.pendingBytes());
    }

    @Test
    void eventsOfSixteenMegabytesAndMoreAreSplitAsTheProtocolSays() {
        // Payload = OK byte + event: MAX - 1 bytes of event make one full packet and an empty one after it.
        for (int eventSize : new int[] {MAX - 2, MAX - 1, MAX, 2 * MAX - 1, 2 * MAX + 5}) {
            byte[] event = random(eventSize);
            ByteBuf source = Unpooled.wrappedBuffer(event);
            DumpPackets packets = new DumpPackets(UnpooledByteBufAllocator.DEFAULT, 1024, 7);
            packets.event(source, 0, eventSize);
            List<Object[]> got = packets(wire(packets));
            int payload = eventSize + 1;
            int expectedPackets = payload / MAX + 1;
            assertEquals(expectedPackets, got.size(), "packets for an event of " + eventSize + " bytes");
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (int i = 0; i < got.size(); i++) {
                assertEquals(7 + i, got.get(i)[0]);
                byte[] p = (byte[]) got.get(i)[1];
                assertEquals(i < got.size() - 1 ? MAX : payload % MAX, p.length);
                joined.writeBytes(p);
            }
            assertArrayEquals(concat(new byte[] {0}, event), joined.toByteArray());
            assertEquals(1, source.refCnt(), "slices of the event were released once written");
        }
    }

    @Test
    void discardReleasesWhatWasNeverDrained() {
        DumpPackets packets = new DumpPackets(UnpooledByteBufAllocator.DEFAULT, 1024, 1);
        byte[] big = random(100_000);
        ByteBuf source = Unpooled.wrappedBuffer(big);
        packets.event(source, 0, big.length);
        assertEquals(2, source.refCnt(), "a big event is sent as a slice, not copied");
        packets.discard();
        assertEquals(1, source.refCnt());
        assertEquals(0, packets.pendingBytes());
    }

    @Test
    void longEventsAreSentFromTheirBlockAndShortOnesCopiedBetweenThem() {
        DumpPackets packets = new DumpPackets(UnpooledByteBufAllocator.DEFAULT, 64, 3);
        byte[] block = random(40_000);
        ByteBuf source = Unpooled.wrappedBuffer(block);
        int[][] events = {{0, 19}, {19, 8000}, {8019, DumpPackets.SLICE_FROM}, {8019 + DumpPackets.SLICE_FROM, DumpPackets.SLICE_FROM + 1},
                {10_000, 50}, {10_050, 60}, {10_110, 20_000}, {30_110, 9_890}};
        for (int[] e : events) {
            packets.event(source, e[0], e[1]);
        }
        assertEquals(5, source.refCnt(), "the four events longer than SLICE_FROM are slices of the block");
        List<Object[]> got = packets(wire(packets));
        assertEquals(1, source.refCnt(), "written slices are released");
        assertEquals(events.length, got.size());
        for (int i = 0; i < events.length; i++) {
            assertEquals((3 + i) & 0xFF, got.get(i)[0]);
            assertArrayEquals(concat(new byte[] {0}, java.util.Arrays.copyOfRange(block, events[i][0], events[i][0] + events[i][1])),
                    (byte[]) got.get(i)[1], "event " + i);
        }
    }

    @Test
    void copiedEventsLeaveTheReusedBufferFree() {
        DumpPackets packets = new DumpPackets(UnpooledByteBufAllocator.DEFAULT, 1024, 0);
        byte[] event = random(DumpPackets.COPY_LIMIT);
        ByteBuf reused = Unpooled.wrappedBuffer(event.clone());
        packets.copiedEvent(reused, 0, event.length);
        assertEquals(1, reused.refCnt(), "copied, not sliced");
        reused.setZero(0, event.length);
        List<Object[]> got = packets(wire(packets));
        assertArrayEquals(concat(new byte[] {0}, event), (byte[]) got.get(0)[1]);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
