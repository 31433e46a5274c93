package io.binlogbridge.replayer.server;

import io.binlogbridge.server.wire.PacketFrameDecoder;
import io.binlogbridge.server.wire.PacketEncoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketFrameDecoderTest {

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    @Test
    void reassemblesSplitReads() {
        EmbeddedChannel ch = new EmbeddedChannel(PacketEncoder.INSTANCE, new PacketFrameDecoder(1024));
        ByteBuf framed = WireClient.frame(0, new byte[] {3, 'S', 'E', 'L'});
        ch.writeInbound(framed.readRetainedSlice(2));
        assertNull(ch.readInbound());
        ch.writeInbound(framed.readRetainedSlice(3));
        assertNull(ch.readInbound());
        ch.writeInbound(framed.readRetainedSlice(3));
        framed.release();
        assertArrayEquals(new byte[] {3, 'S', 'E', 'L'}, bytes(ch.readInbound()));
        // The answer carries the next sequence id.
        ch.writeOutbound(Unpooled.wrappedBuffer(new byte[] {0}));
        assertEquals(1, WireClient.read(ch).get(0).seq());
    }

    @Test
    void twoPacketsInOneRead() {
        EmbeddedChannel ch = new EmbeddedChannel(PacketEncoder.INSTANCE, new PacketFrameDecoder(1024));
        ByteBuf both = Unpooled.buffer();
        both.writeBytes(WireClient.frame(0, new byte[] {1}));
        both.writeBytes(WireClient.frame(0, new byte[] {2, 2}));
        ch.writeInbound(both);
        assertArrayEquals(new byte[] {1}, bytes(ch.readInbound()));
        assertArrayEquals(new byte[] {2, 2}, bytes(ch.readInbound()));
    }

    @Test
    void reassemblesContinuationPackets() {
        EmbeddedChannel ch = new EmbeddedChannel(PacketEncoder.INSTANCE, new PacketFrameDecoder(32 * 1024 * 1024));
        byte[] big = new byte[MySqlConstants.MAX_PACKET_LENGTH + 10];
        big[0] = 7;
        big[big.length - 1] = 9;
        byte[] first = new byte[MySqlConstants.MAX_PACKET_LENGTH];
        System.arraycopy(big, 0, first, 0, first.length);
        byte[] second = new byte[10];
        System.arraycopy(big, first.length, second, 0, 10);
        ch.writeInbound(WireClient.frame(0, first));
        assertNull(ch.readInbound());
        ch.writeInbound(WireClient.frame(1, second));
        assertArrayEquals(big, bytes(ch.readInbound()));
        // And the encoder splits a big payload back, with an empty packet after an exact multiple.
        ch.writeOutbound(Unpooled.wrappedBuffer(new byte[MySqlConstants.MAX_PACKET_LENGTH]));
        List<WireClient.Packet> out = WireClient.read(ch);
        assertEquals(2, out.size());
        assertEquals(2, out.get(0).seq());
        assertEquals(0, out.get(1).payload().length);
        assertEquals(3, out.get(1).seq());
    }

    @Test
    void oversizedLengthHeaderGetsErr1153AndClose() {
        EmbeddedChannel ch = new EmbeddedChannel(PacketEncoder.INSTANCE, new PacketFrameDecoder(1024));
        ByteBuf header = Unpooled.buffer();
        header.writeMediumLE(2000).writeByte(0).writeBytes(new byte[10]); // body never needs to arrive
        ch.writeInbound(header);
        assertNull(ch.readInbound());
        List<WireClient.Packet> out = WireClient.read(ch);
        assertEquals(1, out.size());
        assertEquals(0xFF, out.get(0).header());
        assertEquals(MySqlConstants.ER_NET_PACKET_TOO_LARGE, out.get(0).errorCode());
        assertEquals("Got a packet bigger than 'max_allowed_packet' bytes", out.get(0).errorMessage());
        assertEquals(1, out.get(0).seq());
        assertFalse(ch.isOpen());
    }

    @Test
    void truncatedPacketWaitsAndIsNeverDelivered() {
        EmbeddedChannel ch = new EmbeddedChannel(PacketEncoder.INSTANCE, new PacketFrameDecoder(1024));
        ByteBuf partial = Unpooled.buffer();
        partial.writeMediumLE(10).writeByte(0).writeBytes(new byte[4]);
        ch.writeInbound(partial);
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }
}
